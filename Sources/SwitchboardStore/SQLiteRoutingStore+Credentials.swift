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
}
