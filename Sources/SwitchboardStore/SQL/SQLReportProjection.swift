import SwitchboardCore

/// Keeps the report aggregates (`report_intervals`, `report_status_intervals`) in step with the
/// records, inside the transaction that writes them: history lines stop and start session
/// clocks (``SessionClocks``), status changes close status periods (``AgentStatusClock``), and
/// what they complete is added to the 15-minute intervals at ``finish()``.
///
/// Within a transaction, every session's lines are applied before any status change, so that a
/// wrap-up finds the session its journal entry released (the rebuild does the same, in bulk).
///
/// Set-wise: ``read(_:)`` fetches the clocks a commit's entries need in one read per table, and
/// ``finish()`` writes each table once, so a commit's report upkeep is a handful of statements
/// whatever its size.
struct SQLReportProjection {
    let db: any SQLDatabase
    private var tally = ReportTally()
    private var sessions: [String: SessionClocks?] = [:]
    private var changedSessions: Set<String> = []
    private var agents: [String: AgentStatusClock?] = [:]
    private var statusChanges: [(agent: String, change: StatusChange, at: Int64, sequence: Int64)] = []

    init(db: any SQLDatabase) { self.db = db }

    /// Reads the stored clocks of every session and agent the entries have lines for, one
    /// statement per table, instead of one read each as they come up. Only the report code
    /// writes them, at ``finish()``, so what this reads is what a read later would find.
    mutating func read(_ entries: [JournalEntry]) throws {
        var sessionIds: Set<String> = []
        var agentIds: Set<String> = []
        for entry in entries {
            for event in entry.events {
                switch event.effect {
                case .history(let session, _): sessionIds.insert(session.rawValue)
                case .agent(let agent, .statusChanged): agentIds.insert(agent.rawValue)
                case .agent, .customer: break
                }
            }
        }
        let rows = SQLRowSet(db: db)
        let unread = sessionIds.filter { sessions[$0] == nil }.sorted()
        for session in unread { sessions[session] = .some(nil) }
        for found in try rows.select("id, report_clocks", from: "sessions", where: "id", in: unread) {
            let row = found.described("the report clocks of a session")
            let session = try row.string("id")
            sessions[session] = .some(try row.optionalString("report_clocks").map { text throws(StoreError) in
                try StoreJSON.decode(SessionClocks.self, from: text, "the report clocks of session \(session)")
            })
        }
        let unreadAgents = agentIds.filter { agents[$0] == nil }.sorted()
        for agent in unreadAgents { agents[agent] = .some(nil) }
        for found in try rows.select("*", from: "report_agent_clocks", where: "agent_id", in: unreadAgents) {
            let clock = try SQLReportTables.clock(from: found)
            agents[clock.agent] = .some(clock)
        }
    }

    /// Takes in one journal entry's events.
    mutating func project(_ entry: JournalEntry) throws {
        for event in entry.events {
            switch event.effect {
            case .history(let session, let line):
                try apply(SessionMetricsEvent(line), to: session.rawValue, at: event.at.milliseconds, sequence: entry.sequence)
            case .agent(let agent, .statusChanged(let change)):
                statusChanges.append((agent.rawValue, change, event.at.milliseconds, entry.sequence))
            case .agent, .customer:
                break
            }
        }
    }

    /// Applies one history line of `session` (also the hold lines the call side records).
    mutating func apply(_ event: SessionMetricsEvent, to session: String, at: Int64, sequence: Int64) throws {
        if case .none = event { return }
        let clocks: SessionClocks?
        if case .created = event { clocks = nil } else { clocks = try sessionClocks(session) }
        let next = SessionClocks.apply(event, at: at, sequence: sequence, to: clocks, session: session, tally: &tally)
        if next != clocks {
            sessions[session] = next
            changedSessions.insert(session)
        }
    }

    /// Applies the status changes, stores the clocks and adds the counts; call once, after the
    /// transaction's messages are stored (an ended chat's messages are counted then).
    mutating func finish() throws {
        for (agent, change, at, sequence) in statusChanges {
            let clock = try agentClock(agent)
            agents[agent] = AgentStatusClock.apply(agent: agent, change.status, restReason: change.restReason, cause: change.cause, at: at, sequence: sequence, to: clock, tally: &tally)
        }
        var clockRows: [[SQLValue]] = []
        for session in changedSessions.sorted() {
            guard let clocks = sessions[session] ?? nil else { continue }
            let text = try StoreJSON.encode(clocks, "the report clocks of session \(session)")
            clockRows.append([SQLValue(session), SQLValue(text), SQLValue(clocks.recordHoldMilliseconds)])
        }
        try SQLRowSet(db: db).update(
            "sessions", values: [("id", "TEXT"), ("report_clocks", "TEXT"), ("hold_milliseconds", "BIGINT")], clockRows,
            set: "report_clocks = p.report_clocks, hold_milliseconds = p.hold_milliseconds", where: "sessions.id = p.id")
        try SQLReportTables.save(agents.compactMap { agent, clock in clock.map { (agent: agent, clock: $0) } }, into: db)
        try SQLReportTables.add(tally, into: db, messageCounts: nil)
    }

    private mutating func sessionClocks(_ session: String) throws -> SessionClocks? {
        if let cached = sessions[session] { return cached }
        let text = try db.row("SELECT report_clocks FROM sessions WHERE id = ?", [session])?
            .described("the report clocks of session \(session)").optionalString("report_clocks")
        let clocks = try text.map { text throws(StoreError) in
            try StoreJSON.decode(SessionClocks.self, from: text, "the report clocks of session \(session)")
        }
        sessions[session] = .some(clocks)
        return clocks
    }

    private mutating func agentClock(_ agent: String) throws -> AgentStatusClock? {
        if let cached = agents[agent] { return cached }
        let clock = try SQLReportTables.clock(of: agent, in: db)
        agents[agent] = .some(clock)
        return clock
    }
}
