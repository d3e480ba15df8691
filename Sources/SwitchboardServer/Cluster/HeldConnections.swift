import Synchronization

/// The agent connections this process holds open, by connection id, each with a way to close it.
/// With several nodes the core's record of connections is the leader's; this is the truth about
/// this node's sockets, which the leader is told on every link (so a disconnect that could not
/// be forwarded is not kept for ever) and which closes a socket whose connection the leader
/// dropped (so its client reconnects instead of looking connected and getting nothing).
public final class HeldConnections: Sendable {
    private let open = Mutex<[String: @Sendable () -> Void]>([:])

    public init() {}

    /// A connection being opened; `close` ends its socket.
    func insert(_ connection: String, close: @escaping @Sendable () -> Void) {
        open.withLock { $0[connection] = close }
    }

    func remove(_ connection: String) {
        open.withLock { _ = $0.removeValue(forKey: connection) }
    }

    var ids: Set<String> { open.withLock { Set($0.keys) } }

    func contains(_ connection: String) -> Bool { open.withLock { $0[connection] != nil } }

    /// Closes the connection's socket if this node holds it.
    func close(_ connection: String) {
        let close = open.withLock { $0.removeValue(forKey: connection) }
        close?()
    }
}
