import Foundation
import HummingbirdWSClient
import Logging

/// The one owner of the agent socket: logs in, matches responses to requests, numbers events,
/// reconnects with backoff and resumes, pings, and feeds ``SharedState``.
///
/// Its long-lived work runs in one task it owns (``loop``): a reconnect loop beside a ticker that
/// expires requests, sends pings and gives up on logins that never finish. ``close()`` ends it.
actor AgentConnection {
    /// What the app reads synchronously and listens with.
    nonisolated let shared: SharedState

    private let endpoint: String
    private var credentials: TCCC.Credentials
    private let configuration: TCCC.Configuration
    private let logger: Logger
    private let backoff: ReconnectBackoff

    private var lifecycle = Lifecycle.idle
    private var cursor = EventCursor()
    private var requests: [String: PendingRequest] = [:]
    private var requestCounter = 0
    private var link: Link?
    private var linkCounter = 0
    private var hasBeenReady = false
    private var readyWaiters: [CheckedContinuation<Result<Void, TCCCError>, Never>] = []
    /// The connection task; readable without the actor so that ``TCCC``'s deinit can cancel it.
    private nonisolated let loop = Locked<Task<Void, Never>?>(nil)

    private enum Lifecycle: Equatable {
        case idle
        case running
        case failed(TCCCError)
        case closed
    }

    /// A request waiting for its response.
    private struct PendingRequest {
        let number: Int
        let method: AgentCall.Method
        let text: String
        let deadline: ContinuousClock.Instant
        /// The link it was written to; nil while it waits for a connection.
        var sentOn: Int?
        let complete: @Sendable (Result<AgentResponse, TCCCError>) -> Void
    }

    /// One WebSocket connection, from `hello` to close.
    private struct Link {
        let generation: Int
        let outbox: AsyncStream<Outgoing>.Continuation
        let openedAt: ContinuousClock.Instant
        var phase = Phase.awaitingWelcome
        var lastPing: ContinuousClock.Instant
        /// Set when the SDK or the server has decided to end this link, and why.
        var ending: LinkEnd?

        enum Phase { case awaitingWelcome, catchingUp, ready }
    }

    private enum Outgoing: Sendable {
        case text(String)
        case close
    }

    /// Why a link ended, deciding what the reconnect loop does next.
    private enum LinkEnd {
        /// The login was refused: stop.
        case refused(TCCCError)
        /// The token ran out: stop until the app gives a new one.
        case tokenExpired(TCCCError)
        /// The socket dropped or was dropped on purpose: reconnect and resume.
        case dropped(String)
    }

    init(endpoint: String, credentials: TCCC.Credentials, configuration: TCCC.Configuration, shared: SharedState) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.configuration = configuration
        self.logger = configuration.logger
        self.shared = shared
        self.backoff = ReconnectBackoff(initial: configuration.initialReconnectDelay, maximum: configuration.maximumReconnectDelay)
    }

    // MARK: Starting and stopping

    /// Opens the connection and waits for `ready`; returns at once if already ready.
    func connect() async throws(TCCCError) {
        switch lifecycle {
        case .closed:
            throw TCCCError(.closed, "the SDK was closed; create a new TCCC instance to log in again")
        case .running:
            if shared.connectionState == .ready { return }
        case .idle, .failed:
            start()
        }
        try await waitUntilReady()
    }

    /// The token HTTP requests carry: the SDK token, or the session token a password login got;
    /// nil once the SDK is closed (as its socket calls, its HTTP calls stop).
    var bearerToken: String? {
        if lifecycle != .closed, case .token(let token, _) = credentials { return token }
        return nil
    }

    /// The server's HTTP origin, from the socket's: `ws://host:8080/ws/agent` → `http://host:8080`.
    var httpBase: String {
        var base = endpoint
        if base.hasPrefix("wss://") { base = "https://" + base.dropFirst(6) } else if base.hasPrefix("ws://") { base = "http://" + base.dropFirst(5) }
        if base.hasSuffix(WireProtocol.agentSocketPath) { base.removeLast(WireProtocol.agentSocketPath.count) }
        return base
    }

    /// Logs in again with a new SDK token, keeping the event cursor so nothing is lost.
    func restart(token: String) async throws(TCCCError) {
        let userId: String? = switch credentials {
        case .token(_, let userId): userId
        case .password(let userId, _): userId
        }
        credentials = .token(token, userId: userId)
        switch lifecycle {
        case .closed:
            throw TCCCError(.closed, "the SDK was closed; create a new TCCC instance to log in again")
        case .running:
            drop(reason: "logging in with a new token")
        case .idle, .failed:
            start()
        }
        try await waitUntilReady()
    }

    /// Closes the socket for good: pending calls fail with ``TCCCError/Code/closed``, streams end.
    func close() async {
        guard lifecycle != .closed else { return }
        lifecycle = .closed
        link?.ending = .dropped("closed by the app")
        link?.outbox.yield(.close)
        if let task = loop.withLock({ $0 }) {
            // The close handshake normally ends the loop at once; don't wait on a dead network.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await task.value }
                group.addTask { try? await Task.sleep(for: .seconds(3)) }
                await group.next()
                task.cancel()
                group.cancelAll()
            }
        }
        let closed = TCCCError(.closed, "the SDK was closed")
        failAllRequests(with: closed)
        resumeReadyWaiters(with: .failure(closed))
        shared.setConnectionState(.closed)
        shared.finishStreams()
    }

    /// Cancels the connection task without the close handshake; for ``TCCC``'s deinit.
    nonisolated func cancelLoop() {
        loop.withLock { $0?.cancel() }
    }

    private func start() {
        lifecycle = .running
        shared.setConnectionState(hasBeenReady ? .reconnecting(attempt: 1) : .connecting)
        let task = Task { await self.run() }
        loop.withLock { $0 = task }
    }

    private func waitUntilReady() async throws(TCCCError) {
        let result = await withCheckedContinuation { continuation in
            readyWaiters.append(continuation)
        }
        try result.get()
    }

    private func resumeReadyWaiters(with result: Result<Void, TCCCError>) {
        let waiters = readyWaiters
        readyWaiters = []
        for waiter in waiters { waiter.resume(returning: result) }
    }

    /// Stops reconnecting: the login was refused or the token expired.
    private func fail(with error: TCCCError) {
        logger.warning("TCCC connection failed", metadata: ["error": "\(error)"])
        lifecycle = .failed(error)
        shared.setConnectionState(.failed(error))
        failAllRequests(with: error)
        resumeReadyWaiters(with: .failure(error))
    }

    // MARK: The connection loop

    private func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    await self.tick()
                }
            }
            await reconnect()
            group.cancelAll()
        }
    }

    /// Runs links until the SDK is closed or the server refuses the login.
    private func reconnect() async {
        var attempt = 0
        while !Task.isCancelled, lifecycle == .running {
            let (end, reachedReady) = await runLink()
            guard lifecycle == .running, !Task.isCancelled else { return }
            switch end {
            case .refused(let error), .tokenExpired(let error):
                fail(with: error)
                return
            case .dropped(let reason):
                guard hasBeenReady else {
                    fail(with: TCCCError(.connectionFailed, "could not log in to \(endpoint): \(reason)"))
                    return
                }
                attempt = reachedReady ? 1 : attempt + 1
                logger.info("TCCC connection dropped; reconnecting", metadata: ["reason": "\(reason)", "attempt": "\(attempt)"])
                shared.setConnectionState(.reconnecting(attempt: attempt))
                try? await Task.sleep(for: backoff.delay(forAttempt: attempt))
            }
        }
    }

    /// One connection: hello, frames in order, until the socket closes. Returns why it ended and
    /// whether it got as far as `ready`.
    private func runLink() async -> (LinkEnd, Bool) {
        linkCounter += 1
        let generation = linkCounter
        let (outgoing, outbox) = AsyncStream.makeStream(of: Outgoing.self)
        let hello = AgentClientFrame.hello(credentials.hello(sdkAppId: configuration.sdkAppId, resumeFrom: cursor.position))
        outbox.yield(.text(hello.encodedText()))
        let now = ContinuousClock.now
        link = Link(generation: generation, outbox: outbox, openedAt: now, lastPing: now)

        let maximumFrameSize = configuration.maximumFrameSize
        let socketConfiguration = WebSocketClientConfiguration(maxFrameSize: maximumFrameSize, closeTimeout: .seconds(2))
        var failure: String?
        do {
            try await WebSocketClient.connect(url: endpoint, configuration: socketConfiguration, logger: logger) { inbound, outbound, _ in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await item in outgoing {
                            guard case .text(let text) = item else { return }
                            do { try await outbound.write(.text(text)) } catch { return }
                        }
                    }
                    group.addTask {
                        do {
                            // The server sends only text frames (protocol §1).
                            for try await message in inbound.messages(maxSize: maximumFrameSize) {
                                guard case .text(let text) = message else { continue }
                                await self.receive(text, on: generation)
                            }
                        } catch {}
                    }
                    // Either side ending ends the link: the server closed, or the SDK asked to.
                    await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            failure = "\(error)"
        }
        outbox.finish()
        return linkClosed(generation, failure: failure)
    }

    private func linkClosed(_ generation: Int, failure: String?) -> (LinkEnd, Bool) {
        let ended = link?.generation == generation ? link : nil
        if ended != nil { link = nil }
        let lost = TCCCError(.connectionLost, "the connection dropped before the server answered; the call may or may not have taken effect")
        for (id, request) in requests where request.sentOn == generation {
            requests[id] = nil
            request.complete(.failure(lost))
        }
        let reachedReady = ended?.phase == .ready
        if let ending = ended?.ending { return (ending, reachedReady) }
        if let failure { return (.dropped(failure), reachedReady) }
        return (.dropped(ended?.phase == .awaitingWelcome ? "the server closed the connection before logging in" : "the server closed the connection"), reachedReady)
    }

    /// Ends the current link; the loop reconnects and resumes (unless the SDK is closing).
    private func drop(reason: String) {
        guard link != nil, link?.ending == nil else { return }
        logger.info("TCCC dropping the connection", metadata: ["reason": "\(reason)"])
        link?.ending = .dropped(reason)
        link?.outbox.yield(.close)
    }

    /// Drops the socket as if the network had failed, so tests can check reconnecting and resuming.
    /// The credentials the next connection attempt presents.
    var currentCredentials: TCCC.Credentials { credentials }

    func dropConnection() {
        drop(reason: "dropped for testing")
    }

    // MARK: Frames from the server

    private func receive(_ text: String, on generation: Int) {
        guard let current = link, current.generation == generation else { return }
        let frame: AgentServerFrame
        do {
            frame = try AgentServerFrame.decode(text, maximumSize: configuration.maximumFrameSize)
        } catch {
            skipUnreadable(text, error: error)
            return
        }
        switch frame {
        case .response(let response):
            complete(response)
        case .welcome(let welcome):
            guard current.ending == nil else { return }
            handleWelcome(welcome)
        case .event(let seq, let event):
            guard current.ending == nil else { return }
            handleEvent(event, seq: seq)
        case .error(let error):
            handleServerError(error, phase: current.phase)
        case .signal(let sessionId, let signal):
            guard current.ending == nil else { return }
            shared.deliverSignal(sessionId: sessionId, signal)
        case .login(let login):
            // A password login goes on with the server's token: the password is not kept, and
            // reconnects present the newest token.
            credentials = .token(login.token, userId: credentials.userId)
        case .customerTyping:
            break  // TCCC's SDK has no typing event; the browser workbench shows it
        case .monitor, .monitorSignal:
            break  // this SDK has no call media, so it has nothing to let a supervisor hear
        
        }
    }

    /// Sends a call's WebRTC signal to the other side; false when there is no live connection
    /// (signals are not queued: after a reconnect the call renegotiates).
    func sendSignal(sessionId: String, _ signal: CallSignal) -> Bool {
        guard let link, link.phase == .ready, link.ending == nil else { return false }
        link.outbox.yield(.text(AgentClientFrame.signal(sessionId: sessionId, signal).encodedText()))
        return true
    }

    private func handleWelcome(_ welcome: AgentWelcome) {
        link?.phase = .catchingUp
        shared.iceServers = welcome.iceServers ?? []
        if welcome.resumed && cursor.position != nil {
            shared.updateMirror { mirror in
                mirror.userId = welcome.userId
                mirror.name = welcome.name
            }
            logger.debug("TCCC resumed", metadata: ["from": "\(cursor.position ?? 0)", "lastSeq": "\(welcome.lastSeq)"])
            return
        }
        let changes = shared.updateMirror { $0.rebuild(from: welcome, now: Date()) }
        cursor.reset(to: welcome.lastSeq)
        if hasBeenReady {
            logger.info("TCCC could not resume; rebuilt from the server's snapshot", metadata: ["changes": "\(changes.count)"])
        }
        for event in changes { shared.deliver(event) }
    }

    private func handleEvent(_ event: AgentEvent, seq: Int) {
        switch cursor.admit(seq: seq) {
        case .duplicate:
            return
        case .gap(let expected):
            logger.warning("TCCC missed events; resuming", metadata: ["expected": "\(expected)", "got": "\(seq)"])
            drop(reason: "event \(expected) was missed")
        case .connectionScoped:
            switch event {
            case .ready:
                becomeReady()
            case .tokenExpired:
                let error = TCCCError(.tokenExpired, "the login token has expired; get a new one from the server API and call restart(token:)")
                link?.ending = .tokenExpired(error)
                link?.outbox.yield(.close)
                shared.deliver(.tokenExpired)
            default:
                if shared.updateMirror({ $0.apply(event, now: Date()) }) { shared.deliver(event) }
            }
        case .next:
            if shared.updateMirror({ $0.apply(event, now: Date()) }) { shared.deliver(event) }
        }
    }

    private func becomeReady() {
        link?.phase = .ready
        link?.lastPing = .now
        hasBeenReady = true
        shared.setConnectionState(.ready)
        if let link {
            for (id, request) in requests.sorted(by: { $0.value.number < $1.value.number }) where request.sentOn == nil {
                link.outbox.yield(.text(request.text))
                requests[id]?.sentOn = link.generation
            }
        }
        resumeReadyWaiters(with: .success(()))
        shared.deliver(.ready)
    }

    private func handleServerError(_ error: ProtocolError, phase: Link.Phase) {
        guard phase == .awaitingWelcome, error.code == .notAuthenticated else {
            logger.warning("TCCC server reported an error", metadata: ["error": "\(error)"])
            return
        }
        // An expired token is announced by the server's `tokenExpired` event just before this
        // error (protocol §2.1), and has already ended the link as such.
        if case .tokenExpired? = link?.ending { return }
        link?.ending = .refused(TCCCError(.notAuthenticated, error.message))
    }

    /// A frame this SDK cannot read. An unknown event still moves the cursor (protocol §2.4).
    private func skipUnreadable(_ text: String, error: ProtocolError) {
        if error.code == .unknownEvent,
           let value = try? JSONParser.parse(text),
           case .integer(let seq)? = value["seq"] {
            logger.debug("TCCC skipped an unknown event", metadata: ["error": "\(error)"])
            if case .gap(let expected) = cursor.admit(seq: Int(seq)) {
                drop(reason: "event \(expected) was missed")
            }
            return
        }
        logger.warning("TCCC skipped a frame it could not read", metadata: ["error": "\(error)"])
    }

    // MARK: Requests

    /// Sends a call and waits for its response, a timeout, or the end of the connection.
    func perform(_ call: AgentCall) async -> Result<AgentResponse, TCCCError> {
        switch lifecycle {
        case .idle:
            return .failure(TCCCError(.closed, "the SDK is not connected; call connect() first"))
        case .closed:
            return .failure(TCCCError(.closed, "the SDK was closed"))
        case .failed(let error):
            return .failure(error)
        case .running:
            return await withCheckedContinuation { continuation in
                enqueue(call, timeout: configuration.requestTimeout) { continuation.resume(returning: $0) }
            }
        }
    }

    private func enqueue(_ call: AgentCall, timeout: Duration, complete: @escaping @Sendable (Result<AgentResponse, TCCCError>) -> Void) {
        requestCounter += 1
        let id = "r-\(requestCounter)"
        let text = AgentClientFrame.request(AgentRequest(id: id, call: call)).encodedText()
        var request = PendingRequest(number: requestCounter, method: call.method, text: text, deadline: .now + timeout, complete: complete)
        if let link, link.phase == .ready, link.ending == nil {
            link.outbox.yield(.text(text))
            request.sentOn = link.generation
        }
        requests[id] = request
    }

    private func complete(_ response: AgentResponse) {
        guard let request = requests.removeValue(forKey: response.id) else {
            logger.debug("TCCC response to a request that timed out", metadata: ["id": "\(response.id)"])
            return
        }
        request.complete(.success(response))
    }

    private func failAllRequests(with error: TCCCError) {
        let failed = requests.values.sorted { $0.number < $1.number }
        requests = [:]
        for request in failed { request.complete(.failure(error)) }
    }

    // MARK: Timers

    /// Every 200 ms: expire requests, ping, give up on a login that never finishes.
    private func tick() {
        let now = ContinuousClock.now
        for (id, request) in requests where request.deadline <= now {
            requests[id] = nil
            let seconds = configuration.requestTimeout.components.seconds
            if request.method == .ping {
                drop(reason: "no answer to ping within \(configuration.pingTimeout)")
            }
            let message = request.sentOn == nil
                ? "could not reach the server within \(seconds) seconds (\(shared.connectionState))"
                : "the server did not answer \(request.method.rawValue) within \(seconds) seconds"
            request.complete(.failure(TCCCError(.timedOut, message)))
        }
        guard let current = link, current.ending == nil else { return }
        if current.phase != .ready, now - current.openedAt > configuration.connectTimeout {
            drop(reason: "no ready within \(configuration.connectTimeout)")
        } else if current.phase == .ready, now - current.lastPing >= configuration.pingInterval {
            link?.lastPing = now
            enqueue(.ping, timeout: configuration.pingTimeout) { _ in }
        }
    }
}
