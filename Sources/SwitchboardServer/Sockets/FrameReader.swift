import HummingbirdWebSocket

/// A connection's incoming WebSocket messages, readable from whichever task handles the
/// connection's current phase (the login runs on a task of its own, the serving loop on the
/// connection's task).
///
/// Unchecked: the iterator is not Sendable, but the phases run one after another, each awaited
/// by the connection's task, so exactly one task reads at a time.
final class FrameReader: FrameSource, @unchecked Sendable {
    private var messages: WebSocketInboundMessageStream.AsyncIterator

    init(_ messages: WebSocketInboundMessageStream.AsyncIterator) {
        self.messages = messages
    }

    /// The next message; nil once the socket closed or failed.
    func next() async -> WebSocketMessage? {
        try? await messages.next()
    }
}

/// Where a connection's serving phase reads its frames: the socket itself, or (after a web
/// call's IVR menu) the task that read them during the menu.
protocol FrameSource: AnyObject, Sendable {
    /// The next message; nil once the socket closed or failed.
    func next() async -> WebSocketMessage?
}
