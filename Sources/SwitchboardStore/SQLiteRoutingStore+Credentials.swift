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
    /// A repeated lock keeps the first time: the admin sees when the account was first locked.
    public func lockLogins(of agent: AgentID, at time: Timestamp, failures: Int) async throws {
        try await write("locking the logins of agent \(agent)") { db in
            try db.execute(sql: """
                INSERT INTO login_locks (agent_id, locked_at, failures) VALUES (?, ?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET failures = MAX(failures, excluded.failures)
                """, arguments: [agent.rawValue, time.milliseconds, failures])
        }
    }

    public func loginLock(of agent: AgentID) async throws -> LoginLock? {
        try await read("reading the login lock of agent \(agent)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT locked_at, failures FROM login_locks WHERE agent_id = ?", arguments: [agent.rawValue])
            else { return nil }
            let stored = StoredRow(row, "the login lock of agent \(agent)")
            return LoginLock(lockedAt: try stored.timestamp("locked_at"), failures: try stored.int("failures"))
        }
    }

    @discardableResult
    public func unlockLogins(of agent: AgentID) async throws -> Bool {
        try await write("unlocking the logins of agent \(agent)") { db in
            try db.execute(sql: "DELETE FROM login_locks WHERE agent_id = ?", arguments: [agent.rawValue])
            return db.changesCount > 0
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
