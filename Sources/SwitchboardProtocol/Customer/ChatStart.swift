/// The `start` frame's fields: where the customer wants to chat and who they are, as the agent's
/// `callIn` will show them.
public struct ChatStart: Sendable, Equatable, Hashable {
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

    /// Creates the fields.
    public init(
        skillGroupId: String, nickname: String, avatar: String? = nil, remark: String? = nil,
        peerSource: String? = nil, channelName: String? = nil, clientData: String? = nil
    ) {
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
        case skillGroupId, nickname, avatar, remark, peerSource, channelName, clientData
    }

    /// Decodes the fields, refusing an empty `skillGroupId` or `nickname`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for key in [CodingKeys.skillGroupId, .nickname] where try container.decode(String.self, forKey: key).isEmpty {
            throw ProtocolError.invalidValue(at: container.codingPath + [key], "must not be empty")
        }
        self.init(
            skillGroupId: try container.decode(String.self, forKey: .skillGroupId),
            nickname: try container.decode(String.self, forKey: .nickname),
            avatar: try container.decodeIfPresent(String.self, forKey: .avatar),
            remark: try container.decodeIfPresent(String.self, forKey: .remark),
            peerSource: try container.decodeIfPresent(String.self, forKey: .peerSource),
            channelName: try container.decodeIfPresent(String.self, forKey: .channelName),
            clientData: try container.decodeIfPresent(String.self, forKey: .clientData)
        )
    }
}
