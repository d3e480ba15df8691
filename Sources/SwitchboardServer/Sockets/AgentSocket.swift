import Foundation
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import SwitchboardCore
import SwitchboardProtocol

/// What one agent SDK connection on `/ws/agent` does: `hello` → `welcome`, replayed events,
/// `ready`; then requests answered in order, and events as they are committed. See
/// docs/protocol.md. ``AgentSocketConnection`` drives it from the socket.
struct AgentSocket: Sendable {
    let server: ServerComponents
    /// The client's address, for pacing failed password logins per address.
    let address: String

    /// The largest WebSocket message read at all; bigger ones close the socket (1009). Frames
    /// between the protocol limit and this get a `payloadTooLarge` error and the socket lives on.
    static let hardMessageLimit = 1 << 20

    /// What the login hands to the serving phase.
    struct Login: Sendable {
        let agent: AgentID
        let connection: ConnectionID
        let expiry: Expiry
        let attachment: AgentHub.Attachment
    }

    /// What one frame read before the login did.
    enum BeforeLogin: Sendable {
        /// Not a hello, or one that could not be read: this answer; the next frame may be one.
        case answer(String)
        /// The login failed: these frames, then the socket closes with `code` and `reason`.
        case refused([String], code: WebSocketErrorCode, reason: String)
        /// Logged in: the welcome, replay and `ready` are queued in the outbox.
        case loggedIn(Login)
    }

    /// The frame sent when no hello came within the hello timeout.
    var helloTimeoutFrame: String {
        let seconds = server.configuration.helloTimeoutSeconds
        return AgentServerFrame.error(ProtocolError(.notAuthenticated, "no hello within \(seconds) seconds")).encodedText()
    }

    /// 1. A frame before the login: a hello logs in (2.) with `outbox` as the connection's.
    func readBeforeLogin(_ message: WebSocketMessage, outbox: some AgentOutbox, logger: Logger) async -> BeforeLogin {
        let frame: AgentClientFrame
        switch message.frame(as: AgentClientFrame.self, maximumSize: server.configuration.maximumFrameSize) {
        case .success(let decoded): frame = decoded
        case .failure(let error): return .answer(AgentServerFrame.reporting(error).encodedText())
        }
        switch frame {
        case .request(let request):
            return .answer(AgentServerFrame.response(.failure(id: request.id, errorMsg: "send hello first")).encodedText())
        case .signal, .monitorSignal:
            return .answer(AgentServerFrame.error(ProtocolError(.unexpectedFrame, "send hello first")).encodedText())
        case .hello(let hello):
            switch await authenticate(hello) {
            case .success(let (agent, expiry, sdkLogin)):
                return await logIn(agent, resumeFrom: hello.resumeFrom, expiry: expiry, sdkLogin: sdkLogin, outbox: outbox, logger: logger)
            case .failure(let failure):
                logger.info("agent login refused", metadata: ["hello": "\(hello)", "address": "\(address)", "why": "\(failure.description)"])
                var frames: [String] = []
                if failure.expired {
                    // The SDK fires tokenExpired from this event, not from the error's wording.
                    frames.append(AgentServerFrame.event(seq: 0, .tokenExpired).encodedText())
                }
                let error = ProtocolError(.notAuthenticated, failure.description, retryAfter: failure.retryAfterSeconds)
                frames.append(AgentServerFrame.error(error).encodedText())
                return .refused(frames, code: .policyViolation, reason: "not authenticated")
            }
        }
    }

    /// 2. The connection registered with routing and attached to the agent's events.
    private func logIn(
        _ agent: AgentID, resumeFrom: Int?, expiry: Expiry, sdkLogin: Bool, outbox: some AgentOutbox, logger: Logger
    ) async -> BeforeLogin {
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
            let frame = AgentServerFrame.error(ProtocolError(.internalError, "could not log in: \(error)")).encodedText()
            return .refused([frame], code: .unexpectedServerError, reason: "login failed")
        }
        let attachment = await server.routing.read { machine in
            server.agentHub.attach(
                agent: agent.rawValue, resumeFrom: resumeFrom,
                welcome: { lastSeq, resumed in
                    var welcome = Self.welcome(for: agent, machine: machine, lastSeq: lastSeq, resumed: resumed)
                    welcome.iceServers = server.configuration.ice.iceServers(for: "agent-\(agent)")
                    return AgentServerFrame.welcome(welcome).encodedText()
                },
                after: [AgentServerFrame.event(seq: 0, .ready).encodedText()],
                outbox: outbox)
        }
        socketKey.set(attachment.key)
        logger.info("agent connected", metadata: ["agent": "\(agent)", "connection": "\(connection)", "resumed": "\(attachment.resumed)"])
        return .loggedIn(Login(agent: agent, connection: connection, expiry: expiry, attachment: attachment))
    }

    /// 3. A frame after the login: its answer (a response or an error frame), nil when it needs
    /// none (a relayed signal).
    func answer(_ message: WebSocketMessage, from agent: AgentID, logger: Logger) async -> String? {
        await respond(to: message, agent: agent, limit: server.configuration.maximumFrameSize, logger: logger)?.encodedText()
    }

    /// The frame that tells the SDK its admin-issued login token ran out.
    static var tokenExpiredFrame: String { AgentServerFrame.event(seq: 0, .tokenExpired).encodedText() }

    /// 4. The socket is gone: routing starts the reconnect grace period.
    func recordDisconnect(_ login: Login, logger: Logger) async {
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

    /// How often a password login's session token is renewed: every half lifetime, so a
    /// connected agent's login never runs out and the SDK need not keep the password.
    var loginRenewalInterval: Duration { .milliseconds(Int64(server.authenticator.sessionLifetime) * 500) }

    /// Sends the agent's connection a fresh session token.
    func renewLogin(of agent: AgentID, to key: AgentHub.ConnectionKey, logger: Logger) async {
        do {
            let (token, expiresAt) = try await server.authenticator.issueSessionToken(for: agent)
            let login = AgentLogin(token: token, expiresAt: Int64(expiresAt.timeIntervalSince1970 * 1000))
            server.agentHub.send(AgentServerFrame.login(login).encodedText(), to: key)
        } catch {
            logger.warning("could not issue a login token", metadata: ["agent": "\(agent)", "error": "\(error)"])
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
