import SwitchboardStore

/// The routing lease on PostgreSQL: one row in `cluster_lease`, its times in milliseconds by the
/// database's clock (`clock_timestamp()`, not the transaction's start), so nodes never compare
/// their own clocks. See ``RoutingLeaseStore``.
extension PostgresRoutingStore: RoutingLeaseStore {
    /// The database's wall clock in milliseconds.
    private static let databaseNow = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"

    public func tryAcquireLease(node: String, address: String?, durationMilliseconds: Int64) async throws -> Int64? {
        let taken = try await unfencedWrite("taking the routing lease") { db in
            // The leader's every write holds the lease row's lock for its transaction: wait
            // for it only briefly, and ask again at the next poll.
            try db.execute("SET LOCAL lock_timeout = 1000", [])
            return try db.integer("""
                UPDATE cluster_lease
                SET epoch = epoch + 1, holder = ?, address = ?, acquired_at = \(Self.databaseNow), expires_at = \(Self.databaseNow) + ?
                WHERE id = 1 AND expires_at <= \(Self.databaseNow)
                RETURNING epoch
                """, [node, address, durationMilliseconds])
        }
        if let taken { fence.withLock { $0 = Fence(epoch: taken, node: node) } }
        return taken
    }

    public func renewLease(durationMilliseconds: Int64) async throws {
        guard let held = fence.withLock({ $0 }) else {
            throw StoreError(.fenced, "renewing the routing lease refused: this node never took it")
        }
        // Given up on shutdown: nothing left to renew (and no write may follow).
        guard held.state != .given else { return }
        // A fenced write: the check before it throws `.fenced` once another node took over.
        do {
            // Beside routing: a renewal queued behind a burst of commits could let the lease run out.
            try await sideWrite("renewing the routing lease of epoch \(held.epoch)") { db in
                try db.execute("UPDATE cluster_lease SET expires_at = \(Self.databaseNow) + ? WHERE id = 1 AND epoch = ?",
                               [durationMilliseconds, held.epoch])
            }
        } catch let error as StoreError where error.code == .fenced && fence.withLock({ $0?.state == .given }) {
            // Given up while this renewal was on its way (a graceful shutdown racing the renewal
            // timer): the lease was released on purpose, so this is no loss of leadership.
            return
        }
    }

    public func releaseLease() async throws {
        // Refuse every later write first (a renewal queued behind this must not extend the
        // lease after it was given up), then give it up where it is still this node's.
        guard let held = fence.withLock({ fence -> Fence? in
            guard let held = fence, held.state == .holding else { return nil }
            fence?.state = .given
            return held
        }) else { return }
        try await unfencedWrite("giving up the routing lease of epoch \(held.epoch)") { db in
            try db.execute("UPDATE cluster_lease SET expires_at = 0 WHERE id = 1 AND epoch = ?", [held.epoch])
        }
    }

    public func leaseView() async throws -> RoutingLeaseView {
        try await sideRead("reading the routing lease") { db in
            guard let found = try db.row("""
                SELECT epoch, holder, address, expires_at - \(Self.databaseNow) AS remaining, last_sequence FROM cluster_lease WHERE id = 1
                """) else {
                throw StoreError(.corruptData, "the routing lease row is missing from cluster_lease")
            }
            let row = found.described("the routing lease")
            return RoutingLeaseView(
                epoch: try row.int64("epoch"), holder: try row.optionalString("holder"), address: try row.optionalString("address"),
                expiresInMilliseconds: try row.int64("remaining"), lastSequence: try row.int64("last_sequence"))
        }
    }

    public func sharedSecrets(generate: @Sendable () -> SharedSecrets) async throws -> (secrets: SharedSecrets, createdNow: Bool) {
        let fresh = generate()
        return try await unfencedWrite("reading the shared secrets") { db in
            // The migration lock orders nodes starting together: one inserts, the others read it.
            try db.execute("SELECT pg_advisory_xact_lock(?)", [PostgresSchema.migrationLock])
            var created = false
            for (name, value) in [("adminAPIKey", fresh.adminAPIKey), ("signingSecret", fresh.signingSecret)] {
                let inserted = try db.integer("""
                    INSERT INTO shared_secrets (name, value, created_at) VALUES (?, ?, \(Self.databaseNow))
                    ON CONFLICT (name) DO NOTHING RETURNING 1
                    """, [name, value])
                created = created || inserted != nil
            }
            let values = Dictionary(uniqueKeysWithValues: try db.rows("SELECT name, value FROM shared_secrets", []).compactMap { row in
                row.columns["name"].map { ($0.description, row.columns["value"]?.description ?? "") }
            })
            guard let admin = values["adminAPIKey"], let signing = values["signingSecret"] else {
                throw StoreError(.corruptData, "shared_secrets lacks the admin API key or the signing secret")
            }
            return (SharedSecrets(adminAPIKey: admin, signingSecret: signing), created)
        }
    }
}
