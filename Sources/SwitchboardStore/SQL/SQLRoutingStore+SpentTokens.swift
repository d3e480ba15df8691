import SwitchboardCore

extension SQLRoutingStore {
    /// One insert decides: of two logins racing with the same token, one inserts and the other
    /// finds the row. Expired rows go in the same transaction, so the table holds only tokens
    /// that could still be presented.
    public func spendToken(id: String, expiresAt: Timestamp, now: Timestamp) async throws -> Bool {
        try await write("spending single-use token \(id)") { db in
            try db.execute("DELETE FROM spent_tokens WHERE expires_at < ?", [now])
            return try !db.rows(
                "INSERT INTO spent_tokens (token_id, expires_at, spent_at) VALUES (?, ?, ?) ON CONFLICT (token_id) DO NOTHING RETURNING token_id",
                [id, expiresAt, now]).isEmpty
        }
    }
}
