import DequeModule
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import SwitchboardCore

/// Drives one `/ws/agent` connection from its ``NativeWebSocket``, on the channel's event loop:
/// the hello within its timeout, the login, then frames answered one at a time and in order,
/// the login token's expiry or renewal, and the disconnect.
///
/// The work behind a frame (authenticating, routing, the store) is async: it runs on a task of
/// its own, as `onItsOwnTask` does for the task-served sockets, and its answer comes back to the
/// event loop. Between frames the connection holds no task at all, which is what an idle agent's
/// memory comes down to (docs/benchmarks.md, "Idle agents").
final class AgentSocketConnection: NativeWebSocketDelegate {
    private enum Phase {
        /// Over the per-address connection limit, or the server is stopping: told so, then closed.
        case refused
        case awaitingHello
        case serving(AgentSocket.Login)
        case closed
    }

    /// Frames read ahead of the one being handled; more and the socket is not read (TCP then
    /// holds the client back, as it did when a task read one frame at a time).
    private static let readAhead = 16

    private let agentSocket: AgentSocket
    private let logger: Logger
    private var server: ServerComponents { agentSocket.server }
    private var phase = Phase.awaitingHello
    private var socket: NativeWebSocket?
    private var outbox: SocketOutbox?
    private var pending = Deque<WebSocketMessage>()
    /// A frame's task is running; its answer comes back before the next frame starts.
    private var busy = false
    /// The connection holds a slot of its address's connection limit.
    private var holdsSlot = false
    private var rateLimit: FrameRateLimit
    private var helloTimer: Scheduled<Void>?
    private var loginTimer: Scheduled<Void>?

    init(agentSocket: AgentSocket, logger: Logger) {
        self.agentSocket = agentSocket
        self.logger = logger
        let rate = agentSocket.server.configuration.agentFrameRate
        self.rateLimit = FrameRateLimit(perSecond: rate, burst: rate * 4)
    }

    /// What installs a connection's handler on an upgraded channel.
    static func starter(server: ServerComponents, address: String) -> NativeSocketStarter {
        NativeSocketStarter { channel, logger in
            let connection = AgentSocketConnection(agentSocket: AgentSocket(server: server, address: address), logger: logger)
            let socket = NativeWebSocket(configuration: .init(maximumMessageSize: AgentSocket.hardMessageLimit), delegate: connection)
            try channel.pipeline.syncOperations.addHandler(socket)
        }
    }

    // MARK: The socket's events

    func opened(_ socket: NativeWebSocket) {
        self.socket = socket
        guard server.openSockets.insert(socket) else {
            phase = .refused
            socket.close(.goingAway, reason: "the server is stopping; reconnect")
            return
        }
        let address = agentSocket.address
        guard server.connectionLimiter.acquire(address) else {
            phase = .refused
            socket.refuseOverConnectionLimit(server.connectionLimiter.limit)
            return
        }
        holdsSlot = true
        outbox = SocketOutbox(socket: socket, capacity: server.agentHub.outboxCapacity)
        let timeout = server.configuration.helloTimeoutSeconds
        helloTimer = socket.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(timeout))) { [weak self] in
            guard let self, case .awaitingHello = phase else { return }
            self.socket?.send(text: agentSocket.helloTimeoutFrame, flush: false)
            self.socket?.close(.policyViolation, reason: "no hello")
        }
    }

    func received(_ message: WebSocketMessage, on socket: NativeWebSocket) {
        switch phase {
        case .refused, .closed:
            return
        case .awaitingHello, .serving:
            pending.append(message)
            if pending.count >= Self.readAhead { socket.pauseReading() }
            handleNext()
        }
    }

    func becameWritable(_ socket: NativeWebSocket) {
        outbox?.drain()
    }

    func closed(_ socket: NativeWebSocket) {
        server.openSockets.remove(socket)
        if case .refused = phase {
            phase = .closed
        } else {
            let login: AgentSocket.Login? = if case .serving(let login) = phase { login } else { nil }
            phase = .closed
            // A frame's task still running finishes first: what it logged in, if anything, is
            // undone, and the address's connection slot given back, when its answer comes back
            // (``finishedLogin(_:)``, ``finishedFrame(of:)``). So an address cannot have more
            // logins or requests in progress than its connection limit by dropping sockets.
            if !busy {
                if let login { disconnect(login) }
                releaseSlot()
            }
        }
        helloTimer?.cancel()
        loginTimer?.cancel()
        pending.removeAll()
        self.socket = nil
    }

    // MARK: Frames, one at a time

    private func handleNext() {
        // Frames read before the server began to close the socket are not handled.
        guard !busy, let socket, !socket.isClosing, let message = pending.popFirst() else { return }
        if pending.count < Self.readAhead / 2 { socket.resumeReading() }
        let back = NIOLoopBound(self, eventLoop: socket.eventLoop)
        let (agentSocket, logger) = (self.agentSocket, self.logger)
        switch phase {
        case .awaitingHello:
            guard let outbox else { return }
            busy = true
            Task {
                let outcome = await agentSocket.readBeforeLogin(message, outbox: outbox, logger: logger)
                back.eventLoop.execute { back.value.finishedLogin(outcome) }
            }
        case .serving(let login):
            guard rateLimit.allow() else {
                let rate = server.configuration.agentFrameRate
                let reply = AgentSocket.rateLimited(message, limit: server.configuration.maximumFrameSize, rate: rate).encodedText()
                server.agentHub.send(reply, to: login.attachment.key)
                // The next frame on the event loop's next turn: the outbox drains between them,
                // and a flood of refused frames is answered a turn at a time, not all at once.
                socket.eventLoop.assumeIsolated().execute { [weak self] in self?.handleNext() }
                return
            }
            busy = true
            let hub = server.agentHub
            Task {
                // Through the hub, so that the answer keeps its place among the agent's events.
                if let reply = await agentSocket.answer(message, from: login.agent, logger: logger) {
                    hub.send(reply, to: login.attachment.key)
                }
                back.eventLoop.execute { back.value.finishedFrame(of: login) }
            }
        case .refused, .closed:
            return
        }
    }

    private func finishedLogin(_ outcome: AgentSocket.BeforeLogin) {
        busy = false
        if case .closed = phase { releaseSlot() }
        switch (outcome, phase) {
        case (.loggedIn(let login), .closed):
            // The client left (or the hello timed out) while it was logging in.
            disconnect(login)
        case (.loggedIn(let login), _):
            phase = .serving(login)
            helloTimer?.cancel()
            helloTimer = nil
            startLoginTimer(for: login)
            handleNext()
        case (.answer(let text), _):
            socket?.send(text: text, flush: true)
            handleNext()
        case (.refused(let frames, let code, let reason), _):
            for frame in frames { socket?.send(text: frame, flush: false) }
            socket?.close(code, reason: reason)
        }
    }

    private func finishedFrame(of login: AgentSocket.Login) {
        busy = false
        if case .closed = phase {
            disconnect(login)
            releaseSlot()
        } else {
            handleNext()
        }
    }

    // MARK: The login's lifetime

    private func startLoginTimer(for login: AgentSocket.Login) {
        guard let socket else { return }
        let key = login.attachment.key
        switch login.expiry {
        case .at(let expiresAt):
            // An admin-issued token: at its expiry the SDK is told, and the socket closes.
            let remaining = TimeAmount.milliseconds(Int64(max(0, expiresAt.timeIntervalSinceNow) * 1000))
            loginTimer = socket.eventLoop.assumeIsolated().scheduleTask(in: remaining) { [weak self] in
                guard let self, case .serving = phase else { return }
                server.agentHub.send(AgentSocket.tokenExpiredFrame, to: key)
                loginTimer = self.socket?.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(200)) { [weak self] in
                    self?.socket?.close(.policyViolation, reason: "token expired")
                }
            }
        case .renewed:
            renewLogin(login)
        }
    }

    /// A password login: a session token now (after `ready`), and again every half lifetime.
    private func renewLogin(_ login: AgentSocket.Login) {
        guard let socket, case .serving = phase else { return }
        let (agentSocket, logger) = (self.agentSocket, self.logger)
        Task { await agentSocket.renewLogin(of: login.agent, to: login.attachment.key, logger: logger) }
        let interval = agentSocket.loginRenewalInterval.components
        let nanoseconds = interval.seconds * 1_000_000_000 + interval.attoseconds / 1_000_000_000
        loginTimer = socket.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { [weak self] in
            self?.renewLogin(login)
        }
    }

    /// Gives the address's connection slot back, once.
    private func releaseSlot() {
        guard holdsSlot else { return }
        holdsSlot = false
        server.connectionLimiter.release(agentSocket.address)
    }

    /// The connection is over: its outbox detached, routing told (on a task: it waits for the
    /// commit).
    private func disconnect(_ login: AgentSocket.Login) {
        server.agentHub.detach(login.attachment.key)
        let (agentSocket, logger) = (self.agentSocket, self.logger)
        Task { await agentSocket.recordDisconnect(login, logger: logger) }
    }
}
