import SwitchboardCore

extension SQLRoutingStore {
    public func reportCounts(_ dimension: ReportDimension, from: Timestamp, to: Timestamp, slots: ReportSlots) async throws -> [ReportSlotCounts] {
        try Self.checkReportRange(from: from, to: to, slots: slots)
        let sums = ReportCounts.columns.enumerated().map { index, column in
            ReportCounts.maximumColumns.contains(index) ? "MAX(\(column)) AS \(column)" : "CAST(SUM(\(column)) AS BIGINT) AS \(column)"
        }
        let rollUp = ReportRollUp.coarsest(from: from.milliseconds, to: to.milliseconds, slots: slots)
        // Slots of the table's own intervals are its rows as they are, read in its key's order:
        // nothing to group or sort.
        let asStored = slots.length == rollUp.length
        let select = asStored
            ? "SELECT (bucket + ?) / ? AS slot, subject, \(ReportCounts.columns.joined(separator: ", ")) FROM \(rollUp.countsTable)"
                + " WHERE dimension = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, subject"
            : "SELECT (bucket + ?) / ? AS slot, subject, \(sums.joined(separator: ", ")) FROM \(rollUp.countsTable)"
                + " WHERE dimension = ? AND bucket >= ? AND bucket < ? GROUP BY slot, subject ORDER BY slot, subject"
        return try await sideRead("reading the \(dimension.rawValue) report") { db in
            try db.rows(select, [slots.offset, slots.length, dimension.rawValue, from, to]).map { found throws(StoreError) in
                // By position (slot, subject, then the counters in order): a month of quarter
                // hours is tens of thousands of rows of 50 counters.
                let row = found.described("a report_intervals sum")
                var values = [Int64](repeating: 0, count: ReportCounts.columns.count)
                for index in values.indices { values[index] = try row.int64(at: index + 2) }
                return ReportSlotCounts(
                    slotStart: try row.int64(at: 0) * slots.length - slots.offset, subject: try row.string(at: 1),
                    counts: ReportCounts(values: values))
            }
        }
    }

    public func reportStatusTime(from: Timestamp, to: Timestamp, slots: ReportSlots) async throws -> [ReportStatusTime] {
        try Self.checkReportRange(from: from, to: to, slots: slots)
        let table = ReportRollUp.coarsest(from: from.milliseconds, to: to.milliseconds, slots: slots).statusTable
        return try await sideRead("reading agents' status time") { db in
            try db.rows("""
                SELECT (bucket + ?) / ? AS slot, agent_id, status, rest_reason, CAST(SUM(milliseconds) AS BIGINT) AS milliseconds
                FROM \(table) WHERE bucket >= ? AND bucket < ?
                GROUP BY slot, agent_id, status, rest_reason ORDER BY slot, agent_id, status, rest_reason
                """, [slots.offset, slots.length, from, to]
            ).map { found throws(StoreError) in
                let row = found.described("a report_status_intervals sum")
                let reason = try row.string("rest_reason")
                return ReportStatusTime(
                    slotStart: try row.int64("slot") * slots.length - slots.offset, agent: try row.string("agent_id"),
                    status: try row.string("status"), restReason: reason.isEmpty ? nil : reason, milliseconds: try row.int64("milliseconds"))
            }
        }
    }

    public func openStatusPeriods() async throws -> [AgentStatusClock] {
        try await sideRead("reading agents' open status periods") { db in
            try db.rows("SELECT * FROM report_agent_clocks ORDER BY agent_id", []).map(SQLReportTables.clock(from:))
        }
    }

    public func recordHold(_ session: SessionID, agent: AgentID, at time: Timestamp, on: Bool) async throws {
        let detail = try StoreJSON.encode(["agent": agent.rawValue], "the detail of a hold line")
        try await write("recording the hold of session \(session)") { db in
            let sequence = try Self.lastSequence(db)
            try db.execute(
                "INSERT INTO session_history (session_id, sequence, at, kind, agent_id, skill_group_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [session.rawValue, sequence, time.milliseconds, on ? HoldLine.held : HoldLine.resumed, agent.rawValue, nil as String?, detail])
            var reports = SQLReportProjection(db: db)
            try reports.apply(.hold(agent: agent.rawValue, on: on), to: session.rawValue, at: time.milliseconds, sequence: sequence)
            try reports.finish()
        }
    }

    /// Reports are kept per 15 minutes: a range must start and end on a quarter hour.
    static func checkReportRange(from: Timestamp, to: Timestamp, slots: ReportSlots) throws(StoreError) {
        guard from.milliseconds % ReportInterval.milliseconds == 0, to.milliseconds % ReportInterval.milliseconds == 0, from < to else {
            throw StoreError(.invalidQuery, "a report range must start and end on a quarter hour (UTC) and end after it starts, not \(from.milliseconds)...\(to.milliseconds)")
        }
        guard slots.length > 0, slots.length % ReportInterval.milliseconds == 0 else {
            throw StoreError(.invalidQuery, "report intervals must be whole quarter hours long, not \(slots.length) ms")
        }
    }
}
