import HummingbirdWebSocket

/// Where a customer connection's task reads its frames: the socket (``BridgedFrames``), or,
/// after a web call's IVR menu, the pump that read them during the menu (``PumpedFrames``).
protocol FrameSource: AnyObject, Sendable {
    /// The next message; nil once the socket closed or failed.
    func next() async -> WebSocketMessage?
}
