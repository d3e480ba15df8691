import SwitchboardCore

extension SQLRoutingStore {
    public func createAPIKey(_ key: StoredAPIKey) async throws -> Bool {
        try await write("creating API key \(key.secretId)") { db in
            try !db.rows("""
                INSERT INTO api_keys (secret_id, sdk_app_id, sealed_secret_key, description, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (secret_id) DO NOTHING
                RETURNING secret_id
                """, [SQLValue(key.secretId), SQLValue(key.sdkAppId), SQLValue(key.sealedSecretKey), SQLValue(key.description), SQLValue(key.createdAt)]
            ).isEmpty
        }
    }

    public func apiKey(secretId: String) async throws -> StoredAPIKey? {
        try await read("reading API key \(secretId)") { db in
            try db.row("SELECT * FROM api_keys WHERE secret_id = ?", [SQLValue(secretId)]).map(Self.apiKey)
        }
    }

    public func apiKeys(sdkAppId: Int64) async throws -> [StoredAPIKey] {
        try await read("listing the API keys of SdkAppId \(sdkAppId)") { db in
            try db.rows("SELECT * FROM api_keys WHERE sdk_app_id = ? ORDER BY created_at, secret_id", [SQLValue(sdkAppId)]).map(Self.apiKey)
        }
    }

    @discardableResult
    public func deleteAPIKey(secretId: String, sdkAppId: Int64) async throws -> Bool {
        try await write("revoking API key \(secretId)") { db in
            try !db.rows("DELETE FROM api_keys WHERE secret_id = ? AND sdk_app_id = ? RETURNING secret_id",
                         [SQLValue(secretId), SQLValue(sdkAppId)]).isEmpty
        }
    }

    private static func apiKey(_ row: SQLRow) throws(StoreError) -> StoredAPIKey {
        let stored = row.described("an API key")
        return StoredAPIKey(
            secretId: try stored.string("secret_id"), sdkAppId: try stored.int64("sdk_app_id"),
            sealedSecretKey: try stored.string("sealed_secret_key"), description: try stored.optionalString("description"),
            createdAt: try stored.timestamp("created_at"))
    }
}
