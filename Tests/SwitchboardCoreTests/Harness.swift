import Testing
@testable import SwitchboardCore

/// Drives a routing core by hand: a clock that moves only when told, and the events since the last look.
struct Harness {
    var machine: RoutingStateMachine
    var now = Timestamp(seconds: 1_000_000)
    var events: [RoutingEvent] = []
    private var connectionCount = 0

    init(configuration: RoutingConfiguration = .init()) {
        machine = RoutingStateMachine(configuration: configuration, now: now)
    }

    /// Runs a command; a refused one must leave the state exactly as it was.
    @discardableResult
    mutating func run(_ command: RoutingCommand, sourceLocation: SourceLocation = #_sourceLocation) -> Result<RoutingReply, RoutingError> {
        // Fire due timers first so that "changes nothing" compares the command alone.
        events += machine.handle(.tick, at: now).events
        let before = machine.snapshot
        let outcome = machine.handle(command, at: now)
        events += outcome.events
        if case .failure = outcome.result {
            #expect(machine.snapshot == before, "a refused command changed the state", sourceLocation: sourceLocation)
            #expect(outcome.events.isEmpty, "a refused command emitted events", sourceLocation: sourceLocation)
        }
        return outcome.result
    }

    @discardableResult
    mutating func ok(_ command: RoutingCommand, sourceLocation: SourceLocation = #_sourceLocation) -> RoutingReply {
        let result = run(command, sourceLocation: sourceLocation)
        switch result {
        case .success(let reply): return reply
        case .failure(let error):
            Issue.record("\(command) was refused: \(error.message)", sourceLocation: sourceLocation)
            return .done
        }
    }

    @discardableResult
    mutating func refuse(_ command: RoutingCommand, _ code: RoutingError.Code, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        switch run(command, sourceLocation: sourceLocation) {
        case .success:
            Issue.record("\(command) succeeded but should have been refused with \(code)", sourceLocation: sourceLocation)
            return ""
        case .failure(let error):
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            return error.message
        }
    }

    /// Moves the clock and fires what is due.
    mutating func advance(seconds: Double) {
        now = Timestamp(milliseconds: now.milliseconds + Int64(seconds * 1000))
        events += machine.handle(.tick, at: now).events
    }

    /// Events since the last call, then forgets them.
    mutating func take() -> [RoutingEvent] {
        defer { events = [] }
        return events
    }

    /// What one agent was told since the last `take`, without forgetting.
    func told(_ agent: AgentID) -> [AgentNotification] {
        events.compactMap { if case .agent(agent, let note) = $0.effect { note } else { nil } }
    }

    /// What one customer was shown since the last `take`.
    func shown(_ session: SessionID) -> [CustomerNotification] {
        events.compactMap { if case .customer(session, let note) = $0.effect { note } else { nil } }
    }

    /// History entries of one session since the last `take`.
    func history(_ session: SessionID) -> [SessionHistoryEntry] {
        events.compactMap { if case .history(session, let entry) = $0.effect { entry } else { nil } }
    }

    /// Offers (`callIn`) made since the last `take`, as (agent, session).
    func offers() -> [(AgentID, SessionID)] {
        events.compactMap { if case .agent(let agent, .callIn(let offer)) = $0.effect { (agent, offer.sessionId) } else { nil } }
    }

    // MARK: Set-up

    mutating func group(_ id: SkillGroupID, strategy: RoutingStrategy = .longestIdle, offerTimeout: Int = 20,
                        queueTimeout: Int = 0, overflow: SkillGroupID? = nil, wrapUp: Int = 0,
                        missed: AgentStatus = .notReady, imInactivity: Int = 0) {
        ok(.upsertSkillGroup(SkillGroup(
            id: id, strategy: strategy, offerTimeoutSeconds: offerTimeout, queueTimeoutSeconds: queueTimeout,
            overflowGroupId: overflow, wrapUpSeconds: wrapUp, missedOfferStatus: missed, imInactivityTimeoutSeconds: imInactivity)))
    }

    /// Creates an agent in the given groups (skill level 3 unless given), connects it and puts it online.
    mutating func agent(_ id: AgentID, in groups: [SkillGroupID], levels: [SkillGroupID: Int] = [:], imCapacity: Int? = nil, online: Bool = true) {
        let memberships = Dictionary(uniqueKeysWithValues: groups.map { ($0, Membership(skillLevel: levels[$0] ?? 3)) })
        ok(.upsertAgent(AgentProfile(id: id, name: "Agent \(id)", memberships: memberships, imCapacity: imCapacity)))
        connectionCount += 1
        ok(.connect(id, ConnectionID("c\(connectionCount)")))
        if online { ok(.online(id)) }
    }

    mutating func create(_ type: SessionType = .im, in group: SkillGroupID, priority: Int = 0, nickname: String = "Visitor",
                         sourceLocation: SourceLocation = #_sourceLocation) -> SessionID {
        let reply = ok(.createSession(NewSession(type: type, skillGroupId: group, priority: priority, customer: CustomerDetails(nickname: nickname))), sourceLocation: sourceLocation)
        guard case .sessionCreated(let id) = reply else { return SessionID("none") }
        return id
    }

    /// Creates a session for a customer who says who they are.
    mutating func create(_ type: SessionType = .im, in group: SkillGroupID, customer: CustomerDetails,
                         sourceLocation: SourceLocation = #_sourceLocation) -> SessionID {
        let reply = ok(.createSession(NewSession(type: type, skillGroupId: group, customer: customer)), sourceLocation: sourceLocation)
        guard case .sessionCreated(let id) = reply else { return SessionID("none") }
        return id
    }

    /// A session start that must be turned away at once: the reply's end status and reason.
    mutating func turnedAway(_ type: SessionType = .im, in group: SkillGroupID,
                             sourceLocation: SourceLocation = #_sourceLocation) -> (id: SessionID, endStatus: String, reason: String)? {
        let reply = ok(.createSession(NewSession(type: type, skillGroupId: group, customer: CustomerDetails(nickname: "Visitor"))),
                       sourceLocation: sourceLocation)
        guard case .sessionTurnedAway(let id, let endStatus, let reason) = reply else {
            Issue.record("expected the session to be turned away, got \(reply)", sourceLocation: sourceLocation)
            return nil
        }
        return (id, endStatus, reason)
    }

    func status(_ agent: AgentID) -> AgentStatus? { machine.status(of: agent) }

    func state(_ session: SessionID) -> SessionState? { machine.sessions[session]?.state }
}

extension SessionState {
    static func ringing(_ agent: AgentID) -> (SessionState) -> Bool {
        { if case .ringing(agent, _) = $0 { true } else { false } }
    }
}

extension Harness {
    /// Creates a session and answers the agent it rings at, if any.
    mutating func route(_ type: SessionType = .im, in group: SkillGroupID, sourceLocation: SourceLocation = #_sourceLocation) -> AgentID? {
        let session = create(type, in: group, sourceLocation: sourceLocation)
        return state(session)?.agent
    }
}
