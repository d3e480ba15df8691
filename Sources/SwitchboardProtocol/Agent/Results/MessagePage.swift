/// The `data` of a successful `Chat.getMessages`: one page of a transcript.
public struct MessagePage: Sendable, Codable, Equatable, Hashable {
    /// The session.
    public var sessionId: String
    /// The messages, in the order asked for.
    public var messages: [ChatMessage]
    /// True when more messages lie beyond the last one in this page's direction.
    public var hasMore: Bool

    /// Creates a page.
    public init(sessionId: String, messages: [ChatMessage], hasMore: Bool) {
        self.sessionId = sessionId
        self.messages = messages
        self.hasMore = hasMore
    }
}
