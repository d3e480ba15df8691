import DequeModule
import NIOCore
import Synchronization

/// An agent connection's outbox written straight to its ``NativeWebSocket``, with no task.
///
/// Frames offered from any thread are queued here, and one hop to the event loop writes all
/// that are queued by then and flushes once: the frames one commit produces for a connection go
/// out in one write. While the socket's send buffer is full (a client not reading), frames stay
/// here; past `capacity` the outbox gives up on the client (``AgentOutbox/offer(_:)`` is false).
final class SocketOutbox: AgentOutbox {
    private struct State {
        var queue = Deque<String>()
        /// A hop to the event loop is on its way and will write the queue.
        var drainScheduled = false
        var finished = false
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let eventLoop: any EventLoop
    private let socket: NIOLoopBound<NativeWebSocket>

    /// Created on the socket's event loop.
    init(socket: NativeWebSocket, capacity: Int) {
        self.capacity = capacity
        self.eventLoop = socket.eventLoop
        self.socket = NIOLoopBound(socket, eventLoop: socket.eventLoop)
    }

    func offer(_ text: String) -> Bool {
        let (accepted, hop) = state.withLock { state -> (Bool, Bool) in
            // Finished by the hub, which no longer offers to it: a late frame changes nothing.
            guard !state.finished else { return (true, false) }
            if state.queue.count >= capacity {
                state.finished = true
                return (false, Self.claimDrain(&state))
            }
            state.queue.append(text)
            return (true, Self.claimDrain(&state))
        }
        if hop { scheduleDrain() }
        return accepted
    }

    func finish() {
        let hop = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.finished = true
            return Self.claimDrain(&state)
        }
        if hop { scheduleDrain() }
    }

    /// True when the caller must schedule the drain (none is on its way).
    private static func claimDrain(_ state: inout State) -> Bool {
        guard !state.drainScheduled else { return false }
        state.drainScheduled = true
        return true
    }

    private func scheduleDrain() {
        eventLoop.execute { self.drain() }
    }

    /// On the event loop: writes what is queued, flushes once, and closes the socket when the
    /// outbox is finished. Also called when the socket takes writes again.
    func drain() {
        let socket = self.socket.value
        let (batch, finished) = state.withLock { state -> (Deque<String>, Bool) in
            state.drainScheduled = false
            // A full send buffer keeps frames here, where `capacity` counts them, until the
            // socket is writable again; a finished outbox writes its last frames regardless.
            guard socket.isWritable || state.finished else { return ([], false) }
            let batch = state.queue
            // Given back, not kept: an idle connection holds no queue storage.
            state.queue = Deque()
            return (batch, state.finished)
        }
        guard !socket.isClosing else { return }
        for text in batch { socket.send(text: text, flush: false) }
        if !batch.isEmpty { socket.flush() }
        if finished {
            // The hub closed this connection (it detached, was disconnected, or its client left
            // too many frames unread): the client may reconnect and resume.
            socket.close(.goingAway, reason: "closed by the server; reconnect and resume")
        }
    }
}
