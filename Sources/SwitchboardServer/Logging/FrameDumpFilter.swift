import Logging

/// A log handler that passes everything to another one except WebSocket frame dumps.
///
/// At `trace`, hummingbird-websocket logs the first bytes of every frame sent and received, in
/// hex. Those bytes are often a secret: a `hello` whose keys are sorted (the Swift SDK's) starts
/// with the password or token, a customer's `started` and `resume` start with the session secret.
/// A frame's content is never needed to debug the server, and its size and kind are not worth a
/// password, so the dumps are dropped and every other message (trace included) is kept.
public struct FrameDumpFilter<Inner: LogHandler>: LogHandler {
    /// The handler that writes what passes.
    public var inner: Inner

    /// Filters the messages `inner` gets.
    public init(_ inner: Inner) { self.inner = inner }

    /// Whether a message is a frame dump: `Sending WebSocketFrame(...)` or `Received WebSocketFrame(...)`
    /// from the WebSocket core.
    public static func isFrameDump(level: Logger.Level, message: Logger.Message, source: String) -> Bool {
        guard level == .trace, source == "WSCore" else { return false }
        let text = message.description
        return (text.hasPrefix("Sending ") || text.hasPrefix("Received ")) && text.contains("WebSocketFrame(")
    }

    public func log(event: LogEvent) {
        if Self.isFrameDump(level: event.level, message: event.message, source: event.source) { return }
        inner.log(event: event)
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
}
