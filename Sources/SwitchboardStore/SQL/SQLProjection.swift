
import SwitchboardCore

/// Turns a commit's journal entries into the records the admin API queries, written in `commit`'s
/// transaction: configuration commands into `skill_groups`, `agents` and `memberships`; history
/// events into `sessions` and `session_history`; status changes into `agent_status_history`.
///
/// Set-wise and prepared ahead: ``init(_:)`` folds the entries before the transaction begins
/// (the connection is held for I/O only, and PostgreSQL ends a transaction left idle for long
/// between statements), and ``write(into:)`` writes each records table once for the commit
/// (``SQLSessionChanges``, ``SQLRowSet``): on PostgreSQL a few round trips per commit instead of
/// several per entry. Configuration commands are rare (admin requests) and keep one statement
/// each, in journal order; they touch no table the gathered records go to.
///
/// Writes are forgiving (upserts, updates of rows that may be missing) so that a record that
/// cannot be projected never blocks the journal: the journal is what the core depends on.
struct SQLProjection {
    /// The configuration statements, in journal order.
    private var statements: [(sql: String, arguments: [any SQLValueConvertible])] = []
    /// The gathered records, normally one set; see ``Records``.
    private var records: [Records] = [Records()]

    /// The session and status records of a run of entries, each table written once.
    private struct Records {
        var sessions = SQLSessionChanges()
        var history: [[SQLValue]] = []
        var statuses: [[SQLValue]] = []
    }

    /// Folds the entries' records; nothing is written yet.
    init(_ entries: [JournalEntry]) throws {
        for entry in entries { try project(entry) }
    }

    private mutating func project(_ entry: JournalEntry) throws {
        projectCommand(entry.command, at: entry.time)
        for event in entry.events {
            switch event.effect {
            case .history(let session, let line):
                // A session changed before its creation in one commit (the core never does this)
                // gets those changes written first, as they were before the row existed.
                if case .created = line, records[records.count - 1].sessions.hasChanges(to: session.rawValue) { records.append(Records()) }
                let written = try HistoryLine(line)
                records[records.count - 1].history.append([
                    SQLValue(session.rawValue), SQLValue(entry.sequence), SQLValue(event.at), SQLValue(written.kind),
                    SQLValue(written.agentId?.rawValue), SQLValue(written.skillGroupId?.rawValue), SQLValue(written.detail),
                ])
                try records[records.count - 1].sessions.apply(line, of: session.rawValue, at: event.at.milliseconds)
            case .agent(let agent, .statusChanged(let change)):
                records[records.count - 1].statuses.append([
                    SQLValue(agent.rawValue), SQLValue(entry.sequence), SQLValue(event.at), SQLValue(change.status.rawValue),
                    SQLValue(change.restReason), SQLValue(change.cause.rawValue),
                ])
            case .agent, .customer:
                break
            }
        }
    }

    /// Writes the configuration statements, then each records table once (in chunks past the
    /// parameter limit).
    func write(into db: any SQLDatabase) throws {
        for statement in statements { try db.execute(statement.sql, statement.arguments) }
        let rows = SQLRowSet(db: db)
        for set in records {
            try set.sessions.write(into: db)
            try rows.insert(into: "session_history", ["session_id", "sequence", "at", "kind", "agent_id", "skill_group_id", "detail"], set.history)
            try rows.insert(into: "agent_status_history", ["agent_id", "sequence", "at", "status", "rest_reason", "cause"], set.statuses)
        }
    }

    private mutating func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) {
        statements.append((sql, arguments))
    }

    // MARK: Configuration

    private mutating func projectCommand(_ command: RoutingCommand, at time: Timestamp) {
        switch command {
        case .upsertSkillGroup(let group), .createSkillGroup(let group):
            execute("""
                INSERT INTO skill_groups (id, name, strategy, offer_timeout_seconds, queue_timeout_seconds, overflow_group_id,
                                          wrap_up_seconds, missed_offer_status, im_inactivity_timeout_seconds, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, strategy = excluded.strategy,
                    offer_timeout_seconds = excluded.offer_timeout_seconds, queue_timeout_seconds = excluded.queue_timeout_seconds,
                    overflow_group_id = excluded.overflow_group_id, wrap_up_seconds = excluded.wrap_up_seconds,
                    missed_offer_status = excluded.missed_offer_status,
                    im_inactivity_timeout_seconds = excluded.im_inactivity_timeout_seconds, updated_at = excluded.updated_at
                """, [
                    group.id.rawValue, group.name, group.strategy.rawValue, group.offerTimeoutSeconds, group.queueTimeoutSeconds,
                    group.overflowGroupId?.rawValue, group.wrapUpSeconds, group.missedOfferStatus.rawValue,
                    group.imInactivityTimeoutSeconds, time, time,
                ])
        case .removeSkillGroup(let id):
            execute("DELETE FROM memberships WHERE skill_group_id = ?", [id.rawValue])
            execute("DELETE FROM skill_groups WHERE id = ?", [id.rawValue])
        case .upsertAgent(let profile), .createAgent(let profile):
            execute("""
                INSERT INTO agents (id, name, im_capacity, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, im_capacity = excluded.im_capacity, updated_at = excluded.updated_at
                """, [profile.id.rawValue, profile.name, profile.imCapacity, time, time])
            // A new agent starts unlocked, whatever was guessed at its id before it existed.
            if case .createAgent = command { execute("DELETE FROM login_locks WHERE agent_id = ?", [profile.id.rawValue]) }
            // The profile lists every membership: replace, so groups left out are left.
            execute("DELETE FROM memberships WHERE agent_id = ?", [profile.id.rawValue])
            for (group, membership) in profile.memberships.sorted(by: { $0.key < $1.key }) {
                execute(
                    "INSERT INTO memberships (agent_id, skill_group_id, skill_level) VALUES (?, ?, ?)",
                    [profile.id.rawValue, group.rawValue, membership.skillLevel])
            }
        case .removeAgent(let id):
            // Memberships go by cascade; a removed agent's password must not let a new agent of
            // the same id sign in, nor its login lock keep one out.
            execute("DELETE FROM agents WHERE id = ?", [id.rawValue])
            execute("DELETE FROM credentials WHERE agent_id = ?", [id.rawValue])
            execute("DELETE FROM login_locks WHERE agent_id = ?", [id.rawValue])
        default:
            break
        }
    }
}
