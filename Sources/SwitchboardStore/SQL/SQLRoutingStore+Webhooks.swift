import SwitchboardCore

/// Webhook subscriptions.
extension SQLRoutingStore {
    public func createWebhook(_ webhook: StoredWebhook) async throws -> Bool {
        try await write("creating webhook \(webhook.id)") { db in
            try !db.rows("""
                INSERT INTO webhook_subscriptions (id, url, kinds, sealed_secret, description, created_at, updated_at, paused)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """, [
                    SQLValue(webhook.id), SQLValue(webhook.url), SQLValue(WebhookKindsColumn.encode(webhook.kinds)), SQLValue(webhook.sealedSecret),
                    SQLValue(webhook.description), SQLValue(webhook.createdAt), SQLValue(webhook.updatedAt), SQLValue(webhook.paused ? 1 : 0),
                ]).isEmpty
        }
    }

    public func webhook(id: String) async throws -> StoredWebhook? {
        try await read("reading webhook \(id)") { db in
            try db.row("SELECT * FROM webhook_subscriptions WHERE id = ?", [SQLValue(id)]).map(Self.webhook)
        }
    }

    public func webhooks() async throws -> [StoredWebhook] {
        try await read("listing the webhooks") { db in
            try db.rows("SELECT * FROM webhook_subscriptions ORDER BY created_at, id", []).map(Self.webhook)
        }
    }

    @discardableResult
    public func updateWebhook(_ webhook: StoredWebhook) async throws -> Bool {
        try await write("updating webhook \(webhook.id)") { db in
            try !db.rows("""
                UPDATE webhook_subscriptions SET url = ?, kinds = ?, sealed_secret = ?, description = ?, updated_at = ?, paused = ?
                WHERE id = ? RETURNING id
                """, [
                    SQLValue(webhook.url), SQLValue(WebhookKindsColumn.encode(webhook.kinds)), SQLValue(webhook.sealedSecret),
                    SQLValue(webhook.description), SQLValue(webhook.updatedAt), SQLValue(webhook.paused ? 1 : 0), SQLValue(webhook.id),
                ]).isEmpty
        }
    }

    /// Deliveries go with it, by cascade.
    @discardableResult
    public func deleteWebhook(id: String) async throws -> Bool {
        try await write("deleting webhook \(id)") { db in
            try !db.rows("DELETE FROM webhook_subscriptions WHERE id = ? RETURNING id", [SQLValue(id)]).isEmpty
        }
    }

    private static func webhook(_ row: SQLRow) throws(StoreError) -> StoredWebhook {
        let stored = row.described("a webhook_subscriptions row")
        return StoredWebhook(
            id: try stored.string("id"), url: try stored.string("url"), kinds: try WebhookKindsColumn.decode(try stored.string("kinds")),
            sealedSecret: try stored.string("sealed_secret"), description: try stored.optionalString("description"),
            createdAt: try stored.timestamp("created_at"), updatedAt: try stored.timestamp("updated_at"), paused: try stored.int("paused") != 0)
    }
}

/// The outbox as the delivery worker and the delivery log see it.
extension SQLRoutingStore {
    public func webhookDeliveries(
        of subscription: String, status: WebhookDeliveryStatus?, limit: Int, offset: Int
    ) async throws -> [WebhookDelivery] {
        try QueryLimits.checkLimit(limit, "webhook deliveries")
        guard offset >= 0 else { throw StoreError(.invalidQuery, "the offset of webhook deliveries must be 0 or more, not \(offset)") }
        return try await read("listing the deliveries of webhook \(subscription)") { db in
            var sql = "SELECT * FROM webhook_deliveries WHERE subscription_id = ?"
            var arguments = [SQLValue(subscription)]
            if let status {
                sql += " AND status = ?"
                arguments.append(SQLValue(status.rawValue))
            }
            sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
            arguments += [SQLValue(limit), SQLValue(offset)]
            return try db.rows(sql, arguments).map(Self.delivery)
        }
    }

    public func webhookDelivery(_ id: Int64, of subscription: String) async throws -> WebhookDelivery? {
        try await read("reading delivery \(id) of webhook \(subscription)") { db in
            try db.row("SELECT * FROM webhook_deliveries WHERE id = ? AND subscription_id = ?", [SQLValue(id), SQLValue(subscription)])
                .map(Self.delivery)
        }
    }

    /// Only heads have a next attempt (see `SQLWebhookOutbox`), so this reads due heads, not a
    /// backlog; the NOT EXISTS keeps the order even so.
    public func dueWebhookDeliveries(
        at now: Timestamp, excluding: Set<Int64>, skippingSubscriptions: Set<String>, limit: Int
    ) async throws -> [DueWebhookDelivery] {
        guard limit > 0 else { return [] }
        let excluded = excluding.sorted()
        let skipped = skippingSubscriptions.sorted()
        // Beside routing (see `sideRead`): the worker polls, and must not queue behind commits.
        return try await sideRead("reading the due webhook deliveries") { db in
            var sql = """
                SELECT d.*, s.url AS subscription_url, s.sealed_secret AS subscription_secret
                FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.paused = 0
                  AND NOT EXISTS (
                    SELECT 1 FROM webhook_deliveries e
                    WHERE e.status = 'pending' AND e.subscription_id = d.subscription_id AND e.ordering_key = d.ordering_key AND e.id < d.id)
                """
            var arguments = [SQLValue(now)]
            if !excluded.isEmpty {
                sql += " AND d.id NOT IN (\(excluded.map { _ in "?" }.joined(separator: ", ")))"
                arguments += excluded.map(SQLValue.init)
            }
            if !skipped.isEmpty {
                sql += " AND d.subscription_id NOT IN (\(skipped.map { _ in "?" }.joined(separator: ", ")))"
                arguments += skipped.map(SQLValue.init)
            }
            sql += " ORDER BY d.next_attempt_at, d.id LIMIT ?"
            arguments.append(SQLValue(limit))
            return try db.rows(sql, arguments).map { row throws(StoreError) in
                let stored = row.described("a due webhook delivery")
                return DueWebhookDelivery(
                    delivery: try Self.delivery(row), url: try stored.string("subscription_url"),
                    sealedSecret: try stored.string("subscription_secret"))
            }
        }
    }

    @discardableResult
    public func recordWebhookAttempt(_ id: Int64, _ attempt: WebhookAttempt) async throws -> Bool {
        let (status, at, error, code, next): (WebhookDeliveryStatus, Timestamp, String?, Int?, Timestamp?)
        switch attempt {
        case .delivered(let time, let statusCode): (status, at, error, code, next) = (.delivered, time, nil, statusCode, nil)
        case .retry(let time, let why, let statusCode, let later): (status, at, error, code, next) = (.pending, time, why, statusCode, later)
        case .failed(let time, let why, let statusCode): (status, at, error, code, next) = (.failed, time, why, statusCode, nil)
        }
        let finished: Timestamp? = status == .pending ? nil : at
        // Beside routing, but fenced: the lease row's lock orders it against the commit in progress,
        // so a delivery that commit queued for this key is seen here and made due.
        return try await sideWrite("recording an attempt of webhook delivery \(id)") { db in
            guard let row = try db.row("""
                UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?,
                    last_status_code = ?, next_attempt_at = ?, finished_at = ?
                WHERE id = ? AND status = 'pending' RETURNING subscription_id, ordering_key
                """, [
                    SQLValue(status.rawValue), SQLValue(at), SQLValue(error.map { String($0.prefix(1000)) }), SQLValue(code), next.sqlValue,
                    finished.sqlValue, SQLValue(id),
                ])
            else { return false }
            if status != .pending {
                // Finished: the next delivery of its key is due now.
                let key = row.described("a finished delivery")
                try Self.promoteHead(subscription: try key.string("subscription_id"), key: try key.string("ordering_key"), at: at, in: db)
            }
            return true
        }
    }

    /// Makes the oldest pending delivery of a key due at `time`, if it waits (has no next attempt).
    static func promoteHead(subscription: String, key: String, at time: Timestamp, in db: any SQLDatabase) throws {
        try db.execute("""
            UPDATE webhook_deliveries SET next_attempt_at = ?
            WHERE next_attempt_at IS NULL AND id = (
                SELECT MIN(e.id) FROM webhook_deliveries e WHERE e.status = 'pending' AND e.subscription_id = ? AND e.ordering_key = ?)
            """, [SQLValue(time), SQLValue(subscription), SQLValue(key)])
    }

    public func redeliverWebhook(_ id: Int64, of subscription: String, at now: Timestamp) async throws -> WebhookDelivery? {
        try await write("redelivering delivery \(id) of webhook \(subscription)") { db in
            guard let row = try db.row("SELECT * FROM webhook_deliveries WHERE id = ? AND subscription_id = ?", [SQLValue(id), SQLValue(subscription)])
            else { return nil }
            let original = try Self.delivery(row)
            if original.status == .pending {
                // A head is attempted now; one waiting behind its key's head keeps its place.
                try db.execute("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND next_attempt_at IS NOT NULL",
                               [SQLValue(now), SQLValue(id)])
                return try db.row("SELECT * FROM webhook_deliveries WHERE id = ?", [SQLValue(id)]).map(Self.delivery)
            }
            // The copy goes after whatever its key has pending: due now only if that is nothing.
            guard let copy = try db.row("""
                INSERT INTO webhook_deliveries (subscription_id, event_id, kind, ordering_key, occurred_at, data, status, attempts,
                                                created_at, next_attempt_at, redelivery_of)
                SELECT d.subscription_id, d.event_id, d.kind, d.ordering_key, d.occurred_at, d.data, 'pending', 0, ?,
                       CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.status = 'pending'
                                         AND e.subscription_id = d.subscription_id AND e.ordering_key = d.ordering_key)
                            THEN NULL ELSE ? END,
                       d.id
                FROM webhook_deliveries d WHERE d.id = ?
                RETURNING id
                """, [SQLValue(now), SQLValue(now), SQLValue(id)])
            else { throw StoreError(.database, "delivery \(id) could not be copied for redelivery") }
            let newId = try copy.described("the redelivery's id").int64("id")
            return try db.row("SELECT * FROM webhook_deliveries WHERE id = ?", [SQLValue(newId)]).map(Self.delivery)
        }
    }

    @discardableResult
    public func pruneWebhookDeliveries(finishedBefore time: Timestamp) async throws -> Int {
        try await sideWrite("pruning finished webhook deliveries") { db in
            try db.rows(
                "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at < ? RETURNING id", [SQLValue(time)]).count
        }
    }

    static func delivery(_ row: SQLRow) throws(StoreError) -> WebhookDelivery {
        let stored = row.described("a webhook_deliveries row")
        return WebhookDelivery(
            id: try stored.int64("id"), subscriptionId: try stored.string("subscription_id"), eventId: try stored.string("event_id"),
            kind: try stored.enumeration(WebhookEventKind.self, "kind"), orderingKey: try stored.string("ordering_key"),
            occurredAt: try stored.timestamp("occurred_at"), data: try stored.string("data"),
            status: try stored.enumeration(WebhookDeliveryStatus.self, "status"), attempts: try stored.int("attempts"),
            createdAt: try stored.timestamp("created_at"), nextAttemptAt: try stored.optionalTimestamp("next_attempt_at"),
            lastAttemptAt: try stored.optionalTimestamp("last_attempt_at"), lastError: try stored.optionalString("last_error"),
            lastStatusCode: try stored.optionalInt("last_status_code"), finishedAt: try stored.optionalTimestamp("finished_at"),
            redeliveryOf: try stored.optionalInt64("redelivery_of"))
    }
}
