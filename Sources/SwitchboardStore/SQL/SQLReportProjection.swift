import SwitchboardCore

/// Keeps the report aggregates (`report_intervals`, `report_status_intervals`) in step with the
/// records, inside the transaction that writes them: history lines stop and start session
/// clocks (``SessionClocks``), status changes close status periods (``AgentStatusClock``), and
/// what they complete is added to the 15-minute intervals at ``finish()``.
///
/// Within a transaction, every session's lines are applied before any status change, so that a
/// wrap-up finds the session its journal entry released (the rebuild does the same, in bulk).
struct SQLReportProjection {
    let db: any SQLDatabase
    private var tally = ReportTally()
    private var sessions: [String: SessionClocks?] = [:]
    private var changedSessions: Set<String> = []
    private var agents: [String: AgentStatusClock?] = [:]
    private var statusChanges: [(agent: String, change: StatusChange, at: Int64, sequence: Int64)] = []

    init(db: any SQLDatabase) { self.db = db }

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
        for session in changedSessions.sorted() {
            guard let clocks = sessions[session] ?? nil else { continue }
            let text = try StoreJSON.encode(clocks, "the report clocks of session \(session)")
            try db.execute("UPDATE sessions SET report_clocks = ?, hold_milliseconds = ? WHERE id = ?",
                           [text, SQLValue(clocks.recordHoldMilliseconds), session])
        }
        for (agent, clock) in agents {
            guard let clock else { continue }
            try SQLReportTables.save(clock, of: agent, into: db)
        }
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
