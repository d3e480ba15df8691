import GRDB
import SwitchboardCore

extension SQLiteRoutingStore {
    /// Stores the hash as given: hashing (and its algorithm) is the server's concern.
    public func setPasswordHash(_ hash: String, for agent: AgentID) async throws {
        try await write("setting the password of agent \(agent)") { db in
            try db.execute(sql: """
                INSERT INTO credentials (agent_id, password_hash) VALUES (?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET password_hash = excluded.password_hash
                """, arguments: [agent.rawValue, hash])
        }
    }

    /// nil both for an unknown agent and for one without a password: sign-in fails the same way.
    public func passwordHash(for agent: AgentID) async throws -> String? {
        try await read("reading the password of agent \(agent)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT password_hash FROM credentials WHERE agent_id = ?", arguments: [agent.rawValue])
            else { return nil }
            return try StoredRow(row, "the credentials of agent \(agent)").string("password_hash")
        }
    }

    /// Keeps the latest revocation: revoking again moves the line forward, never back.
    public func revokeTokens(of agent: AgentID, issuedBefore time: Timestamp) async throws {
        try await write("revoking the tokens of agent \(agent)") { db in
            try db.execute(sql: """
                INSERT INTO token_revocations (agent_id, not_before) VALUES (?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET not_before = MAX(not_before, excluded.not_before)
                """, arguments: [agent.rawValue, time.milliseconds])
        }
    }

    public func tokensRevokedBefore(of agent: AgentID) async throws -> Timestamp? {
        try await read("reading the token revocation of agent \(agent)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT not_before FROM token_revocations WHERE agent_id = ?", arguments: [agent.rawValue])
            else { return nil }
            return try StoredRow(row, "the token revocation of agent \(agent)").timestamp("not_before")
        }
    }
}

extension SQLiteRoutingStore {
    /// AUTOINCREMENT never reuses a number, so a start's number is above every earlier one.
    public func recordServerStart(at time: Timestamp) async throws -> Int64 {
        try await write("recording the server start") { db in
            try db.execute(sql: "INSERT INTO server_starts (started_at) VALUES (?)", arguments: [time.milliseconds])
            return db.lastInsertedRowID
        }
    }
}
