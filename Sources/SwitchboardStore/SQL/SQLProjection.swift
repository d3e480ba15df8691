
import SwitchboardCore

/// Turns one journal entry into the records the admin API queries, inside `append`'s transaction:
/// configuration commands into `skill_groups`, `agents` and `memberships`; history events into
/// `sessions` and `session_history`; status changes into `agent_status_history`.
///
/// Writes are forgiving (upserts, updates of rows that may be missing) so that a record that
/// cannot be projected never blocks the journal: the journal is what the core depends on.
struct SQLProjection {
    let db: any SQLDatabase
    let sequence: Int64

    func project(_ entry: JournalEntry) throws {
        try projectCommand(entry.command, at: entry.time)
        for event in entry.events {
            switch event.effect {
            case .history(let session, let history):
                try projectHistory(history, of: session, at: event.at)
            case .agent(let agent, .statusChanged(let change)):
                try db.execute(
                    "INSERT INTO agent_status_history (agent_id, sequence, at, status, rest_reason, cause) VALUES (?, ?, ?, ?, ?, ?)",
                    [agent.rawValue, sequence, event.at, change.status.rawValue, change.restReason, change.cause.rawValue])
            case .agent, .customer:
                break
            }
        }
    }

    // MARK: Configuration

    private func projectCommand(_ command: RoutingCommand, at time: Timestamp) throws {
        switch command {
        case .upsertSkillGroup(let group), .createSkillGroup(let group):
            try db.execute("""
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
            try db.execute("DELETE FROM memberships WHERE skill_group_id = ?", [id.rawValue])
            try db.execute("DELETE FROM skill_groups WHERE id = ?", [id.rawValue])
        case .upsertAgent(let profile), .createAgent(let profile):
            try db.execute("""
                INSERT INTO agents (id, name, im_capacity, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, im_capacity = excluded.im_capacity, updated_at = excluded.updated_at
                """, [profile.id.rawValue, profile.name, profile.imCapacity, time, time])
            // A new agent starts unlocked, whatever was guessed at its id before it existed.
            if case .createAgent = command { try db.execute("DELETE FROM login_locks WHERE agent_id = ?", [profile.id.rawValue]) }
            // The profile lists every membership: replace, so groups left out are left.
            try db.execute("DELETE FROM memberships WHERE agent_id = ?", [profile.id.rawValue])
            for (group, membership) in profile.memberships.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    "INSERT INTO memberships (agent_id, skill_group_id, skill_level) VALUES (?, ?, ?)",
                    [profile.id.rawValue, group.rawValue, membership.skillLevel])
            }
        case .removeAgent(let id):
            // Memberships go by cascade; a removed agent's password must not let a new agent of
            // the same id sign in, nor its login lock keep one out.
            try db.execute("DELETE FROM agents WHERE id = ?", [id.rawValue])
            try db.execute("DELETE FROM credentials WHERE agent_id = ?", [id.rawValue])
            try db.execute("DELETE FROM login_locks WHERE agent_id = ?", [id.rawValue])
        default:
            break
        }
    }

    // MARK: Sessions

    private func projectHistory(_ entry: SessionHistoryEntry, of session: SessionID, at time: Timestamp) throws {
        let line = try HistoryLine(entry)
        try db.execute(
            "INSERT INTO session_history (session_id, sequence, at, kind, agent_id, skill_group_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [session.rawValue, sequence, time.milliseconds, line.kind, line.agentId?.rawValue, line.skillGroupId?.rawValue, line.detail])
        let id = session.rawValue
        let at = time.milliseconds
        switch entry {
        case .created(let type, let group, let priority, let customer):
            let customerJSON = try StoreJSON.encode(customer, "the customer details of session \(session)")
            try db.execute("""
                INSERT INTO sessions (id, type, skill_group_id, priority, customer, created_at, direction) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """, [id, type.rawValue, group.rawValue, priority, customerJSON, at, type == .phone ? CallDirection.inbound.rawValue : nil])
        case .dialled(let agent, _):
            try db.execute("UPDATE sessions SET direction = ?, agent_id = ? WHERE id = ?", [CallDirection.outbound.rawValue, agent.rawValue, id])
        case .digits(let digits):
            try db.execute("UPDATE sessions SET digits = COALESCE(digits, '') || ? WHERE id = ?", [digits, id])
        case .queued(let group), .overflowed(_, let group), .transferred(_, .some(let group), _):
            try db.execute("UPDATE sessions SET skill_group_id = ? WHERE id = ?", [group.rawValue, id])
        case .offered(let agent, _):
            try db.execute(
                "UPDATE sessions SET first_ring_at = COALESCE(first_ring_at, ?), agent_id = ? WHERE id = ?",
                [at, agent.rawValue, id])
        case .accepted(let agent):
            try db.execute(
                "UPDATE sessions SET accepted_at = COALESCE(accepted_at, ?), agent_id = ? WHERE id = ?",
                [at, agent.rawValue, id])
        case .ended(let closeBy, let agent, let mainReason, let subReason, let why, let endStatus):
            // An unaccepted session that ends with an agent named was ringing at it.
            let unaccepted = EndStatus.unaccepted(closeBy: closeBy, wasRinging: agent != nil)
            try db.execute("""
                UPDATE sessions SET ended_at = ?, close_by = ?, main_reason = ?, sub_reason = ?,
                    agent_id = COALESCE(?, agent_id),
                    end_status = COALESCE(?, CASE WHEN accepted_at IS NOT NULL THEN ? ELSE ? END)
                WHERE id = ?
                """, [at, closeBy.rawValue, mainReason ?? why, subReason, agent?.rawValue, endStatus, EndStatus.ok, unaccepted, id])
        case .transferred, .missed, .overdue, .withdrawn, .returnedToQueue:
            break
        }
    }
}
