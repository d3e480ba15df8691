import NIOCore
import Synchronization

/// The sockets this server serves with channel handlers, so that they can be closed when it
/// stops: the HTTP server's shutdown waits for its connections' tasks, and these have none.
final class OpenSockets: Sendable {
    private struct State {
        var closers: [ObjectIdentifier: @Sendable () -> Void] = [:]
        var stopped = false
    }

    private let state = Mutex(State())

    /// Registers an open socket; false when the server is already stopping (close it then).
    func insert(_ socket: NativeWebSocket) -> Bool {
        let bound = NIOLoopBound(socket, eventLoop: socket.eventLoop)
        return state.withLock { state in
            guard !state.stopped else { return false }
            state.closers[ObjectIdentifier(socket)] = {
                bound.eventLoop.execute { bound.value.close(.goingAway, reason: "the server is stopping; reconnect") }
            }
            return true
        }
    }

    func remove(_ socket: NativeWebSocket) {
        _ = state.withLock { $0.closers.removeValue(forKey: ObjectIdentifier(socket)) }
    }

    /// Closes every socket open now (each on its event loop) and any opened from now on.
    func closeAll() {
        let closers = state.withLock { state in
            state.stopped = true
            defer { state.closers = [:] }
            return Array(state.closers.values)
        }
        for close in closers { close() }
    }
}
