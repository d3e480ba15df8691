/// The `data` of a successful `Chat.sendMessage`: the id and time the server gave the message.
public struct SentMessage: Sendable, Codable, Equatable, Hashable {
    /// The server's id for the message.
    public var messageId: String
    /// When the server received it, in milliseconds since 1970 (UTC).
    public var sentAt: Int64

    /// Creates the result.
    public init(messageId: String, sentAt: Int64) {
        self.messageId = messageId
        self.sentAt = sentAt
    }
}
