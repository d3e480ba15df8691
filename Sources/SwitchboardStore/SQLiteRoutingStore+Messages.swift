import GRDB
import SwitchboardCore

extension SQLiteRoutingStore {
    /// Deduplicated by the UNIQUE (session_id, client_message_id) constraint, so two racing
    /// retries still store one row.
    public func appendMessage(_ message: NewMessage) async throws -> StoredMessage {
        try await commit([], messages: [message])[0]
    }

    /// Inserts one message in the current transaction, or finds the one stored before with the
    /// same `clientMessageId`.
    static func insert(_ message: NewMessage, into db: Database) throws -> StoredMessage {
        // A retried send with the same clientMessageId hits the UNIQUE constraint and is not stored again.
        try db.execute(sql: """
            INSERT INTO messages (session_id, author, agent_id, text, sent_at, client_message_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, client_message_id) DO NOTHING
            """, arguments: [
                message.sessionId.rawValue, message.author.rawValue, message.agentId?.rawValue, message.text,
                message.sentAt.milliseconds, message.clientMessageId,
            ])
        if db.changesCount == 1 {
            return StoredMessage(
                id: db.lastInsertedRowID, sessionId: message.sessionId, author: message.author, agentId: message.agentId,
                text: message.text, sentAt: message.sentAt, clientMessageId: message.clientMessageId)
        }
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM messages WHERE session_id = ? AND client_message_id = ?",
            arguments: [message.sessionId.rawValue, message.clientMessageId])
        else {
            throw StoreError(.database, "message \(message.clientMessageId ?? "") of session \(message.sessionId) was neither stored nor found")
        }
        var found = try Self.message(from: row)
        found.storedBefore = true
        return found
    }

    /// Pages by message id (increasing with storage order), not by time: ids are unique, so a
    /// page boundary never drops or repeats a message sent in the same millisecond.
    public func messages(of session: SessionID, query: MessagePageQuery) async throws -> [StoredMessage] {
        try query.validate()
        var sql = "SELECT * FROM messages WHERE session_id = ?"
        var arguments: StatementArguments = [session.rawValue]
        if let afterId = query.afterId {
            sql += " AND id > ?"
            arguments += [afterId]
        }
        if let beforeId = query.beforeId {
            sql += " AND id < ?"
            arguments += [beforeId]
        }
        sql += query.oldestFirst ? " ORDER BY id ASC" : " ORDER BY id DESC"
        sql += " LIMIT ?"
        arguments += [query.limit]
        return try await read("reading messages of session \(session)") { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.message(from:))
        }
    }

    static func message(from row: Row) throws(StoreError) -> StoredMessage {
        let row = StoredRow(row, "a messages row")
        return StoredMessage(
            id: try row.int64("id"), sessionId: try row.identifier(SessionID.self, "session_id"),
            author: try row.enumeration(MessageAuthor.self, "author"), agentId: try row.optionalIdentifier(AgentID.self, "agent_id"),
            text: try row.string("text"), sentAt: try row.timestamp("sent_at"),
            clientMessageId: try row.optionalString("client_message_id"))
    }
}
