/// The statements that read and add to the report tables, shared by the projection and the rebuild.
enum SQLReportTables {
    /// Adds the tally to the stored intervals (a new row, or the sums and maxima with an existing
    /// one). `messageCounts` gives each session's messages when the caller counted them already
    /// (the rebuild); otherwise they are counted here.
    static func add(_ tally: ReportTally, into db: any SQLDatabase, messageCounts: [String: Int64]?) throws {
        var cells = tally.cells
        let counted = try messageCounts ?? countMessages(of: Set(tally.messageCounts.map(\.session)), in: db)
        for ended in tally.messageCounts {
            let count = counted[ended.session] ?? 0
            guard count > 0 else { continue }
            let bucket = ReportInterval.bucket(ended.at)
            for (dimension, key) in [(ReportDimension.skillGroup, ended.group), (.sessionType, ended.type), (.agent, ended.agent)] {
                guard let key else { continue }
                cells[ReportCell(bucket: bucket, dimension: dimension, key: key), default: ReportCounts()][.messages] += count
            }
        }
        // Rolled up, each cell is one row, as a multi-row upsert needs; sorted, so that concurrent
        // writers (there are none today) would lock rows in one order. Only a row's non-zero
        // counters are written (the columns default to 0, and adding 0 changes nothing): a cell
        // touches two or three of the 52 counters, and binding all of them was most of a commit's
        // report upkeep. Rows with the same non-zero columns share one statement, and its text,
        // so the statement cache keeps hitting.
        let rows = SQLRowSet(db: db)
        let quarterCells = cells.filter { !$0.value.isZero }
        for rollUp in ReportRollUp.all {
            var rolled: [ReportCell: ReportCounts] = [:]
            for (cell, counts) in quarterCells {
                rolled[ReportCell(bucket: rollUp.interval(of: cell.bucket), dimension: cell.dimension, key: cell.key), default: ReportCounts()].add(counts)
            }
            var bySignature: [[Int]: [[SQLValue]]] = [:]
            for (cell, counts) in rolled.sorted(by: { ($0.key.bucket, $0.key.dimension.rawValue, $0.key.key) < ($1.key.bucket, $1.key.dimension.rawValue, $1.key.key) }) {
                let nonZero = counts.values.indices.filter { counts.values[$0] != 0 }
                guard !nonZero.isEmpty else { continue }
                bySignature[nonZero, default: []].append(
                    [SQLValue(cell.bucket), SQLValue(cell.dimension.rawValue), SQLValue(cell.key)] + nonZero.map { SQLValue(counts.values[$0]) })
            }
            for (nonZero, countRows) in bySignature.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                try rows.insert(
                    into: rollUp.countsTable, ["bucket", "dimension", "subject"] + nonZero.map { ReportCounts.columns[$0] }, countRows,
                    upsert(db.dialect, into: rollUp.countsTable, counters: nonZero))
            }
            var status: [ReportTally.StatusCell: Int64] = [:]
            for (cell, milliseconds) in tally.statusTime {
                var hour = cell
                hour.bucket = rollUp.interval(of: cell.bucket)
                status[hour, default: 0] += milliseconds
            }
            let statusRows = status.sorted(by: { ($0.key.bucket, $0.key.agent, $0.key.status, $0.key.restReason) < ($1.key.bucket, $1.key.agent, $1.key.status, $1.key.restReason) })
                .map { cell, milliseconds -> [SQLValue] in [SQLValue(cell.bucket), SQLValue(cell.agent), SQLValue(cell.status), SQLValue(cell.restReason), SQLValue(milliseconds)] }
            try rows.insert(
                into: rollUp.statusTable, ["bucket", "agent_id", "status", "rest_reason", "milliseconds"], statusRows,
                "ON CONFLICT (bucket, agent_id, status, rest_reason) DO UPDATE SET milliseconds = \(rollUp.statusTable).milliseconds + excluded.milliseconds")
        }
    }

    /// How many messages each of `sessions` has, in one statement.
    private static func countMessages(of sessions: Set<String>, in db: any SQLDatabase) throws -> [String: Int64] {
        guard !sessions.isEmpty else { return [:] }
        var counts: [String: Int64] = [:]
        let ids = sessions.sorted()
        for found in try db.rows(
            "SELECT session_id, COUNT(*) AS count FROM messages WHERE session_id IN (\(ids.map { _ in "?" }.joined(separator: ", "))) GROUP BY session_id",
            ids.map(SQLValue.text)) {
            let row = found.described("a count of messages")
            counts[try row.string("session_id")] = try row.int64("count")
        }
        return counts
    }

    /// The `ON CONFLICT` clause that adds a row of the `counters` (indexes into
    /// ``ReportCounts/columns``) to the stored one: sums, and maxima for the columns that keep the
    /// largest value.
    private static func upsert(_ dialect: SQLDialect, into table: String, counters: [Int]) -> String {
        let updates = counters.map { index in
            let column = ReportCounts.columns[index]
            return ReportCounts.maximumColumns.contains(index)
                ? "\(column) = \(dialect.greatest("\(table).\(column)", "excluded.\(column)"))"
                : "\(column) = \(table).\(column) + excluded.\(column)"
        }
        return "ON CONFLICT (bucket, dimension, subject) DO UPDATE SET \(updates.joined(separator: ", "))"
    }

    static func clock(of agent: String, in db: any SQLDatabase) throws -> AgentStatusClock? {
        guard let found = try db.row("SELECT * FROM report_agent_clocks WHERE agent_id = ?", [agent]) else { return nil }
        return try clock(from: found)
    }

    static func clock(from found: SQLRow) throws(StoreError) -> AgentStatusClock {
        let row = found.described("a report_agent_clocks row")
        return AgentStatusClock(
            agent: try row.string("agent_id"), status: try row.string("status"), restReason: try row.optionalString("rest_reason"),
            since: try row.int64("since"), wrapUp: try row.int("wrap_up") != 0, wrapGroup: try row.optionalString("wrap_group"),
            wrapType: try row.optionalString("wrap_type"))
    }

    static func save(_ clock: AgentStatusClock, of agent: String, into db: any SQLDatabase) throws {
        try save([(agent, clock)], into: db)
    }

    /// Stores agents' open status periods, one statement for all (one row per agent).
    static func save(_ clocks: [(agent: String, clock: AgentStatusClock)], into db: any SQLDatabase) throws {
        let rows = clocks.sorted { $0.agent < $1.agent }.map { agent, clock -> [SQLValue] in
            [SQLValue(agent), SQLValue(clock.status), SQLValue(clock.restReason), SQLValue(clock.since), SQLValue(clock.wrapUp ? 1 : 0),
             SQLValue(clock.wrapGroup), SQLValue(clock.wrapType)]
        }
        try SQLRowSet(db: db).insert(
            into: "report_agent_clocks", ["agent_id", "status", "rest_reason", "since", "wrap_up", "wrap_group", "wrap_type"], rows, """
            ON CONFLICT (agent_id) DO UPDATE SET status = excluded.status, rest_reason = excluded.rest_reason, since = excluded.since,
                wrap_up = excluded.wrap_up, wrap_group = excluded.wrap_group, wrap_type = excluded.wrap_type
            """)
    }
}
