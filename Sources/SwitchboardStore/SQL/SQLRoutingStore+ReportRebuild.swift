import SwitchboardCore

extension SQLRoutingStore {
    /// Lines read per page: the history of a million sessions is read in pages, never at once.
    static var rebuildPageSize: Int { 20_000 }

    /// Replays every session's history and every agent's status history through the same clocks
    /// the projection uses (``SessionClocks``, ``AgentStatusClock``), sessions first as within a
    /// transaction, and replaces the aggregates and the running clocks with the result.
    public func rebuildReports() async throws -> ReportRebuild {
        try await write("rebuilding the reports from the records") { db in
            for rollUp in ReportRollUp.all {
                try db.execute("DELETE FROM \(rollUp.countsTable)")
                try db.execute("DELETE FROM \(rollUp.statusTable)")
            }
            try db.execute("DELETE FROM report_agent_clocks")
            try db.execute("UPDATE sessions SET report_clocks = NULL WHERE report_clocks IS NOT NULL")
            var tally = ReportTally()
            var summary = ReportRebuild(sessions: 0, historyLines: 0, statusChanges: 0, intervalRows: 0, statusRows: 0)
            try Self.replaySessions(db, into: &tally, summary: &summary)
            try Self.replayStatuses(db, into: &tally, summary: &summary)
            var messages: [String: Int64] = [:]
            for found in try db.rows("SELECT session_id, COUNT(*) AS count FROM messages GROUP BY session_id", []) {
                let row = found.described("a message count")
                messages[try row.string("session_id")] = try row.int64("count")
            }
            try SQLReportTables.add(tally, into: db, messageCounts: messages)
            summary.intervalRows = Int(try db.integer("SELECT COUNT(*) FROM report_intervals") ?? 0)
            summary.statusRows = Int(try db.integer("SELECT COUNT(*) FROM report_status_intervals") ?? 0)
            return summary
        }
    }

    /// Every session's history in order (by session, then as appended), page by page.
    private static func replaySessions(_ db: any SQLDatabase, into tally: inout ReportTally, summary: inout ReportRebuild) throws {
        var current: String?
        var clocks: SessionClocks?
        var ended = false
        func keep() throws {
            // Only a live session's clocks are read again; an ended one's are done with, but its
            // record keeps its hold time.
            guard let current, let clocks else { return }
            if ended {
                try db.execute("UPDATE sessions SET hold_milliseconds = ? WHERE id = ?", [SQLValue(clocks.recordHoldMilliseconds), current])
                return
            }
            let text = try StoreJSON.encode(clocks, "the report clocks of session \(current)")
            try db.execute("UPDATE sessions SET report_clocks = ?, hold_milliseconds = ? WHERE id = ?",
                           [text, SQLValue(clocks.recordHoldMilliseconds), current])
        }
        var after: (session: String, id: Int64) = ("", 0)
        while true {
            let page = try db.rows("""
                SELECT id, session_id, sequence, at, kind, agent_id, skill_group_id, detail FROM session_history
                WHERE session_id > ? OR (session_id = ? AND id > ?) ORDER BY session_id, id LIMIT ?
                """, [after.session, after.session, after.id, rebuildPageSize])
            for found in page {
                let row = found.described("a session_history row")
                let session = try row.string("session_id")
                if session != current {
                    try keep()
                    current = session
                    clocks = nil
                    ended = false
                    summary.sessions += 1
                }
                let kind = try row.string("kind")
                let event = try SessionMetricsEvent(
                    kind: kind, agent: try row.optionalString("agent_id"), skillGroup: try row.optionalString("skill_group_id"),
                    detail: try row.string("detail"))
                if case .ended = event { ended = true }
                clocks = SessionClocks.apply(event, at: try row.int64("at"), sequence: try row.int64("sequence"), to: clocks, session: session, tally: &tally)
                summary.historyLines += 1
                after = (session, try row.int64("id"))
            }
            if page.count < rebuildPageSize { break }
        }
        try keep()
    }

    /// Every agent's status changes in order, page by page.
    private static func replayStatuses(_ db: any SQLDatabase, into tally: inout ReportTally, summary: inout ReportRebuild) throws {
        var current: String?
        var clock: AgentStatusClock?
        func keep() throws {
            if let current, let clock { try SQLReportTables.save(clock, of: current, into: db) }
        }
        var after: (agent: String, id: Int64) = ("", 0)
        while true {
            let page = try db.rows("""
                SELECT id, agent_id, sequence, at, status, rest_reason, cause FROM agent_status_history
                WHERE agent_id > ? OR (agent_id = ? AND id > ?) ORDER BY agent_id, id LIMIT ?
                """, [after.agent, after.agent, after.id, rebuildPageSize])
            for found in page {
                let row = found.described("an agent_status_history row")
                let agent = try row.string("agent_id")
                if agent != current {
                    try keep()
                    current = agent
                    clock = nil
                }
                clock = AgentStatusClock.apply(
                    agent: agent, try row.enumeration(AgentStatus.self, "status"), restReason: try row.optionalString("rest_reason"),
                    cause: try row.enumeration(StatusChangeCause.self, "cause"), at: try row.int64("at"), sequence: try row.int64("sequence"), to: clock, tally: &tally)
                summary.statusChanges += 1
                after = (agent, try row.int64("id"))
            }
            if page.count < rebuildPageSize { break }
        }
        try keep()
    }
}
