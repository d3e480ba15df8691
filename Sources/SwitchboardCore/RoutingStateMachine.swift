import HeapModule

/// The routing core: agents, statuses, skill groups, sessions and offers, as a deterministic state
/// machine. Commands go in with the time they happen at; events come out. It does no I/O and reads
/// no clock: its owner journals commands, delivers events and calls ``handle(_:at:)`` with `.tick`
/// when ``nextDeadline`` comes.
///
/// A refused command changes nothing: every handler checks all its preconditions before it mutates.
public struct RoutingStateMachine: Sendable {
    /// Tenant-wide settings.
    public internal(set) var configuration: RoutingConfiguration
    /// The latest time seen; time never runs backwards inside the core.
    public internal(set) var clock: Timestamp
    /// Skill groups by id.
    public internal(set) var skillGroups: [SkillGroupID: SkillGroup] = [:]
    /// Agents by id.
    public internal(set) var agents = AgentTable()
    /// Live (not yet ended) sessions by id.
    public internal(set) var sessions: [SessionID: Session] = [:]
    /// The tenant's telephone numbers, by number.
    public internal(set) var phoneNumbers: [String: PhoneNumberBinding] = [:]
    /// The tenant's IVR flows (phone menus), by id.
    public internal(set) var ivrFlows: [IVRFlowID: IVRFlow] = [:]
    /// Who last served each customer, for skill groups with `usingLastSeat`.
    public internal(set) var lastSeats = LastSeats()

    var queues: [SkillGroupID: SessionQueue] = [:]
    var waitingCounts: [SkillGroupID: Int] = [:]
    var candidates: [SkillGroupID: CandidateIndex] = [:]
    var members: [SkillGroupID: Set<AgentID>] = [:]
    /// Per group, the offer sequence number of each agent's last offer (round robin).
    var lastOffers: [SkillGroupID: [AgentID: UInt64]] = [:]
    var timers = Heap<RoutingTimer>()
    var dirtyGroups: Set<SkillGroupID> = []
    var counters = Counters()
    var pendingEvents: [RoutingEvent] = []
    /// Live sessions by state and agents by status, kept as they change.
    public internal(set) var tally = RoutingTally()

    /// The version of the routing rules this code decides by. It goes up whenever the same
    /// commands would lead to different decisions, and is kept with every journal entry and
    /// snapshot, so a restarted server replays what was written under older rules by those rules
    /// (and refuses a journal from newer ones):
    /// - 1: the first release.
    /// - 2: an im session's inactivity deadline is kept with it, and live chats follow a changed
    ///   `imInactivityTimeoutSeconds` at once (1: the running timer was dropped until the next
    ///   message); a session transferred to a named agent who does not answer returns to the queue
    ///   with a fresh queue timeout (1: with its first queue's deadline, often already past).
    /// - 3: the skill-group settings `ringAll`, `usingLastSeat`, `maxConcurrency`,
    ///   `timeoutTransfer`, `maxSessionSeconds`, `endWhenNoSeatOnline` and `workingHours` (an
    ///   older server would drop them from a journal and decide without them); a timer a command
    ///   makes due at once fires within that command (2: at the start of the next one); time the
    ///   server was down is nobody's fault (`serverRestarted`).
    /// - 4: an agent put online with no connection (admin API, replay) is online before its
    ///   reconnect grace starts, so a grace of 0 makes it unreachable at once (3: the grace timer
    ///   fired while it was still offline and was dropped, and it kept getting offers with no
    ///   connection until a restart rebuilt the timer).
    /// - 5: IVR flows (`upsertIVRFlow`, `removeIVRFlow`, `ivrEnded`) and phone numbers bound to a
    ///   flow (`ivrFlowId`); an older server would drop the binding and queue calls nowhere.
    ///   Journals of rules 1 to 4 hold none of these and replay unchanged.
    public static let rulesVersion = 5
    /// The rules the next commands are decided by: `rulesVersion`, except while replaying a
    /// journal written under older ones.
    public var rules: Int = RoutingStateMachine.rulesVersion

    struct Counters: Codable, Equatable, Sendable {
        var nextSessionNumber: UInt64 = 1
        var nextArrival: UInt64 = 1
        var nextTicket: UInt64 = 1
        var nextOffer: UInt64 = 1
        var nextStamp: UInt64 = 1
    }

    /// Creates an empty core.
    public init(configuration: RoutingConfiguration = .init(), now: Timestamp = Timestamp(milliseconds: 0)) {
        self.configuration = configuration
        self.clock = now
    }

    /// The result of one command: its reply or error, and every event it (and the timers due
    /// before it) caused, in order.
    public struct Outcome: Sendable {
        /// The reply, or why the command was refused.
        public var result: Result<RoutingReply, RoutingError>
        /// What happened, in order.
        public var events: [RoutingEvent]
    }

    /// Applies one command at time `now`: first fires the timers due by then (each at its own
    /// deadline), then runs the command, then offers waiting sessions to eligible agents.
    public mutating func handle(_ command: RoutingCommand, at now: Timestamp) -> Outcome {
        // Room for a typical command's events (an offer, an accept, an end: 3 to 8) in one
        // allocation, where growing from empty took three.
        pendingEvents = []
        pendingEvents.reserveCapacity(8)
        if case .serverRestarted = command {
            // Before the timers: the ones that fell due while the server was down are moved, not fired.
            let downSince = clock
            clock = max(clock, now)
            resumeAfterDowntime(downSince: downSince)
        }
        fireTimers(upTo: now)
        clock = max(clock, now)
        let result: Result<RoutingReply, RoutingError>
        do {
            result = .success(try execute(command))
            // A command may make a timer due at once (a duration limit lowered below what a
            // session has run, an inactivity timeout below a chat's silence): under rules 3 it
            // fires within the command, before anyone is offered anything.
            if rules >= 3 { fireDueTimers(at: clock) }
            dispatch()
        } catch {
            result = .failure(error)
        }
        let events = pendingEvents
        pendingEvents = []
        return Outcome(result: result, events: events)
    }

    /// The earliest time a timer may fire; call `handle(.tick, at:)` then. May be a timer that
    /// turns out to be stale, which costs one empty tick.
    public var nextDeadline: Timestamp? { timers.min?.deadline }

    private mutating func execute(_ command: RoutingCommand) throws(RoutingError) -> RoutingReply {
        switch command {
        case .upsertSkillGroup(let group): try upsertSkillGroup(group)
        case .removeSkillGroup(let id): try removeSkillGroup(id)
        case .upsertAgent(let profile): try upsertAgent(profile)
        case .createSkillGroup(let group):
            if skillGroups[group.id] != nil { throw RoutingError(.skillGroupExists, "skill group \(group.id) already exists") }
            try upsertSkillGroup(group)
        case .createAgent(let profile):
            if agents[profile.id] != nil { throw RoutingError(.agentExists, "agent \(profile.id) already exists") }
            try upsertAgent(profile)
        case .removeAgent(let id): try removeAgent(id)
        case .upsertPhoneNumber(let binding): try upsertPhoneNumber(binding)
        case .removePhoneNumber(let number): try removePhoneNumber(number)
        case .configure(let configuration): try configure(configuration)
        case .upsertIVRFlow(let flow): try upsertIVRFlow(flow)
        case .removeIVRFlow(let id): try removeIVRFlow(id)
        case .ivrEnded(let ending): return try ivrEnded(ending)
        case .connect(let agent, let connection): try connect(agent, connection)
        case .disconnect(let agent, let connection): try disconnect(agent, connection)
        case .online(let agent): try online(agent)
        case .offline(let agent): try offline(agent)
        case .setStatus(let agent, let status, let restReason):
            try setStatus(agent, status, restReason: restReason, cause: .agent)
        case .adminSetStatus(let agent, let status, let restReason):
            try setStatus(agent, status, restReason: restReason, cause: .admin)
        case .accept(let agent, let session): try accept(agent, session)
        case .transfer(let agent, let session, let skillGroupId, let userId):
            try transfer(agent, session, skillGroupId: skillGroupId, userId: userId)
        case .end(let agent, let session): try endBySeat(agent, session)
        case .startInternalCall(let caller, let calleeUserId, let skillGroupId):
            return .sessionCreated(try startInternalCall(caller, calleeUserId: calleeUserId, skillGroupId: skillGroupId))
        case .callerHungUp(let caller, let session): try callerHungUp(caller, session)
        case .startOutboundCall(let agent, let call): return .sessionCreated(try startOutboundCall(agent, call))
        case .calleeAnswered(let session): try calleeAnswered(session)
        case .outboundCallFailed(let session, let failure, let detail): try outboundCallFailed(session, failure, detail: detail)
        case .callerDigits(let session, let digits): try callerDigits(session, digits)
        case .createSession(let request): return try createSession(request)
        case .customerLeft(let session): try customerLeft(session)
        case .activity(let session): try recordActivity(session)
        case .adminEnd(let session, let mainReason, let subReason):
            try adminEnd(session, mainReason: mainReason, subReason: subReason)
        case .adminAssign(let session, let agent): try adminAssign(session, to: agent)
        case .tick, .serverRestarted: break
        }
        return .done
    }

    // MARK: Events

    // `consuming`: an event is built from values made for it, which move into the event list;
    // borrowed, each was copied into it (every reference in it counted up, then down again
    // when the caller's temporary died), about ten events per routed session.

    mutating func emit(_ effect: consuming RoutingEvent.Effect) {
        pendingEvents.append(RoutingEvent(at: clock, effect: effect))
    }

    mutating func notify(_ agent: consuming AgentID, _ notification: consuming AgentNotification) {
        emit(.agent(agent, notification))
    }

    mutating func record(_ session: consuming SessionID, _ entry: consuming SessionHistoryEntry) {
        emit(.history(session, entry))
    }

    // MARK: Lookups that throw the errors people see

    func requireAgent(_ id: AgentID) throws(RoutingError) -> AgentState {
        guard let agent = agents[id] else { throw RoutingError(.unknownAgent, "agent \(id) does not exist") }
        return agent
    }

    func requireOnlineAgent(_ id: AgentID) throws(RoutingError) -> AgentState {
        let agent = try requireAgent(id)
        if agent.status == .offline {
            throw RoutingError(.agentOffline, "agent \(id) is offline: call Agent.online() first")
        }
        return agent
    }

    /// `requireOnlineAgent` for a command that only needs to know: nothing is copied out.
    /// Returns where the agent is stored, for the rest of the command.
    @discardableResult
    mutating func checkOnlineAgent(_ id: AgentID) throws(RoutingError) -> AgentHandle {
        guard let handle = agents.handle(of: id) else { throw RoutingError(.unknownAgent, "agent \(id) does not exist") }
        if agents.withAgent(at: handle, { $0.status }) == .offline {
            throw RoutingError(.agentOffline, "agent \(id) is offline: call Agent.online() first")
        }
        return handle
    }

    /// `requireSession` for a command that only needs to know: nothing is copied out.
    func checkSession(_ id: SessionID) throws(RoutingError) {
        if sessions.index(forKey: id) == nil {
            throw RoutingError(.unknownSession, "session \(id) does not exist or has already ended")
        }
    }

    /// `requireSession` for a command that reads a few fields: `body` reads them where the
    /// session is stored, and nothing else is copied out.
    mutating func readSession<Fields>(_ id: SessionID, _ body: (inout Session) -> Fields) throws(RoutingError) -> Fields {
        guard let fields = sessions.withExisting(id, body) else {
            throw RoutingError(.unknownSession, "session \(id) does not exist or has already ended")
        }
        return fields
    }

    func requireSession(_ id: SessionID) throws(RoutingError) -> Session {
        guard let session = sessions[id] else {
            throw RoutingError(.unknownSession, "session \(id) does not exist or has already ended")
        }
        return session
    }

    func requireGroup(_ id: SkillGroupID) throws(RoutingError) -> SkillGroup {
        guard let group = skillGroups[id] else {
            throw RoutingError(.unknownSkillGroup, "skill group \(id) does not exist")
        }
        return group
    }
}
