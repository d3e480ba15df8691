import Logging
import Synchronization
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Relays WebRTC signalling between the two sides of an answered call, and to nobody else.
///
/// The sides of a `voip` or `video` call are its customer and the agent holding it; of an
/// `internal` call, the agent who placed it and the agent holding it; of a `phone` call, the
/// agent holding it and the phone gateway, which bridges the agent's WebRTC to the carrier. A signal from anyone else,
/// for a session that is not a call, or before the call is answered is refused and goes nowhere.
/// Hold is kept here, in memory: it is a property of the media, which a restart ends anyway.
public final class CallSignaling: Sendable {
    let service: RoutingService
    let agents: AgentHub
    let customers: CustomerHub
    let holds: CallHolds
    /// Where a hold's start and end are recorded.
    let store: any RoutingStore
    /// The server's clock, the one the routing core's records are stamped with.
    let clock: @Sendable () -> Timestamp
    /// Seconds a caller's page may be gone before its call is hung up (`ServerConfiguration.callerGraceSeconds`).
    let callerGraceSeconds: Int
    /// The phone gateway, the customer side of every `phone` call.
    let carrier: CarrierLink
    /// Supervisors listening in on calls.
    public let monitors: CallMonitors

    init(service: RoutingService, store: any RoutingStore, clock: @escaping @Sendable () -> Timestamp, agents: AgentHub, customers: CustomerHub, holds: CallHolds, callerGraceSeconds: Int, carrier: CarrierLink) {
        self.service = service
        self.store = store
        self.clock = clock
        self.agents = agents
        self.customers = customers
        self.holds = holds
        self.callerGraceSeconds = callerGraceSeconds
        self.carrier = carrier
        self.monitors = CallMonitors(service: service, agents: agents)
    }

    /// Who sends or receives.
    enum Party: Equatable, Sendable {
        case agent(AgentID)
        /// The customer of the session (the socket has proved it with the session secret, or it
        /// is the phone gateway speaking for a caller on the telephone network).
        case customer
        /// The telephone network's side of a `phone` call, through the phone gateway.
        case carrier
    }

    /// Why a signal or call control was refused.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The session types that carry media.
    static let callTypes: Set<SwitchboardCore.SessionType> = [.voip, .video, .internal, .phone]
    /// The calls a customer's page places (and whose media goes when the page goes).
    static let customerCallTypes: Set<SwitchboardCore.SessionType> = [.voip, .video]

    /// Sends a client's offer, answer or candidate to the other side of the call.
    func relay(_ signal: CallSignal, in session: SessionID, from party: Party) async throws(Refusal) {
        let peer = try await peer(of: party, in: session)
        deliver(signal, in: session, to: peer)
    }

    /// `Call.hold`: both sides stop sending media; the other side plays hold audio. Holding a
    /// call already on hold changes nothing.
    func hold(_ session: SessionID, by agent: AgentID) async throws(Refusal) {
        try await requireAnswered(session, for: "put on hold")
        let peer = try await peer(of: .agent(agent), in: session)
        if holds.insert(session) {
            do {
                try await recordHold(session, by: agent, on: true)
            } catch {
                _ = holds.remove(session)
                throw error
            }
        }
        deliver(.hold, in: session, to: peer)
    }

    /// `Call.unHold`.
    func unhold(_ session: SessionID, by agent: AgentID) async throws(Refusal) {
        try await requireAnswered(session, for: "take off hold")
        let peer = try await peer(of: .agent(agent), in: session)
        guard holds.remove(session) else { throw Refusal("session \(session) is not on hold") }
        do {
            try await recordHold(session, by: agent, on: false)
        } catch {
            holds.insert(session)
            throw error
        }
        deliver(.unhold, in: session, to: peer)
    }

    /// The hold clock of the session's record (docs/reports.md): durable before the call is
    /// answered, like every acknowledged change.
    private func recordHold(_ session: SessionID, by agent: AgentID, on: Bool) async throws(Refusal) {
        do {
            try await store.recordHold(session, agent: agent, at: clock(), on: on)
        } catch {
            throw Refusal("could not record the \(on ? "hold" : "unhold") of session \(session) (\(error)); try again")
        }
    }

    /// `Call.sendDigits`: the digits reach the other side as a `dtmf` signal.
    func sendDigits(_ digits: String, in session: SessionID, by agent: AgentID) async throws(Refusal) {
        try await requireAnswered(session, for: "send digits to")
        let peer = try await peer(of: .agent(agent), in: session)
        deliver(.dtmf(digits), in: session, to: peer)
    }

    /// A call follows its media: when the caller's page is gone (closed, crashed, offline) and does
    /// not come back within the grace period, the call ends as if the customer hung up, rather
    /// than leaving an agent on a silent line or ringing for nobody. Chats are left alone.
    func hangUpIfAbandoned(_ session: SessionID, logger: Logger) {
        Task {
            guard await isCustomerCall(session) else { return }
            try? await Task.sleep(for: .seconds(callerGraceSeconds))
            guard !customers.isWatched(session.rawValue), await isCustomerCall(session) else { return }
            // Several nodes: the caller's page may have come back on another one. Ask them all.
            if customers.relay.isConnected {
                let asked = ContinuousClock.now
                customers.relay.send(.askWatching(session: session.rawValue, asker: service.nodeTag))
                try? await Task.sleep(for: .seconds(1))
                if customers.relay.watchedElsewhere(session.rawValue, since: asked) || customers.isWatched(session.rawValue) { return }
                guard await isCustomerCall(session) else { return }
            }
            logger.info("caller gone; hanging up", metadata: ["session": "\(session)"])
            try? await service.execute(.customerLeft(session))
        }
    }

    /// After a restart no caller is connected: the calls whose pages do not come back within the
    /// grace period are hung up.
    func hangUpCallsAbandonedAcrossRestart(logger: Logger) {
        Task {
            let calls = await service.read { machine in
                machine.sessions.values.filter { Self.customerCallTypes.contains($0.type) }.map(\.id)
            }
            for session in calls { hangUpIfAbandoned(session, logger: logger) }
        }
    }

    /// An outbound phone call carries signals while it rings (the agent hears the ringback), but
    /// there is nobody to hold or send digits to until the callee answers.
    private func requireAnswered(_ session: SessionID, for action: String) async throws(Refusal) {
        if await service.read({ $0.sessions[session]?.isDialling == true }) {
            throw Refusal("session \(session) is an outbound call the callee has not answered yet: nothing to \(action)")
        }
    }

    private func isCustomerCall(_ session: SessionID) async -> Bool {
        await service.read { machine in
            machine.sessions[session].map { Self.customerCallTypes.contains($0.type) } ?? false
        }
    }

    private func deliver(_ signal: CallSignal, in session: SessionID, to peer: Party) {
        switch peer {
        case .agent(let agent):
            agents.broadcast(AgentServerFrame.signal(sessionId: session.rawValue, signal).encodedText(), to: agent.rawValue)
        case .customer:
            customers.publishEverywhere(CustomerServerFrame.signal(signal).encodedText(), to: session.rawValue)
        case .carrier:
            carrier.agentSignal(signal, in: session)
        }
    }

    /// The other side of `session` from `party`, if `party` is in that call and it has been answered.
    private func peer(of party: Party, in session: SessionID) async throws(Refusal) -> Party {
        let answer: Result<Party, Refusal> = await service.read { machine in
            guard let live = machine.sessions[session] else {
                return .failure(Refusal("session \(session) is not live (unknown or ended)"))
            }
            let holder = live.state.agent
            switch party {
            case .agent(let agent):
                guard agent == holder || agent == live.caller else {
                    return .failure(Refusal("session \(session) is not a call agent \(agent) is in"))
                }
            case .customer, .carrier:
                break
            }
            guard Self.callTypes.contains(live.type) else {
                return .failure(Refusal("session \(session) is a \(live.type.rawValue) session; only phone, voip, video and internal sessions carry calls"))
            }
            if live.type == .phone, case .accepted(let holder) = live.state {
                // Signals of a dialling outbound call flow too: the agent hears the ringback.
                switch party {
                case .agent(let agent) where agent == holder: return .success(.carrier)
                case .customer, .carrier: return .success(.agent(holder))
                case .agent: return .failure(Refusal("session \(session) is a phone call held by agent \(holder)"))
                }
            }
            guard case .accepted(let answeredBy) = live.state else {
                return .failure(Refusal("session \(session) has not been answered yet; media starts after the agent accepts"))
            }
            switch party {
            case .customer, .carrier:
                return .success(.agent(answeredBy))
            case .agent(let agent) where agent == answeredBy:
                return .success(live.caller.map(Party.agent) ?? .customer)
            case .agent:
                return .success(.agent(answeredBy))
            }
        }
        return try answer.get()
    }
}

/// The calls on hold. Shared by the signalling (which sets it) and the event dispatcher (which
/// forgets a call when it ends), and read when a customer reconnects mid-call.
public final class CallHolds: Sendable {
    private let held = Mutex<Set<SessionID>>([])

    init() {}

    /// Puts the call on hold; false if it was on hold already.
    @discardableResult
    func insert(_ session: SessionID) -> Bool { held.withLock { $0.insert(session).inserted } }

    /// Takes the call off hold; false if it was not on hold.
    func remove(_ session: SessionID) -> Bool { held.withLock { $0.remove(session) != nil } }

    func contains(_ session: SessionID) -> Bool { held.withLock { $0.contains(session) } }
}
