import GRDB
import SwitchboardCore

extension SQLiteRoutingStore {
    public func spendToken(id: String, expiresAt: Timestamp, now: Timestamp) async throws -> Bool {
        try await write("spending single-use token \(id)") { db in
            try db.execute(sql: "DELETE FROM spent_tokens WHERE expires_at < ?", arguments: [now.milliseconds])
            try db.execute(
                sql: "INSERT INTO spent_tokens (token_id, expires_at, spent_at) VALUES (?, ?, ?) ON CONFLICT (token_id) DO NOTHING",
                arguments: [id, expiresAt.milliseconds, now.milliseconds])
            return db.changesCount > 0
        }
    }
}

extension SQLiteSchema {
    /// `spent_tokens`: single-use login tokens already used, until they expire.
    static func createSpentTokens(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE spent_tokens (
                token_id   TEXT PRIMARY KEY,
                expires_at INTEGER NOT NULL,
                spent_at   INTEGER NOT NULL
            );
            CREATE INDEX spent_tokens_by_expiry ON spent_tokens(expires_at);
            """)
    }
}
