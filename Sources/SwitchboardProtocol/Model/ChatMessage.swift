/// One im message in a session's transcript.
public struct ChatMessage: Sendable, Codable, Equatable, Hashable {
    /// The server's id for the message; also the cursor for paging and resuming.
    public var messageId: String
    /// Who wrote it.
    public var from: MessageSender
    /// The text.
    public var text: String
    /// When the server received it, in milliseconds since 1970 (UTC).
    public var sentAt: Int64

    /// Creates a message.
    public init(messageId: String, from: MessageSender, text: String, sentAt: Int64) {
        self.messageId = messageId
        self.from = from
        self.text = text
        self.sentAt = sentAt
    }
}
