import GRDB
import SwitchboardCore

extension SQLiteRoutingStore {
    public func createAPIKey(_ key: StoredAPIKey) async throws -> Bool {
        try await write("creating API key \(key.secretId)") { db in
            try db.execute(sql: """
                INSERT INTO api_keys (secret_id, sdk_app_id, sealed_secret_key, description, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (secret_id) DO NOTHING
                """, arguments: [key.secretId, key.sdkAppId, key.sealedSecretKey, key.description, key.createdAt.milliseconds])
            return db.changesCount > 0
        }
    }

    public func apiKey(secretId: String) async throws -> StoredAPIKey? {
        try await read("reading API key \(secretId)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE secret_id = ?", arguments: [secretId]).map(Self.apiKey)
        }
    }

    public func apiKeys(sdkAppId: Int64) async throws -> [StoredAPIKey] {
        try await read("listing the API keys of SdkAppId \(sdkAppId)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys WHERE sdk_app_id = ? ORDER BY created_at, secret_id", arguments: [sdkAppId])
                .map(Self.apiKey)
        }
    }

    @discardableResult
    public func deleteAPIKey(secretId: String, sdkAppId: Int64) async throws -> Bool {
        try await write("revoking API key \(secretId)") { db in
            try db.execute(sql: "DELETE FROM api_keys WHERE secret_id = ? AND sdk_app_id = ?", arguments: [secretId, sdkAppId])
            return db.changesCount > 0
        }
    }

    private static func apiKey(_ row: Row) throws -> StoredAPIKey {
        let stored = StoredRow(row, "an API key")
        return StoredAPIKey(
            secretId: try stored.string("secret_id"), sdkAppId: try stored.int64("sdk_app_id"),
            sealedSecretKey: try stored.string("sealed_secret_key"), description: try stored.optionalString("description"),
            createdAt: try stored.timestamp("created_at"))
    }
}
