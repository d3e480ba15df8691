import SwitchboardCore

/// Supervisor accounts and their passwords.
extension SQLRoutingStore {
    @discardableResult
    public func saveSupervisor(
        _ id: SupervisorID, name: String, role: SupervisorRole, passwordHash: String?, at time: Timestamp
    ) async throws -> SavedSupervisor {
        try await write("saving supervisor \(id)") { db in
            let existed = try db.row("SELECT 1 AS found FROM supervisors WHERE id = ?", [SQLValue(id.rawValue)]) != nil
            try db.execute("""
                INSERT INTO supervisors (id, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
                    password_hash = COALESCE(excluded.password_hash, supervisors.password_hash), updated_at = excluded.updated_at
                """, [SQLValue(id.rawValue), SQLValue(name), SQLValue(role.rawValue), SQLValue(passwordHash), SQLValue(time), SQLValue(time)])
            if passwordHash != nil {
                try db.execute("DELETE FROM supervisor_sessions WHERE supervisor_id = ?", [SQLValue(id.rawValue)])
            }
            if !existed {
                try db.execute("DELETE FROM supervisor_login_locks WHERE supervisor_id = ?", [SQLValue(id.rawValue)])
            }
            guard let account = try Self.fetchSupervisor(id, in: db) else {
                throw StoreError(.database, "supervisor \(id) was saved but cannot be read back")
            }
            return SavedSupervisor(account: account, created: !existed)
        }
    }

    public func supervisor(_ id: SupervisorID) async throws -> SupervisorAccount? {
        try await read("reading supervisor \(id)") { db in try Self.fetchSupervisor(id, in: db) }
    }

    public func supervisors() async throws -> [SupervisorAccount] {
        try await read("listing the supervisors") { db in
            try db.rows("SELECT \(Self.supervisorColumns) FROM supervisors ORDER BY id", []).map(Self.supervisorAccount)
        }
    }

    /// Sessions go by cascade; the lock is kept by id without a reference, so it goes here.
    @discardableResult
    public func deleteSupervisor(_ id: SupervisorID) async throws -> Bool {
        try await write("deleting supervisor \(id)") { db in
            let existed = try !db.rows("DELETE FROM supervisors WHERE id = ? RETURNING id", [SQLValue(id.rawValue)]).isEmpty
            try db.execute("DELETE FROM supervisor_login_locks WHERE supervisor_id = ?", [SQLValue(id.rawValue)])
            return existed
        }
    }

    @discardableResult
    public func setSupervisorPasswordHash(_ hash: String, for id: SupervisorID) async throws -> Bool {
        try await write("setting the password of supervisor \(id)") { db in
            guard try !db.rows("UPDATE supervisors SET password_hash = ? WHERE id = ? RETURNING id", [SQLValue(hash), SQLValue(id.rawValue)]).isEmpty
            else { return false }
            try db.execute("DELETE FROM supervisor_sessions WHERE supervisor_id = ?", [SQLValue(id.rawValue)])
            return true
        }
    }

    public func supervisorPasswordHash(for id: SupervisorID) async throws -> String? {
        try await read("reading the password of supervisor \(id)") { db in
            try db.row("SELECT password_hash FROM supervisors WHERE id = ?", [SQLValue(id.rawValue)])?
                .described("supervisor \(id)").optionalString("password_hash")
        }
    }

    // MARK: Reading rows

    /// `has_password` as 0 or 1 in both dialects (PostgreSQL's `IS NOT NULL` would be a boolean).
    static var supervisorColumns: String {
        "id, name, role, CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, created_at"
    }

    static func fetchSupervisor(_ id: SupervisorID, in db: any SQLDatabase) throws -> SupervisorAccount? {
        try db.row("SELECT \(supervisorColumns) FROM supervisors WHERE id = ?", [SQLValue(id.rawValue)]).map(supervisorAccount)
    }

    static func supervisorAccount(_ row: SQLRow) throws(StoreError) -> SupervisorAccount {
        let stored = row.described("a supervisor row")
        return SupervisorAccount(
            id: try stored.identifier(SupervisorID.self, "id"), name: try stored.string("name"),
            role: try stored.enumeration(SupervisorRole.self, "role"), hasPassword: try stored.int("has_password") != 0,
            createdAt: try stored.timestamp("created_at"))
    }
}

/// Sign-in sessions, kept by the hash of their secret.
extension SQLRoutingStore {
    /// The password check and this write are apart in time; comparing the hash inside the
    /// transaction closes the gap in which an admin could change the password or delete the account.
    public func createSupervisorSession(_ session: NewSupervisorSession, verifiedHash: String) async throws -> Bool {
        try await write("signing in supervisor \(session.supervisorId)") { db in
            try !db.rows("""
                INSERT INTO supervisor_sessions (token_hash, supervisor_id, created_at, last_used_at)
                SELECT ?, id, ?, ? FROM supervisors WHERE id = ? AND password_hash = ?
                RETURNING token_hash
                """, [
                    SQLValue(session.tokenHash), SQLValue(session.createdAt), SQLValue(session.createdAt),
                    SQLValue(session.supervisorId.rawValue), SQLValue(verifiedHash),
                ]).isEmpty
        }
    }

    public func supervisorSession(tokenHash: String) async throws -> StoredSupervisorSession? {
        try await read("reading a supervisor session") { db in
            guard let row = try db.row("""
                SELECT s.id, s.name, s.role, CASE WHEN s.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, s.created_at,
                       t.created_at AS session_created_at, t.last_used_at
                FROM supervisor_sessions t JOIN supervisors s ON s.id = t.supervisor_id
                WHERE t.token_hash = ?
                """, [SQLValue(tokenHash)])
            else { return nil }
            let stored = row.described("a supervisor session")
            return StoredSupervisorSession(
                account: try Self.supervisorAccount(row), createdAt: try stored.timestamp("session_created_at"),
                lastUsedAt: try stored.timestamp("last_used_at"))
        }
    }

    public func touchSupervisorSession(tokenHash: String, at time: Timestamp) async throws {
        try await write("recording the use of a supervisor session") { db in
            try db.execute(
                "UPDATE supervisor_sessions SET last_used_at = \(db.dialect.greatest("last_used_at", "?")) WHERE token_hash = ?",
                [SQLValue(time), SQLValue(tokenHash)])
        }
    }

    @discardableResult
    public func deleteSupervisorSession(tokenHash: String) async throws -> Bool {
        try await write("ending a supervisor session") { db in
            try !db.rows("DELETE FROM supervisor_sessions WHERE token_hash = ? RETURNING token_hash", [SQLValue(tokenHash)]).isEmpty
        }
    }

    @discardableResult
    public func deleteSupervisorSessions(lastUsedBefore: Timestamp, createdBefore: Timestamp) async throws -> Int {
        try await write("ending expired supervisor sessions") { db in
            try db.rows(
                "DELETE FROM supervisor_sessions WHERE last_used_at < ? OR created_at < ? RETURNING token_hash",
                [SQLValue(lastUsedBefore), SQLValue(createdBefore)]).count
        }
    }
}

/// Login locks of supervisor ids, kept as agents' are.
extension SQLRoutingStore {
    /// A repeated lock keeps the first time, as agents' locks do.
    public func lockSupervisorLogins(of id: SupervisorID, at time: Timestamp, failures: Int) async throws {
        try await Self.lock(LoginLockTable.supervisors, id.rawValue, at: time, failures: failures, in: self)
    }

    public func supervisorLoginLock(of id: SupervisorID) async throws -> LoginLock? {
        try await Self.lock(of: LoginLockTable.supervisors, id.rawValue, in: self)
    }

    @discardableResult
    public func unlockSupervisorLogins(of id: SupervisorID) async throws -> Bool {
        try await Self.unlock(LoginLockTable.supervisors, id.rawValue, in: self)
    }
}
