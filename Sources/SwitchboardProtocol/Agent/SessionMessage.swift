/// The `message` event payload: an im message and its session, as one flat object
/// (`sessionId`, `messageId`, `from`, `text`, `sentAt`).
public struct SessionMessage: Sendable, Equatable, Hashable {
    /// The session the message belongs to.
    public var sessionId: String
    /// The message.
    public var message: ChatMessage

    /// Creates the payload.
    public init(sessionId: String, message: ChatMessage) {
        self.sessionId = sessionId
        self.message = message
    }
}

extension SessionMessage: Codable {
    /// Decodes the flat object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        self.sessionId = try container.decode(String.self, forKey: "sessionId")
        self.message = try ChatMessage(from: decoder)
    }

    /// Encodes the flat object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(sessionId, forKey: "sessionId")
        try message.encode(to: encoder)
    }
}
