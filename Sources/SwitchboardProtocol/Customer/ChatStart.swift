/// The `start` frame's fields: where the customer wants to chat (or call) and who they are, as
/// the agent's `callIn` will show them.
public struct ChatStart: Sendable, Equatable, Hashable {
    /// `im` (the default), or `voip` / `video` for a call from the browser. Sent as
    /// `sessionType`, since the frame's own `type` is `start`.
    public var type: SessionType
    /// The skill group to queue in.
    public var skillGroupId: String
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
        type: SessionType = .im, skillGroupId: String, nickname: String, avatar: String? = nil, remark: String? = nil,
        peerSource: String? = nil, channelName: String? = nil, clientData: String? = nil,
        userId: String? = nil, callee: String? = nil
    ) {
        self.type = type
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
        case type = "sessionType", skillGroupId, nickname, avatar, remark, peerSource, channelName, clientData, userId, callee
    }

    /// The session types a customer can start.
    public static let customerTypes: [SessionType] = [.im, .voip, .video]

    /// Decodes the fields, refusing an empty `skillGroupId` or `nickname`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for key in [CodingKeys.skillGroupId, .nickname] where try container.decode(String.self, forKey: key).isEmpty {
            throw ProtocolError.invalidValue(at: container.codingPath + [key], "must not be empty")
        }
        let type = try container.decodeIfPresent(SessionType.self, forKey: .type) ?? .im
        guard Self.customerTypes.contains(type) else {
            throw ProtocolError.notOneOf(Self.customerTypes.map(\.rawValue), at: container.codingPath + [CodingKeys.type], found: type.rawValue)
        }
        self.init(
            type: type,
            skillGroupId: try container.decode(String.self, forKey: .skillGroupId),
            nickname: try container.decode(String.self, forKey: .nickname),
            avatar: try container.decodeIfPresent(String.self, forKey: .avatar),
            remark: try container.decodeIfPresent(String.self, forKey: .remark),
            peerSource: try container.decodeIfPresent(String.self, forKey: .peerSource),
            channelName: try container.decodeIfPresent(String.self, forKey: .channelName),
            clientData: try container.decodeIfPresent(String.self, forKey: .clientData),
            userId: try container.decodeIfPresent(String.self, forKey: .userId),
            callee: try container.decodeIfPresent(String.self, forKey: .callee)
        )
    }

    /// Encodes the fields; `type` is left out for im, as older widgets send it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if type != .im { try container.encode(type, forKey: .type) }
        try container.encode(skillGroupId, forKey: .skillGroupId)
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
