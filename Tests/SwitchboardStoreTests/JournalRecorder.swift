import SwitchboardCore
import SwitchboardStore
import Testing

/// Drives a real routing core and keeps what a server would journal: one entry per accepted
/// command, numbered consecutively, with the events it caused.
struct JournalRecorder {
    static let start = Timestamp(seconds: 1_700_000_000)

    var machine = RoutingStateMachine(now: JournalRecorder.start)
    var now = JournalRecorder.start
    var lastSequence: Int64 = 0
    /// Entries not yet taken.
    var pending: [JournalEntry] = []
    /// Every event so far, for comparing with what the store recorded.
    var events: [RoutingEvent] = []
    private var connections = 0

    /// Applies a command now; a refused one fails the test by throwing.
    @discardableResult
    mutating func run(_ command: RoutingCommand) throws -> RoutingReply {
        let outcome = machine.handle(command, at: now)
        let reply = try outcome.result.get()
        lastSequence += 1
        pending.append(JournalEntry(sequence: lastSequence, time: now, command: command, events: outcome.events))
        events += outcome.events
        return reply
    }

    /// Lets time pass and fires what is due, as the server's timer would with `.tick`.
    mutating func advance(seconds: Int) throws {
        now = now.adding(seconds: seconds)
        try run(.tick)
    }

    /// The entries since the last call, for one `append`.
    mutating func take() -> [JournalEntry] {
        defer { pending = [] }
        return pending
    }

    // MARK: Set-up

    mutating func group(_ id: SkillGroupID, offerTimeout: Int = 20, queueTimeout: Int = 0, imInactivity: Int = 0) throws {
        try run(.upsertSkillGroup(SkillGroup(
            id: id, offerTimeoutSeconds: offerTimeout, queueTimeoutSeconds: queueTimeout, imInactivityTimeoutSeconds: imInactivity)))
    }

    /// Creates an agent in `groups`, connects it and (unless told otherwise) puts it online.
    mutating func agent(_ id: AgentID, in groups: [SkillGroupID], online: Bool = true) throws {
        let memberships = Dictionary(uniqueKeysWithValues: groups.map { ($0, Membership(skillLevel: 2)) })
        try run(.upsertAgent(AgentProfile(id: id, name: "Agent \(id)", memberships: memberships)))
        connections += 1
        try run(.connect(id, ConnectionID("c\(connections)")))
        if online { try run(.online(id)) }
    }

    mutating func create(
        _ type: SessionType = .im, in group: SkillGroupID, priority: Int = 0, nickname: String = "Visitor", customer: CustomerDetails? = nil
    ) throws -> SessionID {
        let request = NewSession(
            type: type, skillGroupId: group, priority: priority, customer: customer ?? CustomerDetails(nickname: nickname, peerSource: "web"))
        guard case .sessionCreated(let id) = try run(.createSession(request)) else {
            Issue.record("createSession did not reply with a session")
            return SessionID("none")
        }
        return id
    }

    /// The agent a session rings at now, if any.
    func ringing(_ session: SessionID) -> AgentID? {
        if case .ringing(let agent, _) = machine.sessions[session]?.state { agent } else { nil }
    }

    /// The history entries of one session, in order.
    func history(of session: SessionID) -> [(Timestamp, SessionHistoryEntry)] {
        events.compactMap { if case .history(session, let entry) = $0.effect { ($0.at, entry) } else { nil } }
    }
}

/// Replays journaled commands the way a restarting server does.
func replay(_ journal: [JournalEntry], onto machine: RoutingStateMachine) throws -> RoutingStateMachine {
    var machine = machine
    for entry in journal {
        _ = try machine.handle(entry.command, at: entry.time).result.get()
    }
    return machine
}
