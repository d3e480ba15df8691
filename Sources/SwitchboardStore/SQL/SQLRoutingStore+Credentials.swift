import SwitchboardCore

extension SQLRoutingStore {
    public func setPasswordHash(_ hash: String, for agent: AgentID) async throws {
        try await write("setting the password of agent \(agent)") { db in
            try db.execute("""
                INSERT INTO credentials (agent_id, password_hash) VALUES (?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET password_hash = excluded.password_hash
                """, [SQLValue(agent.rawValue), SQLValue(hash)])
        }
    }

    public func passwordHash(for agent: AgentID) async throws -> String? {
        try await read("reading the password of agent \(agent)") { db in
            try db.row("SELECT password_hash FROM credentials WHERE agent_id = ?", [SQLValue(agent.rawValue)])?
                .described("the credentials of agent \(agent)").string("password_hash")
        }
    }

    /// Keeps the later of two revocation times: revoking again never lets older tokens back in.
    public func revokeTokens(of agent: AgentID, issuedBefore time: Timestamp) async throws {
        try await write("revoking the tokens of agent \(agent)") { db in
            try db.execute("""
                INSERT INTO token_revocations (agent_id, not_before) VALUES (?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET not_before = \(db.dialect.greatest("token_revocations.not_before", "excluded.not_before"))
                """, [SQLValue(agent.rawValue), SQLValue(time)])
        }
    }

    public func tokensRevokedBefore(of agent: AgentID) async throws -> Timestamp? {
        try await read("reading the token revocation of agent \(agent)") { db in
            try db.row("SELECT not_before FROM token_revocations WHERE agent_id = ?", [SQLValue(agent.rawValue)])?
                .described("the token revocation of agent \(agent)").timestamp("not_before")
        }
    }
}

extension SQLRoutingStore {
    /// Locking again keeps the first lock's time and the larger failure count.
    public func lockLogins(of agent: AgentID, at time: Timestamp, failures: Int) async throws {
        try await Self.lock(LoginLockTable.agents, agent.rawValue, at: time, failures: failures, in: self)
    }

    public func loginLock(of agent: AgentID) async throws -> LoginLock? {
        try await Self.lock(of: LoginLockTable.agents, agent.rawValue, in: self)
    }

    @discardableResult
    public func unlockLogins(of agent: AgentID) async throws -> Bool {
        try await Self.unlock(LoginLockTable.agents, agent.rawValue, in: self)
    }
}

/// Where the login locks of agents and of supervisors are kept: the same columns in two tables,
/// so one set of statements serves both.
struct LoginLockTable: Sendable {
    let table: String
    let key: String
    let who: String

    static let agents = LoginLockTable(table: "login_locks", key: "agent_id", who: "agent")
    static let supervisors = LoginLockTable(table: "supervisor_login_locks", key: "supervisor_id", who: "supervisor")
}

extension SQLRoutingStore {
    static func lock(_ locks: LoginLockTable, _ id: String, at time: Timestamp, failures: Int, in store: Self) async throws {
        try await store.write("locking the logins of \(locks.who) \(id)") { db in
            try db.execute("""
                INSERT INTO \(locks.table) (\(locks.key), locked_at, failures) VALUES (?, ?, ?)
                ON CONFLICT (\(locks.key)) DO UPDATE SET failures = \(db.dialect.greatest("\(locks.table).failures", "excluded.failures"))
                """, [id, time, failures])
        }
    }

    static func lock(of locks: LoginLockTable, _ id: String, in store: Self) async throws -> LoginLock? {
        try await store.read("reading the login lock of \(locks.who) \(id)") { db in
            guard let row = try db.row("SELECT locked_at, failures FROM \(locks.table) WHERE \(locks.key) = ?", [id]) else { return nil }
            let stored = row.described("the login lock of \(locks.who) \(id)")
            return LoginLock(lockedAt: try stored.timestamp("locked_at"), failures: try stored.int("failures"))
        }
    }

    static func unlock(_ locks: LoginLockTable, _ id: String, in store: Self) async throws -> Bool {
        try await store.write("unlocking the logins of \(locks.who) \(id)") { db in
            try !db.rows("DELETE FROM \(locks.table) WHERE \(locks.key) = ? RETURNING \(locks.key)", [id]).isEmpty
        }
    }
}

extension SQLRoutingStore {
    /// The number comes from the table's own counter, so it never repeats, even after a crash.
    public func recordServerStart(at time: Timestamp) async throws -> Int64 {
        try await write("recording the server start") { db in
            guard let row = try db.row("INSERT INTO server_starts (started_at) VALUES (?) RETURNING number", [SQLValue(time)]) else {
                throw StoreError(.database, "the server start was stored without a number")
            }
            return try row.described("the new server start").int64("number")
        }
    }
}
