import SwitchboardCore

/// What one commit does to the `sessions` table, folded per session so that it is written with
/// one insert and one update for the whole commit, however many journal entries touch a session.
///
/// The fold keeps the meaning of the statements it replaces, one per history line in journal
/// order: a line that sets a column sets it again (the last one wins), `first_ring_at` and
/// `accepted_at` keep the first time (theirs was `COALESCE(column, ?)`), digits append in order,
/// and an end's status sees whether the session was accepted before it (stored, or earlier in
/// the commit). Updating a session that has no row changes nothing, as an `UPDATE` did.
struct SQLSessionChanges {
    /// New sessions' rows in the order they were created (their insertion order).
    private(set) var inserts: [[SQLValue]] = []
    private var created: Set<String> = []
    /// Per session, the change to its row; `order` keeps the first-touched order for the writes.
    private var patches: [String: Patch] = [:]
    private var order: [String] = []

    var isEmpty: Bool { inserts.isEmpty && patches.isEmpty }

    /// The net change of a commit's history lines to one session row.
    struct Patch {
        var direction: String?
        var agentId: String?
        var digits: String?
        var skillGroupId: String?
        var queuedAt: Int64?
        var firstRingAt: Int64?
        var acceptedAt: Int64?
        var end: End?

        /// The last end: its columns are all set, NULLs included, as the end's `UPDATE` did.
        struct End {
            var at: Int64, closeBy: String, mainReason: String?, subReason: String?
            /// Known already: the end gave one, or the session was accepted earlier in the commit.
            var status: String?
            /// Otherwise: `ok` if the stored row was accepted, else this.
            var unacceptedStatus: String
        }
    }

    /// True when `session` was changed in this fold and a `created` line for it must be written
    /// after those changes, not folded before them (see ``SQLProjection``).
    func hasChanges(to session: String) -> Bool { patches[session] != nil }

    /// Takes in one history line of `session` at `at` (milliseconds).
    mutating func apply(_ entry: SessionHistoryEntry, of session: String, at: Int64) throws {
        switch entry {
        case .created(let type, let group, let priority, let customer):
            // Created again in the same commit: its insert did nothing (the row was there).
            guard created.insert(session).inserted else { return }
            let customerJSON = try StoreJSON.encode(customer, "the customer details of session \(session)")
            inserts.append([
                SQLValue(session), SQLValue(type.rawValue), SQLValue(group.rawValue), SQLValue(priority), SQLValue(customerJSON), SQLValue(at),
                SQLValue(type == .phone ? CallDirection.inbound.rawValue : nil),
            ])
        case .dialled(let agent, _):
            change(session) { $0.direction = CallDirection.outbound.rawValue; $0.agentId = agent.rawValue }
        case .digits(let digits):
            change(session) { $0.digits = ($0.digits ?? "") + digits }
        case .queued(let group):
            change(session) { $0.skillGroupId = group.rawValue; $0.queuedAt = $0.queuedAt ?? at }
        case .overflowed(_, let group), .transferred(_, .some(let group), _):
            change(session) { $0.skillGroupId = group.rawValue }
        case .offered(let agent, _):
            change(session) { $0.firstRingAt = $0.firstRingAt ?? at; $0.agentId = agent.rawValue }
        case .accepted(let agent):
            change(session) { $0.acceptedAt = $0.acceptedAt ?? at; $0.agentId = agent.rawValue }
        case .ended(let closeBy, let agent, let mainReason, let subReason, let why, let endStatus):
            // An unaccepted session that ends with an agent named was ringing at it.
            let unaccepted = EndStatus.unaccepted(closeBy: closeBy, wasRinging: agent != nil)
            change(session) { patch in
                if let agent { patch.agentId = agent.rawValue }
                patch.end = Patch.End(
                    at: at, closeBy: closeBy.rawValue, mainReason: mainReason ?? why, subReason: subReason,
                    status: endStatus ?? (patch.acceptedAt != nil ? EndStatus.ok : nil), unacceptedStatus: unaccepted)
            }
        case .transferred, .missed, .overdue, .withdrawn, .returnedToQueue:
            break
        }
    }

    private mutating func change(_ session: String, _ edit: (inout Patch) -> Void) {
        if patches[session] == nil { order.append(session) }
        edit(&patches[session, default: Patch()])
    }

    /// Writes the fold: new rows first (a session created and changed in one commit gets its
    /// changes), then one update for every changed session.
    func write(into db: any SQLDatabase) throws {
        let rows = SQLRowSet(db: db)
        try rows.insert(
            into: "sessions", ["id", "type", "skill_group_id", "priority", "customer", "created_at", "direction"], inserts,
            "ON CONFLICT (id) DO NOTHING")
        guard !patches.isEmpty else { return }
        let updates: [[SQLValue]] = order.map { session in
            let patch = patches[session]!
            return [
                SQLValue(session), SQLValue(patch.direction), SQLValue(patch.agentId), SQLValue(patch.digits), SQLValue(patch.skillGroupId),
                SQLValue(patch.firstRingAt), SQLValue(patch.acceptedAt), SQLValue(patch.end == nil ? 0 : 1), SQLValue(patch.end?.at),
                SQLValue(patch.end?.closeBy), SQLValue(patch.end?.mainReason), SQLValue(patch.end?.subReason), SQLValue(patch.end?.status),
                SQLValue(patch.end?.unacceptedStatus), SQLValue(EndStatus.ok), SQLValue(patch.queuedAt),
            ]
        }
        // Unset columns are NULL in p and keep the row's value; an end sets all of its columns.
        func ended(_ column: String) -> String { "\(column) = CASE WHEN p.ended = 1 THEN p.\(column) ELSE sessions.\(column) END" }
        try rows.update(
            "sessions",
            values: [
                ("id", "TEXT"), ("direction", "TEXT"), ("agent_id", "TEXT"), ("digits", "TEXT"), ("skill_group_id", "TEXT"),
                ("first_ring_at", "BIGINT"), ("accepted_at", "BIGINT"), ("ended", "BIGINT"), ("ended_at", "BIGINT"),
                ("close_by", "TEXT"), ("main_reason", "TEXT"), ("sub_reason", "TEXT"), ("end_status", "TEXT"),
                ("unaccepted_status", "TEXT"), ("accepted_status", "TEXT"), ("queued_at", "BIGINT"),
            ],
            updates,
            set: """
                direction = COALESCE(p.direction, sessions.direction), agent_id = COALESCE(p.agent_id, sessions.agent_id),
                digits = CASE WHEN p.digits IS NULL THEN sessions.digits ELSE COALESCE(sessions.digits, '') || p.digits END,
                skill_group_id = COALESCE(p.skill_group_id, sessions.skill_group_id),
                first_ring_at = COALESCE(sessions.first_ring_at, p.first_ring_at), accepted_at = COALESCE(sessions.accepted_at, p.accepted_at),
                queued_at = COALESCE(sessions.queued_at, p.queued_at),
                \(ended("ended_at")), \(ended("close_by")), \(ended("main_reason")), \(ended("sub_reason")),
                end_status = CASE WHEN p.ended = 1
                    THEN COALESCE(p.end_status, CASE WHEN sessions.accepted_at IS NOT NULL THEN p.accepted_status ELSE p.unaccepted_status END)
                    ELSE sessions.end_status END
                """,
            where: "sessions.id = p.id")
    }
}
