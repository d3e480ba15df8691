import SwitchboardCore

extension SQLRoutingStore {
    /// One transaction for the whole batch: the server group-commits, and either every entry
    /// with its records is durable or none is.
    public func append(_ entries: [JournalEntry]) async throws {
        _ = try await commit(entries, messages: [])
    }

    /// Journal entries and messages in one transaction; see `RoutingStore.commit`.
    public func commit(_ entries: [JournalEntry], messages: [NewMessage]) async throws -> [StoredMessage] {
        guard !entries.isEmpty || !messages.isEmpty else { return [] }
        // Encode before opening the transaction: the writer connection is held for I/O only.
        let rows = try entries.map { entry throws(StoreError) in
            (entry, try StoreJSON.encode(entry.command, "the command of journal entry \(entry.sequence)"))
        }
        let what = entries.isEmpty
            ? "storing \(messages.count) message(s)"
            : "appending journal entries \(entries[0].sequence)...\(entries[entries.count - 1].sequence) and \(messages.count) message(s)"
        let journalRows = rows.map { entry, command -> [SQLValue] in
            [SQLValue(entry.sequence), SQLValue(entry.time), SQLValue(command), SQLValue(entry.rulesVersion), SQLValue(entry.origin)]
        }
        // So are the records: folded here, each table written once in the transaction.
        let projection = try SQLProjection(entries)
        let appending = entries.isEmpty ? nil : entries[0].sequence...entries[entries.count - 1].sequence
        return try await commitTransaction(what, appending: appending) { db, lastStored in
            // Set-wise: each table is written once for the whole batch (``SQLRowSet``), which on
            // PostgreSQL is a round trip per table instead of several per entry.
            if var last = lastStored {
                for (entry, _) in rows {
                    guard entry.sequence == last + 1 else {
                        throw StoreError(.sequenceGap, "journal entry \(entry.sequence) does not follow the last stored entry \(last); expected \(last + 1)")
                    }
                    last = entry.sequence
                }
                try SQLRowSet(db: db).insert(into: "journal", ["sequence", "time", "command", "rules", "origin"], journalRows)
            }
            try projection.write(into: db)
            var reports = SQLReportProjection(db: db)
            try reports.read(entries)
            for entry in entries { try reports.project(entry) }
            let stored = try messages.map { try Self.insert($0, into: db) }
            // After the messages: a chat that ended in this batch counts its last ones too.
            try reports.finish()
            // The webhook outbox, in this same transaction: committed with the change or not at all.
            try SQLWebhookOutbox<Self>(db: db).enqueue(Self.webhookEvents(of: entries, messages: stored, sequences: messages.map(\.journalSequence)))
            return stored
        }
    }

    /// A commit's webhook events in the order its changes were made: each entry's events, then
    /// the messages committed with that entry (a message's `activity`), then any other messages.
    static func webhookEvents(of entries: [JournalEntry], messages: [StoredMessage], sequences: [Int64?]) -> [WebhookEvent] {
        var bySequence: [Int64: [StoredMessage]] = [:]
        var unplaced: [StoredMessage] = []
        let journaled = Set(entries.map(\.sequence))
        for (message, sequence) in zip(messages, sequences) {
            if let sequence, journaled.contains(sequence) { bySequence[sequence, default: []].append(message) } else { unplaced.append(message) }
        }
        var events: [WebhookEvent] = []
        for entry in entries {
            events += WebhookEvent.events(of: entry)
            events += (bySequence[entry.sequence] ?? []).compactMap(WebhookEvent.event(of:))
        }
        return events + unplaced.compactMap(WebhookEvent.event(of:))
    }

    /// Stores the snapshot and deletes the journal rows and snapshots it covers in the same
    /// transaction, so a crash never leaves a snapshot without the entries after it.
    public func saveSnapshot(_ snapshot: RoutingSnapshot, throughSequence sequence: Int64) async throws {
        let state = try StoreJSON.encode(snapshot, "the snapshot through entry \(sequence)")
        try await write("saving the snapshot through entry \(sequence)") { db in
            let last = try Self.lastSequence(db)
            let newest = try db.integer("SELECT MAX(sequence) FROM snapshots")
            if sequence < 0 || sequence > last {
                throw StoreError(.invalidSnapshot, "a snapshot through entry \(sequence) does not fit a journal that ends at entry \(last)")
            }
            if let newest, sequence < newest {
                throw StoreError(.invalidSnapshot, "a snapshot through entry \(sequence) is older than the stored one through entry \(newest)")
            }
            try db.execute("""
                INSERT INTO snapshots (sequence, taken_at, state) VALUES (?, ?, ?)
                ON CONFLICT (sequence) DO UPDATE SET taken_at = excluded.taken_at, state = excluded.state
                """, [SQLValue(sequence), SQLValue(snapshot.clock), SQLValue(state)])
            try db.execute("DELETE FROM snapshots WHERE sequence < ?", [SQLValue(sequence)])
            // The newest entries it covers stay a while: a follower a little behind catches up
            // from them instead of rebuilding from the snapshot (``journal(after:)``).
            try db.execute("DELETE FROM journal WHERE sequence <= ?", [SQLValue(sequence - Self.journalKeptBehindSnapshot)])
        }
    }

    /// Reads in one read transaction, so a concurrent append cannot slip between the snapshot
    /// and the journal; a damaged or missing row fails the load rather than replaying a wrong state.
    public func loadRoutingState() async throws -> StoredRoutingState {
        try await read("loading the routing state") { db in
            var snapshot: RoutingSnapshot?
            var snapshotSequence: Int64 = 0
            if let snapshotRow = try db.row("SELECT sequence, state FROM snapshots ORDER BY sequence DESC LIMIT 1") {
                let row = snapshotRow.described("the newest snapshot")
                snapshotSequence = try row.int64("sequence")
                snapshot = try StoreJSON.decode(RoutingSnapshot.self, from: try row.string("state"), "snapshot \(snapshotSequence)")
            }
            let journal = try Self.journalEntries(after: snapshotSequence, in: db)
            if let first = journal.first, first.sequence != snapshotSequence + 1 {
                throw StoreError(.corruptData, "the journal skips from entry \(snapshotSequence) to \(first.sequence): entries are missing")
            }
            return StoredRoutingState(snapshot: snapshot, snapshotSequence: snapshotSequence, journal: journal)
        }
    }

    /// How many journal entries a snapshot leaves behind it (see ``journal(after:)``).
    static var journalKeptBehindSnapshot: Int64 { 10_000 }

    /// The journal entries after `sequence`, snapshot or not, or nil when some of them are gone
    /// (pruned behind a snapshot): a follower catching up reads these.
    public func journal(after sequence: Int64) async throws -> [JournalEntry]? {
        try await read("reading the journal after entry \(sequence)") { db in
            let entries = try Self.journalEntries(after: sequence, in: db)
            if let first = entries.first { return first.sequence == sequence + 1 ? entries : nil }
            return try Self.lastSequence(db) > sequence ? nil : []
        }
    }

    /// The stored entries after `sequence`, in order; throws if the numbers skip.
    private static func journalEntries(after sequence: Int64, in db: any SQLDatabase) throws -> [JournalEntry] {
        var journal: [JournalEntry] = []
        let rows = try db.rows("SELECT sequence, time, command, rules, origin FROM journal WHERE sequence > ? ORDER BY sequence", [SQLValue(sequence)])
        for journalRow in rows {
            let row = journalRow.described("a journal row")
            let number = try row.int64("sequence")
            if let last = journal.last, number != last.sequence + 1 {
                throw StoreError(.corruptData, "the journal skips from entry \(last.sequence) to \(number): entries are missing")
            }
            let command = try StoreJSON.decode(RoutingCommand.self, from: try row.string("command"), "journal entry \(number)")
            journal.append(JournalEntry(
                sequence: number, time: try row.timestamp("time"), command: command, events: [], rulesVersion: try row.optionalInt("rules") ?? 1,
                origin: try row.optionalString("origin")))
        }
        return journal
    }

    /// The sequence number of the last entry ever appended, pruned or not (0 for a new store).
    public static func lastSequence(_ db: any SQLDatabase) throws -> Int64 {
        guard let row = try db.row("SELECT (SELECT MAX(sequence) FROM journal) AS journal, (SELECT MAX(sequence) FROM snapshots) AS snapshots") else { return 0 }
        let found = row.described("the journal's end")
        return max(try found.optionalInt64("journal") ?? 0, try found.optionalInt64("snapshots") ?? 0)
    }
}
