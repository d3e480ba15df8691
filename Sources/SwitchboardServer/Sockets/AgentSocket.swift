import Foundation
import HummingbirdWebSocket
import Logging
import SwitchboardCore
import SwitchboardProtocol

/// One agent SDK connection on `/ws/agent`: `hello` → `welcome`, replayed events, `ready`; then
/// requests answered in order, and events as they are committed. See docs/protocol.md.
struct AgentSocket: Sendable {
    let server: ServerComponents
    /// The client's address, for pacing failed password logins per address.
    let address: String

    /// The largest WebSocket message read at all; bigger ones close the socket (1009). Frames
    /// between the protocol limit and this get a `payloadTooLarge` error and the socket lives on.
    static let hardMessageLimit = 1 << 20

    /// What the login phase hands to the serving phase.
    private struct Login: Sendable {
        let agent: AgentID
        let connection: ConnectionID
        let expiry: Expiry
        let attachment: AgentHub.Attachment
    }

    /// The connection's three phases. Logging in and recording the disconnect each run on a task
    /// of their own (``onItsOwnTask(_:)``), so that the task serving the connection for hours
    /// keeps only the shallow frames of its read loop, not the deepest stack a login needed.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let reader = FrameReader(inbound.messages(maxSize: Self.hardMessageLimit).makeAsyncIterator())
        guard let login = await onItsOwnTask({ await logIn(reader: reader, outbound: outbound, logger: logger) }) else { return }
        await serve(login, reader: reader, outbound: outbound, logger: logger)
        await onItsOwnTask { await recordDisconnect(login, logger: logger) }
    }

    /// 1. The hello, within the hello timeout; 2. the connection registered with routing and
    /// attached to the agent's events. Nil when the login failed (the socket is closed then).
    private func logIn(reader: FrameReader, outbound: WebSocketOutboundWriter, logger: Logger) async -> Login? {
        let limit = server.configuration.maximumFrameSize
        let hello = await withTaskGroup(of: Void.self, returning: (AgentID, Int?, Expiry, sdkLogin: Bool)?.self) { group in
            group.addTask {
                try? await Task.sleep(for: .seconds(server.configuration.helloTimeoutSeconds))
                if !Task.isCancelled {
                    let error = ProtocolError(.notAuthenticated, "no hello within \(server.configuration.helloTimeoutSeconds) seconds")
                    try? await outbound.write(.text(AgentServerFrame.error(error).encodedText()))
                    try? await outbound.close(.policyViolation, reason: "no hello")
                }
            }
            defer { group.cancelAll() }
            while true {
                guard let message = await reader.next() else { return nil }
                let frame: AgentClientFrame
                switch message.frame(as: AgentClientFrame.self, maximumSize: limit) {
                case .success(let decoded): frame = decoded
                case .failure(let error):
                    try? await outbound.write(.text(AgentServerFrame.reporting(error).encodedText()))
                    continue
                }
                switch frame {
                case .request(let request):
                    try? await outbound.write(.text(AgentServerFrame.response(.failure(id: request.id, errorMsg: "send hello first")).encodedText()))
                case .signal, .monitorSignal:
                    try? await outbound.write(.text(AgentServerFrame.error(ProtocolError(.unexpectedFrame, "send hello first")).encodedText()))
                case .hello(let hello):
                    switch await authenticate(hello) {
                    case .success(let (agent, expiry, sdkLogin)):
                        return (agent, hello.resumeFrom, expiry, sdkLogin)
                    case .failure(let failure):
                        logger.info("agent login refused", metadata: ["hello": "\(hello)", "address": "\(address)", "why": "\(failure.description)"])
                        if failure.expired {
                            // The SDK fires tokenExpired from this event, not from the error's wording.
                            try? await outbound.write(.text(AgentServerFrame.event(seq: 0, .tokenExpired).encodedText()))
                        }
                        let error = ProtocolError(.notAuthenticated, failure.description, retryAfter: failure.retryAfterSeconds)
                        try? await outbound.write(.text(AgentServerFrame.error(error).encodedText()))
                        try? await outbound.close(.policyViolation, reason: "not authenticated")
                        return nil
                    }
                }
            }
        }
        guard let (agent, resumeFrom, expiry, sdkLogin) = hello else { return nil }

        // Tagged with this process, so that with several nodes the leader knows who holds it.
        let connection = ConnectionID("c-\(UUID().uuidString.prefix(8).lowercased()).\(server.routing.nodeTag)")
        // Held from before its `connect` is sent: the leader must never drop it as nobody's.
        let socketKey = LockedValue<AgentHub.ConnectionKey?>(nil)
        server.routing.held.insert(connection.rawValue) { [server] in
            if let key = socketKey.value { server.agentHub.detach(key) }
        }
        do {
            try await server.routing.execute(.connect(agent, connection))
            // TCCC's SDK login puts the agent online (integrations check for `free` in `ready`):
            // a login with an SDK login token, not a reconnect, of an offline agent, unless the
            // tenant keeps agents offline until `Agent.online()`. Before the welcome, so its
            // snapshot already says so.
            if sdkLogin, resumeFrom == nil,
               await server.routing.read({ $0.configuration.onlineAtLogin && $0.agents[agent]?.status == .offline }) {
                // A failure here leaves the agent logged in and offline (it may go online itself);
                // the connection is recorded either way, so it is undone when the socket closes.
                do { try await server.routing.execute(.online(agent)) } catch {
                    logger.warning("an SDK login could not put the agent online", metadata: ["agent": "\(agent)", "error": "\(error)"])
                }
            }
        } catch {
            server.routing.held.remove(connection.rawValue)
            try? await outbound.write(.text(AgentServerFrame.error(ProtocolError(.internalError, "could not log in: \(error)")).encodedText()))
            try? await outbound.close(.unexpectedServerError, reason: "login failed")
            return nil
        }
        let attachment = await server.routing.read { machine in
            server.agentHub.attach(
                agent: agent.rawValue, resumeFrom: resumeFrom,
                welcome: { lastSeq, resumed in
                    var welcome = Self.welcome(for: agent, machine: machine, lastSeq: lastSeq, resumed: resumed)
                    welcome.iceServers = server.configuration.ice.iceServers(for: "agent-\(agent)")
                    return AgentServerFrame.welcome(welcome).encodedText()
                },
                after: [AgentServerFrame.event(seq: 0, .ready).encodedText()])
        }
        socketKey.set(attachment.key)
        logger.info("agent connected", metadata: ["agent": "\(agent)", "connection": "\(connection)", "resumed": "\(attachment.resumed)"])
        return Login(agent: agent, connection: connection, expiry: expiry, attachment: attachment)
    }

    /// 3. One writer drains the outbox; this task reads requests (each carried out on a task of
    ///    its own); a third ends expired logins or renews password logins.
    private func serve(_ login: Login, reader: FrameReader, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let (agent, attachment) = (login.agent, login.attachment)
        let limit = server.configuration.maximumFrameSize
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in attachment.outbox {
                    do { try await outbound.write(.text(text)) } catch { break }
                }
                // The outbox ends when this connection detaches, when the client left too many
                // frames unread, or when a supervisor disconnected the agent: close the socket; the
                // client may reconnect and resume.
                try? await outbound.close(.goingAway, reason: "closed by the server; reconnect and resume")
            }
            switch login.expiry {
            case .renewed:
                group.addTask { await renewLogin(of: agent, to: attachment.key, logger: logger) }
            case .at(let expiresAt):
                group.addTask {
                    let remaining = expiresAt.timeIntervalSinceNow
                    try? await Task.sleep(for: .milliseconds(Int64(max(0, remaining) * 1000)))
                    guard !Task.isCancelled else { return }
                    server.agentHub.send(AgentServerFrame.event(seq: 0, .tokenExpired).encodedText(), to: attachment.key)
                    try? await Task.sleep(for: .milliseconds(200))
                    try? await outbound.close(.policyViolation, reason: "token expired")
                }
            }
            let rate = server.configuration.agentFrameRate
            var rateLimit = FrameRateLimit(perSecond: rate, burst: rate * 4)
            while let message = await reader.next() {
                let reply: String? = rateLimit.allow()
                    ? await onItsOwnTask { await respond(to: message, agent: agent, limit: limit, logger: logger)?.encodedText() }
                    : Self.rateLimited(message, limit: limit, rate: rate).encodedText()
                if let reply { server.agentHub.send(reply, to: attachment.key) }
            }
            server.agentHub.detach(attachment.key)
            group.cancelAll()
        }
    }

    /// 4. The socket is gone: routing starts the reconnect grace period.
    private func recordDisconnect(_ login: Login, logger: Logger) async {
        // No longer held, whatever happens next: a disconnect that cannot reach the leader now is
        // made by the leader once this node links again (or leads) without it.
        server.routing.held.remove(login.connection.rawValue)
        do {
            try await server.routing.execute(.disconnect(login.agent, login.connection))
        } catch RoutingService.Failure.refused(let refusal) where refusal.code == .unknownAgent {
            // The agent was deleted, which is what closed this socket: nothing to record.
        } catch {
            logger.warning("disconnect not recorded", metadata: ["agent": "\(login.agent)", "error": "\(error)"])
        }
        logger.info("agent disconnected", metadata: ["agent": "\(login.agent)", "connection": "\(login.connection)"])
    }

    /// The answer to a frame over the rate limit: its request fails (so the caller's promise
    /// settles), or an error frame when it is not a readable request.
    static func rateLimited(_ message: WebSocketMessage, limit: Int, rate: Double) -> AgentServerFrame {
        let text = "too many frames: at most \(Int(rate)) a second on average; this one was not handled"
        if case .success(.request(let request)) = message.frame(as: AgentClientFrame.self, maximumSize: limit) {
            return .response(.failure(id: request.id, errorMsg: text))
        }
        return .error(ProtocolError(.rateLimited, text))
    }

    /// When a connection's login ends.
    enum Expiry: Sendable {
        /// At the admin-issued token's expiry: the client needs a new token from its backend.
        case at(Date)
        /// Never while connected: a password login, carried by session tokens the server renews.
        case renewed
    }

    /// Sends a session token now (after `ready`), and a fresh one every half lifetime, so a
    /// connected agent's login never runs out and the SDK need not keep the password.
    private func renewLogin(of agent: AgentID, to key: AgentHub.ConnectionKey, logger: Logger) async {
        let interval = Duration.milliseconds(Int64(server.authenticator.sessionLifetime) * 500)
        while !Task.isCancelled {
            await onItsOwnTask { [server] in
                do {
                    let (token, expiresAt) = try await server.authenticator.issueSessionToken(for: agent)
                    let login = AgentLogin(token: token, expiresAt: Int64(expiresAt.timeIntervalSince1970 * 1000))
                    server.agentHub.send(AgentServerFrame.login(login).encodedText(), to: key)
                } catch {
                    logger.warning("could not issue a login token", metadata: ["agent": "\(agent)", "error": "\(error)"])
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Checks a token, or a user id and password, naming what is wrong.
    /// The agent, how its login expires, and whether it is an SDK login (a login token the
    /// server API or admin API issued, not a password or a session token the server renewed).
    private func authenticate(_ hello: AgentHello) async -> Result<(AgentID, Expiry, Bool), AuthenticationFailure> {
        let agent: AgentID
        let expiry: Expiry
        var sdkLogin = false
        var singleUse: (id: String, expiresAt: Date)?
        if let token = hello.token, !token.isEmpty {
            do {
                let verified = try await server.authenticator.verify(token: token)
                agent = verified.agent
                // A single-use token cannot log in again, so its login carries on as a password
                // login does: with session tokens the SDK reconnects with.
                expiry = verified.isSession || verified.singleUseId != nil ? .renewed : .at(verified.expiresAt)
                singleUse = verified.singleUseId.map { ($0, verified.expiresAt) }
                sdkLogin = !verified.isSession
            } catch {
                return .failure(error)
            }
            if let claimed = hello.userId, !claimed.isEmpty, claimed != agent.rawValue {
                return .failure(AuthenticationFailure("the token was issued for another agent than userId '\(claimed)'"))
            }
        } else if let userId = hello.userId, !userId.isEmpty, let password = hello.password, !password.isEmpty {
            agent = AgentID(userId)
            do { try await server.authenticator.login(password: password, for: agent, from: address) } catch {
                return .failure(error)
            }
            expiry = .renewed
        } else {
            return .failure(AuthenticationFailure("hello needs a token, or a userId and password"))
        }
        let exists = await server.routing.read { $0.agents[agent] != nil }
        if !exists { return .failure(AuthenticationFailure("agent '\(agent)' does not exist (it may have been removed)")) }
        if let singleUse {
            // Spent only once everything else is accepted, and atomically: of two logins racing
            // with one token, one gets in.
            do { try await server.authenticator.spendSingleUseToken(singleUse.id, expiresAt: singleUse.expiresAt) } catch {
                return .failure(error)
            }
        }
        return .success((agent, expiry, sdkLogin))
    }

    /// The agent's state for `welcome`.
    static func welcome(for agent: AgentID, machine: RoutingStateMachine, lastSeq: Int, resumed: Bool) -> AgentWelcome {
        let state = machine.agents[agent]
        let sessions = ((state?.ringing ?? []).union(state?.held ?? []))
            .compactMap { machine.sessions[$0] }
            .sorted { $0.arrival < $1.arrival }
            .compactMap { WireTranslation.summary(of: $0, machine: machine, now: Timestamp.now()) }
        return AgentWelcome(
            userId: agent.rawValue, name: state?.profile.name ?? agent.rawValue,
            status: WireTranslation.status(state?.status ?? .offline), restReason: state?.restReason,
            pendingStatus: state?.pendingStatus.map(WireTranslation.status), pendingRestReason: state?.pendingRestReason,
            sessions: sessions, lastSeq: lastSeq, resumed: resumed,
            placedCalls: machine.callsPlaced(by: agent).map {
                CallOuted(
                    sessionId: $0.id.rawValue, type: .internal, calleeUserId: $0.directedTo?.rawValue,
                    skillGroupId: $0.skillGroupId.rawValue, answered: $0.acceptedAt != nil)
            })
    }

    /// Reads one frame and carries it out; the answer is a response or an error frame.
    /// Nil when the frame needs no answer (a relayed signal).
    private func respond(to message: WebSocketMessage, agent: AgentID, limit: Int, logger: Logger) async -> AgentServerFrame? {
        let frame: AgentClientFrame
        switch message.frame(as: AgentClientFrame.self, maximumSize: limit) {
        case .success(let decoded): frame = decoded
        case .failure(let error): return .reporting(error)
        }
        switch frame {
        case .hello:
            return .error(ProtocolError(.unexpectedFrame, "already logged in; hello is sent once per connection"))
        case .request(let request):
            return .response(await AgentRequests(server: server, agent: agent).perform(request))
        case .signal(let sessionId, let signal):
            do {
                try await server.calls.relay(signal, in: SessionID(sessionId), from: .agent(agent))
                return nil
            } catch {
                return .error(ProtocolError(.invalidValue, "signal not sent: \(error.description)"))
            }
        case .monitorSignal(let monitorId, let signal):
            do throws(CallMonitors.Refusal) {
                try server.calls.monitors.fromAgent(agent, monitorId, signal)
                return nil
            } catch {
                return .error(ProtocolError(.invalidValue, "monitor signal not sent: \(error.description)"))
            }
        }
    }
}
