import SwitchboardCore

/// Writes a commit's webhook deliveries inside the commit's transaction: one row per event and
/// subscription that wants its kind, in the order the events were committed (row ids increase
/// with it, which is the order the worker sends a key's deliveries in).
///
/// Set-wise, so a commit with webhooks costs a few statements whatever its size: one read of the
/// subscriptions (none: nothing more is done), one read of the records of the sessions that
/// ended, and multi-row inserts. Only subscriptions that exist when the commit runs get rows.
struct SQLWebhookOutbox<Store: SQLRoutingStore> {
    let db: any SQLDatabase

    /// Rows per INSERT: 11 parameters each stays far below both backends' parameter limits.
    private static var rowsPerStatement: Int { 500 }

    func enqueue(_ events: [WebhookEvent]) throws {
        guard !events.isEmpty else { return }
        let subscriptions = try db.rows("SELECT id, kinds FROM webhook_subscriptions ORDER BY id", []).map { row throws(StoreError) in
            let row = row.described("a webhook_subscriptions row")
            return (id: try row.string("id"), kinds: try WebhookKindsColumn.decode(try row.string("kinds")))
        }
        guard !subscriptions.isEmpty else { return }
        let wanted = events.filter { event in subscriptions.contains { $0.kinds.contains(event.kind) } }
        guard !wanted.isEmpty else { return }
        let records = try endedRecords(Set(wanted.compactMap(\.endedSession)))
        var rows: [[SQLValue]] = []
        for event in wanted {
            let data: String
            switch event.data {
            case .ready(let value):
                data = try StoreJSON.encode(value, "the data of webhook event \(event.id)")
            case .ended(var ended):
                ended.record = records[SessionID(ended.sessionId)]
                data = try StoreJSON.encode(ended, "the data of webhook event \(event.id)")
            }
            for subscription in subscriptions where subscription.kinds.contains(event.kind) {
                rows.append([
                    SQLValue(subscription.id), SQLValue(event.id), SQLValue(event.kind.rawValue), SQLValue(event.orderingKey),
                    SQLValue(event.at), SQLValue(data), SQLValue(WebhookDeliveryStatus.pending.rawValue), SQLValue(0),
                    SQLValue(event.at), SQLValue(event.at), .null,
                ])
            }
        }
        var start = 0
        var firstId: Int64?
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + Self.rowsPerStatement)]
            let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            let ids = try db.rows("""
                INSERT INTO webhook_deliveries (subscription_id, event_id, kind, ordering_key, occurred_at, data, status, attempts,
                                                created_at, next_attempt_at, redelivery_of)
                VALUES \(placeholders)
                RETURNING id
                """, chunk.flatMap { $0 })
            for row in ids {
                let id = try row.described("a new delivery's id").int64("id")
                firstId = min(firstId ?? id, id)
            }
            start += chunk.count
        }
        // Only the head of each key is due; the others wait (no next attempt) until the delivery
        // before them finishes, so the worker's reads never wade through a dead receiver's backlog.
        if let firstId {
            try db.execute("""
                UPDATE webhook_deliveries SET next_attempt_at = NULL
                WHERE id >= ? AND status = 'pending' AND EXISTS (
                    SELECT 1 FROM webhook_deliveries e
                    WHERE e.status = 'pending' AND e.subscription_id = webhook_deliveries.subscription_id
                      AND e.ordering_key = webhook_deliveries.ordering_key AND e.id < webhook_deliveries.id)
                """, [SQLValue(firstId)])
        }
    }

    /// The records of sessions that ended in this commit, as projected a moment ago.
    private func endedRecords(_ sessions: Set<SessionID>) throws -> [SessionID: SessionRecord] {
        guard !sessions.isEmpty else { return [:] }
        let ids = sessions.map(\.rawValue).sorted()
        let rows = try db.rows(
            "SELECT * FROM sessions WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))", ids.map(SQLValue.init))
        var records: [SessionID: SessionRecord] = [:]
        for row in rows {
            let record = try Store.sessionRecord(from: row)
            records[record.id] = record
        }
        return records
    }
}

/// A subscription's kinds as one column: their names, comma-separated, in the order given.
enum WebhookKindsColumn {
    static func encode(_ kinds: [WebhookEventKind]) -> String { kinds.map(\.rawValue).joined(separator: ",") }

    static func decode(_ text: String) throws(StoreError) -> [WebhookEventKind] {
        var kinds: [WebhookEventKind] = []
        for name in text.split(separator: ",") {
            guard let kind = WebhookEventKind(rawValue: String(name)) else {
                throw StoreError(.corruptData, "a webhook subscription names the event kind '\(name)', which this server does not know")
            }
            kinds.append(kind)
        }
        return kinds
    }
}
