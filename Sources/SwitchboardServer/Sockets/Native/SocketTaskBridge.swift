import DequeModule
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// A ``NativeWebSocket`` read and written by a task: for a protocol written as one sequential
/// task (the customer socket, with its IVR menu), without hummingbird-websocket's tasks around
/// it (a reader, a pinger, its channel wrappers).
///
/// ``frames`` is what the task reads; ``writer`` what it writes. The socket's side is called on
/// its event loop.
final class SocketTaskBridge: Sendable {
    let frames: BridgedFrames
    let writer: BridgedWriter

    init(socket: NativeWebSocket) {
        let bound = NIOLoopBound(socket, eventLoop: socket.eventLoop)
        frames = BridgedFrames(socket: bound)
        writer = BridgedWriter(socket: bound)
    }

    /// On the event loop: a whole message arrived.
    func received(_ message: WebSocketMessage) { frames.deliver(message) }

    /// On the event loop: the send buffer has room again.
    func becameWritable() { writer.resumeWaiting(written: true) }

    /// On the event loop: the socket is gone; the reader gets nil, waiting writes fail.
    func closed() {
        frames.finish()
        writer.resumeWaiting(written: false)
    }
}

/// The messages of a bridged socket, for one task to read in order.
final class BridgedFrames: FrameSource {
    private struct State {
        var queue = Deque<WebSocketMessage>()
        var waiter: CheckedContinuation<WebSocketMessage?, Never>?
        var finished = false
        /// The socket is not being read because `readAhead` messages wait here.
        var paused = false
    }

    /// Messages read ahead of the task; more and the socket is not read, so TCP holds the
    /// client back (as a task that stops iterating a WebSocket's inbound stream does).
    static let readAhead = 16

    private let state = Mutex(State())
    private let socket: NIOLoopBound<NativeWebSocket>

    init(socket: NIOLoopBound<NativeWebSocket>) {
        self.socket = socket
    }

    func deliver(_ message: WebSocketMessage) {
        let (waiter, pause) = state.withLock { state -> (CheckedContinuation<WebSocketMessage?, Never>?, Bool) in
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.queue.append(message)
            guard state.queue.count >= Self.readAhead, !state.paused else { return (nil, false) }
            state.paused = true
            return (nil, true)
        }
        waiter?.resume(returning: message)
        if pause { socket.value.pauseReading() }
    }

    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next message; nil once the socket closed (or the reading task was cancelled).
    func next() async -> WebSocketMessage? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WebSocketMessage?, Never>) in
                enum Next { case message(WebSocketMessage, resume: Bool), end, wait }
                let next = state.withLock { state -> Next in
                    if let message = state.queue.popFirst() {
                        let resume = state.paused && state.queue.count < Self.readAhead / 2
                        if resume { state.paused = false }
                        return .message(message, resume: resume)
                    }
                    if state.finished || Task.isCancelled { return .end }
                    state.waiter = continuation
                    return .wait
                }
                switch next {
                case .message(let message, let resume):
                    if resume {
                        let socket = self.socket
                        socket.eventLoop.execute { socket.value.resumeReading() }
                    }
                    continuation.resume(returning: message)
                case .end:
                    continuation.resume(returning: nil)
                case .wait:
                    break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

/// Writes to a bridged socket from a task: each write waits while the socket's send buffer is
/// full, so a client that stops reading holds its writer back (and the hub's bounded outbox
/// behind it cuts the client off), as hummingbird-websocket's writer does.
final class BridgedWriter: Sendable {
    private let socket: NIOLoopBound<NativeWebSocket>
    /// Writes waiting for the send buffer to drain; touched on the event loop only.
    private let waiting: NIOLoopBoundBox<[CheckedContinuation<Bool, Never>]>

    init(socket: NIOLoopBound<NativeWebSocket>) {
        self.socket = socket
        self.waiting = NIOLoopBoundBox([], eventLoop: socket.eventLoop)
    }

    /// Sends a text message; false once the socket is closing or closed.
    @discardableResult
    func write(_ text: String) async -> Bool {
        let (socket, waiting) = (self.socket, self.waiting)
        return await withCheckedContinuation { continuation in
            socket.eventLoop.execute {
                let socket = socket.value
                guard !socket.isClosing else { return continuation.resume(returning: false) }
                socket.send(text: text, flush: true)
                if socket.isWritable {
                    continuation.resume(returning: true)
                } else {
                    waiting.value.append(continuation)
                }
            }
        }
    }

    /// Starts the close handshake.
    func close(_ code: WebSocketErrorCode, reason: String) {
        let socket = self.socket
        socket.eventLoop.execute { socket.value.close(code, reason: reason) }
    }

    /// On the event loop: the writes waiting for room go on (or fail, the socket being gone).
    func resumeWaiting(written: Bool) {
        let waiters = waiting.value
        waiting.value = []
        for waiter in waiters { waiter.resume(returning: written) }
    }
}
