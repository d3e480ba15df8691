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
    /// For an agent message, the agent who wrote it: after a transfer the session's messages come
    /// from more than one agent. Sent to agents and admins, not to customers; absent from servers
    /// before it was added, so readers treat it as optional.
    public var agentUserId: String?
    /// The name of the agent in `agentUserId` when the message was read (absent when the agent
    /// has since been removed).
    public var agentName: String?
    /// The file the message carries (an image or another file); its `text` is then the file's
    /// name, so a client that does not know attachments still shows something sensible.
    public var attachment: ChatAttachment?

    /// Creates a message.
    public init(
        messageId: String, from: MessageSender, text: String, sentAt: Int64, agentUserId: String? = nil, agentName: String? = nil,
        attachment: ChatAttachment? = nil
    ) {
        self.attachment = attachment
        self.messageId = messageId
        self.from = from
        self.text = text
        self.sentAt = sentAt
        self.agentUserId = agentUserId
        self.agentName = agentName
    }
}
