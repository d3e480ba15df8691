import SwitchboardCore

extension SQLRoutingStore {
    /// Reads the projected row; a session that was created before this store existed has none.
    public func session(_ id: SessionID) async throws -> SessionRecord? {
        try await read("reading session \(id)") { db in
            try db.row("SELECT * FROM sessions WHERE id = ?", [SQLValue(id.rawValue)]).map(Self.sessionRecord(from:))
        }
    }

    /// Offset paging, for the admin API's tables; the filters combine with AND.
    public func sessions(_ query: SessionListQuery) async throws -> [SessionRecord] {
        try query.validate()
        return try await read("listing sessions") { db in
            var conditions: [String] = []
            var arguments: [SQLValue] = []
            if query.liveOnly {
                conditions.append("ended_at IS NULL")
            }
            if let group = query.skillGroupId {
                conditions.append("skill_group_id = ?")
                arguments.append(SQLValue(group.rawValue))
            }
            if let agent = query.agentId {
                conditions.append("(agent_id = ? OR id IN (SELECT session_id FROM session_history WHERE agent_id = ?))")
                arguments += [SQLValue(agent.rawValue), SQLValue(agent.rawValue)]
            }
            if let agent = query.acceptedBy {
                conditions.append("id IN (SELECT session_id FROM session_history WHERE agent_id = ? AND kind = 'accepted')")
                arguments.append(SQLValue(agent.rawValue))
            }
            if let text = query.containing {
                // The customer's values people search by, joined (not its JSON: "name" would
                // match every key), and its messages. LIKE's own wildcards in the text are
                // escaped: a search for "50%" means that.
                let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
                let values = SessionListQuery.searchedCustomerFields
                    .map { "COALESCE(\(db.dialect.jsonText("customer", $0)), '')" }.joined(separator: " || ' | ' || ")
                conditions.append("""
                    (LOWER(\(values)) LIKE LOWER(?) ESCAPE '\\' \
                    OR EXISTS (SELECT 1 FROM messages m WHERE m.session_id = sessions.id AND LOWER(m.text) LIKE LOWER(?) ESCAPE '\\'))
                    """)
                arguments += [SQLValue(pattern), SQLValue(pattern)]
            }
            if let customer = query.customer {
                // Not indexed: an expression index over the JSON would refuse to build on a store
                // holding one damaged row, and the lookup runs once per session an agent opens.
                let json = { (key: String) in db.dialect.jsonText("customer", key) }
                switch customer {
                case .phoneNumber(let number):
                    conditions.append(
                        "type = 'phone' AND ((direction = 'outbound' AND \(json("calleePhoneNumber")) = ?)"
                            + " OR (COALESCE(direction, 'inbound') <> 'outbound' AND \(json("callerPhoneNumber")) = ?))")
                    arguments += [SQLValue(number), SQLValue(number)]
                case .userId(let userId):
                    conditions.append("type IN ('im', 'voip', 'video') AND \(json("userId")) = ?")
                    arguments.append(SQLValue(userId))
                case .clientData(let clientData):
                    conditions.append("type IN ('im', 'voip', 'video') AND COALESCE(\(json("userId")), '') = '' AND \(json("clientData")) = ?")
                    arguments.append(SQLValue(clientData))
                }
            }
            if let groups = query.skillGroupIds {
                if groups.isEmpty {
                    conditions.append("1 = 0")
                } else {
                    conditions.append("skill_group_id IN (\(groups.map { _ in "?" }.joined(separator: ", ")))")
                    arguments += groups.sorted().map { SQLValue($0.rawValue) }
                }
            }
            if let excluded = query.excluding {
                conditions.append("id <> ?")
                arguments.append(SQLValue(excluded.rawValue))
            }
            if let from = query.createdFrom {
                conditions.append("created_at >= ?")
                arguments.append(SQLValue(from))
            }
            if let before = query.createdBefore {
                conditions.append("created_at < ?")
                arguments.append(SQLValue(before))
            }
            if let types = query.types {
                // `IN ()` is SQLite's, not PostgreSQL's: an empty list matches nothing in both.
                if types.isEmpty {
                    conditions.append("1 = 0")
                } else {
                    conditions.append("type IN (\(types.map { _ in "?" }.joined(separator: ", ")))")
                    arguments += types.map { SQLValue($0.rawValue) }
                }
            }
            var sql = "SELECT * FROM sessions"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            // Insertion order is creation order; it breaks ties within one millisecond.
            let direction = query.oldestFirst ? "ASC" : "DESC"
            sql += " ORDER BY created_at \(direction), \(db.dialect.sessionInsertionOrder) \(direction) LIMIT ? OFFSET ?"
            arguments += [SQLValue(query.limit), SQLValue(query.offset)]
            return try db.rows(sql, arguments).map(Self.sessionRecord(from:))
        }
    }

    /// In the order the events were appended, which is the order the core decided them.
    public func history(of session: SessionID) async throws -> [HistoryRecord] {
        try await read("reading the history of session \(session)") { db in
            try db.rows(
                "SELECT at, kind, agent_id, skill_group_id, detail FROM session_history WHERE session_id = ? ORDER BY id",
                [SQLValue(session.rawValue)]
            ).map { row throws(StoreError) in
                let row = row.described("a session_history row of session \(session)")
                return HistoryRecord(
                    at: try row.timestamp("at"), kind: try row.string("kind"),
                    agentId: try row.optionalIdentifier(AgentID.self, "agent_id"),
                    skillGroupId: try row.optionalIdentifier(SkillGroupID.self, "skill_group_id"), detail: try row.string("detail"))
            }
        }
    }

    /// In the order the changes were appended; several changes in one millisecond keep their order.
    public func statusHistory(of agent: AgentID, limit: Int) async throws -> [StatusRecord] {
        try QueryLimits.checkLimit(limit, "status history")
        return try await read("reading the status history of agent \(agent)") { db in
            try db.rows(
                "SELECT at, status, rest_reason, cause FROM agent_status_history WHERE agent_id = ? ORDER BY id DESC LIMIT ?",
                [SQLValue(agent.rawValue), SQLValue(limit)]
            ).map { row throws(StoreError) in
                let row = row.described("an agent_status_history row of agent \(agent)")
                return StatusRecord(
                    at: try row.timestamp("at"), status: try row.enumeration(AgentStatus.self, "status"),
                    restReason: try row.optionalString("rest_reason"), cause: try row.enumeration(StatusChangeCause.self, "cause"))
            }
        }
    }

    static func sessionRecord(from row: SQLRow) throws(StoreError) -> SessionRecord {
        let id = (try? row.string("id")) ?? "?"
        let row = row.described("sessions row \(id)")
        var record = SessionRecord(
            id: SessionID(id), type: try row.enumeration(SessionType.self, "type"),
            skillGroupId: try row.identifier(SkillGroupID.self, "skill_group_id"),
            customer: try StoreJSON.decode(CustomerDetails.self, from: try row.string("customer"), "the customer of session \(id)"),
            createdAt: try row.timestamp("created_at"), firstRingAt: try row.optionalTimestamp("first_ring_at"),
            acceptedAt: try row.optionalTimestamp("accepted_at"), endedAt: try row.optionalTimestamp("ended_at"),
            agentId: try row.optionalIdentifier(AgentID.self, "agent_id"), closeBy: try row.optionalEnumeration(CloseBy.self, "close_by"),
            mainReason: try row.optionalString("main_reason"), subReason: try row.optionalString("sub_reason"),
            endStatus: try row.optionalString("end_status"), priority: try row.int("priority"),
            direction: try row.optionalEnumeration(CallDirection.self, "direction"), digits: try row.optionalString("digits"))
        record.wrapUp = try wrapUp(from: row)
        record.holdMilliseconds = try row.optionalInt64("hold_milliseconds")
        record.queuedAt = try row.optionalTimestamp("queued_at")
        return record
    }
}
