import Synchronization
import SwitchboardProtocol

/// Hands frames to the customers' open chat connections, by session.
///
/// A customer may have the chat open in more than one tab; each gets every frame. The hub also
/// remembers the queue position each session was last told, so position updates go out only
/// when the number changes.
public final class CustomerHub: Sendable {
    /// One open customer connection.
    public struct ConnectionKey: Hashable, Sendable {
        let session: String
        let id: Int
    }

    private struct Watchers {
        var connections: [ConnectionKey: AsyncStream<String>.Continuation] = [:]
        var lastPosition: Int?
    }

    private let state = Mutex<(sessions: [String: Watchers], next: Int)>(([:], 0))
    private let outboxLimit: Int
    /// With several nodes, a session's customer may be connected to another node.
    let relay: ClusterRelay

    /// Creates an empty hub; a connection with `outboxLimit` unread frames is cut off.
    public convenience init(outboxLimit: Int = 500) {
        self.init(outboxLimit: outboxLimit, relay: ClusterRelay())
    }

    init(outboxLimit: Int = 500, relay: ClusterRelay) {
        self.outboxLimit = outboxLimit
        self.relay = relay
    }

    /// Closes every open connection (a follower whose view had to be rebuilt: widgets reconnect
    /// and resume from the transcript).
    func disconnectEveryone() {
        let closing = state.withLock { state -> [AsyncStream<String>.Continuation] in
            defer { for session in Array(state.sessions.keys) { state.sessions[session]?.connections = [:] } }
            return state.sessions.values.flatMap { $0.connections.values }
        }
        for continuation in closing { continuation.finish() }
    }

    /// A frame that is not journaled (a call signal, typing) to every connection of the session,
    /// on every node.
    func publishEverywhere(_ text: String, to session: String, relaying: Bool = true) {
        if relaying { relay.send(.toCustomer(session: session, text: text)) }
        state.withLock { Self.fanOut(text, to: session, in: &$0, finishing: false) }
    }

    /// Opens a connection for a session; `prefix` frames go first.
    public func attach(session: String, prefix: [String]) -> (ConnectionKey, AsyncStream<String>) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(outboxLimit))
        let key = state.withLock { state in
            state.next += 1
            let key = ConnectionKey(session: session, id: state.next)
            for text in prefix { continuation.yield(text) }
            state.sessions[session, default: Watchers()].connections[key] = continuation
            return key
        }
        return (key, stream)
    }

    /// Closes a connection's stream.
    public func detach(_ key: ConnectionKey) {
        let continuation = state.withLock { state -> AsyncStream<String>.Continuation? in
            let removed = state.sessions[key.session]?.connections.removeValue(forKey: key)
            if state.sessions[key.session]?.connections.isEmpty == true { state.sessions[key.session] = nil }
            return removed
        }
        continuation?.finish()
    }

    /// Sends a frame to every connection of the session. After `ended` the connections' streams
    /// finish, which closes their sockets.
    public func publish(_ frame: CustomerServerFrame, to session: String) {
        var ended = false
        if case .ended = frame { ended = true }
        state.withLock { state in
            if case .queued(let position) = frame { state.sessions[session]?.lastPosition = position }
            Self.fanOut(frame.encodedText(), to: session, in: &state, finishing: ended)
        }
    }

    /// Queues `text` to every connection of the session; a client that stopped reading is cut off
    /// rather than buffered without bound. `finishing` closes every connection after it.
    private static func fanOut(_ text: String, to session: String, in state: inout (sessions: [String: Watchers], next: Int), finishing: Bool) {
        for (key, continuation) in state.sessions[session]?.connections ?? [:] {
            if case .dropped = continuation.yield(text) {
                continuation.finish()
                state.sessions[session]?.connections[key] = nil
            }
            if finishing { continuation.finish() }
        }
    }

    /// Sends a frame to one connection only (an `ack`, an error, a replayed message).
    public func send(_ frame: CustomerServerFrame, to key: ConnectionKey) {
        let continuation = state.withLock { $0.sessions[key.session]?.connections[key] }
        continuation?.yield(frame.encodedText())
    }

    /// Sends `queued(position)` if it differs from what the session was last told.
    public func updatePosition(_ position: Int, of session: String) {
        let changed = state.withLock { state in
            guard let watchers = state.sessions[session] else { return false }
            return watchers.lastPosition != position
        }
        if changed { publish(.queued(position: position), to: session) }
    }

    /// Forgets the session's last position (it left the queue).
    public func clearPosition(of session: String) {
        state.withLock { state in state.sessions[session]?.lastPosition = nil }
    }

    /// Whether the session has an open customer connection.
    public func isWatched(_ session: String) -> Bool {
        state.withLock { $0.sessions[session] != nil }
    }

    /// The sessions with an open customer connection.
    public var watchedSessions: [String] {
        state.withLock { Array($0.sessions.keys) }
    }

    /// Open connections, for the metrics.
    public var connectionCount: Int {
        state.withLock { $0.sessions.values.reduce(0) { $0 + $1.connections.count } }
    }
}
