/// The `start` frame's fields: where the customer wants to chat (or call) and who they are, as
/// the agent's `callIn` will show them.
public struct ChatStart: Sendable, Equatable, Hashable {
    /// `im` (the default), or `voip` / `video` for a call from the browser. Sent as
    /// `sessionType`, since the frame's own `type` is `start`.
    public var type: SessionType
    /// The skill group to queue in; nil when `ivrFlowId` is given.
    public var skillGroupId: String?
    /// voip: the IVR flow the call goes through first (its menu decides the group), instead of
    /// a skill group; the flow's prompts play in the widget and its keypad answers them.
    public var ivrFlowId: String?
    /// The customer's nickname.
    public var nickname: String
    /// The customer's avatar URL.
    public var avatar: String?
    /// Remarks about the customer.
    public var remark: String?
    /// Where the customer came from (the channel source).
    public var peerSource: String?
    /// The custom parameter `channelName`.
    public var channelName: String?
    /// User-defined data from the customer's page, passed to the agent as is.
    public var clientData: String?
    /// The customer's own user id on the embedding site: the `callIn`'s `userId` of a call, and
    /// for every type what makes the customer known again (a group's `usingLastSeat`).
    public var userId: String?
    /// voip: the entry the customer called, e.g. "Support line" (the `callIn`'s `callee`).
    public var callee: String?

    /// Creates the fields.
    public init(
        type: SessionType = .im, skillGroupId: String?, nickname: String, avatar: String? = nil, remark: String? = nil,
        peerSource: String? = nil, channelName: String? = nil, clientData: String? = nil,
        userId: String? = nil, callee: String? = nil, ivrFlowId: String? = nil
    ) {
        self.type = type
        self.ivrFlowId = ivrFlowId
        self.userId = userId
        self.callee = callee
        self.skillGroupId = skillGroupId
        self.nickname = nickname
        self.avatar = avatar
        self.remark = remark
        self.peerSource = peerSource
        self.channelName = channelName
        self.clientData = clientData
    }
}

extension ChatStart: Codable {
    private enum CodingKeys: String, CodingKey {
        case type = "sessionType", skillGroupId, nickname, avatar, remark, peerSource, channelName, clientData, userId, callee, ivrFlowId
    }

    /// The session types a customer can start.
    public static let customerTypes: [SessionType] = [.im, .voip, .video]

    /// Decodes the fields, refusing an empty `nickname`, `skillGroupId` or `ivrFlowId`, and
    /// anything but exactly one of the last two (a flow only for a voip call).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for key in [CodingKeys.skillGroupId, .nickname, .ivrFlowId] where try container.decodeIfPresent(String.self, forKey: key)?.isEmpty == true {
            throw ProtocolError.invalidValue(at: container.codingPath + [key], "must not be empty")
        }
        let type = try container.decodeIfPresent(SessionType.self, forKey: .type) ?? .im
        guard Self.customerTypes.contains(type) else {
            throw ProtocolError.notOneOf(Self.customerTypes.map(\.rawValue), at: container.codingPath + [CodingKeys.type], found: type.rawValue)
        }
        let group = try container.decodeIfPresent(String.self, forKey: .skillGroupId)
        let flow = try container.decodeIfPresent(String.self, forKey: .ivrFlowId)
        switch (group, flow) {
        case (nil, nil), (.some, .some):
            throw ProtocolError(.invalidValue, "give exactly one of 'skillGroupId' (queue at once) and 'ivrFlowId' (a voip call hears an IVR menu first)")
        case (nil, .some) where type != .voip:
            throw ProtocolError(.invalidValue, "field 'ivrFlowId': only a voip call goes through an IVR flow; send sessionType voip, or skillGroupId for \(type.rawValue)")
        default:
            break
        }
        self.init(
            type: type,
            skillGroupId: group,
            nickname: try container.decode(String.self, forKey: .nickname),
            avatar: try container.decodeIfPresent(String.self, forKey: .avatar),
            remark: try container.decodeIfPresent(String.self, forKey: .remark),
            peerSource: try container.decodeIfPresent(String.self, forKey: .peerSource),
            channelName: try container.decodeIfPresent(String.self, forKey: .channelName),
            clientData: try container.decodeIfPresent(String.self, forKey: .clientData),
            userId: try container.decodeIfPresent(String.self, forKey: .userId),
            callee: try container.decodeIfPresent(String.self, forKey: .callee),
            ivrFlowId: flow
        )
    }

    /// Encodes the fields; `type` is left out for im, as older widgets send it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if type != .im { try container.encode(type, forKey: .type) }
        try container.encodeIfPresent(skillGroupId, forKey: .skillGroupId)
        try container.encodeIfPresent(ivrFlowId, forKey: .ivrFlowId)
        try container.encode(nickname, forKey: .nickname)
        try container.encodeIfPresent(avatar, forKey: .avatar)
        try container.encodeIfPresent(remark, forKey: .remark)
        try container.encodeIfPresent(peerSource, forKey: .peerSource)
        try container.encodeIfPresent(channelName, forKey: .channelName)
        try container.encodeIfPresent(clientData, forKey: .clientData)
        try container.encodeIfPresent(userId, forKey: .userId)
        try container.encodeIfPresent(callee, forKey: .callee)
    }
}
