import SwitchboardCore

extension SQLRoutingStore {
    /// In a transaction of its own (no journal entry); see `commit` for the batched form.
    public func appendMessage(_ message: NewMessage) async throws -> StoredMessage {
        try await commit([], messages: [message])[0]
    }

    /// Inserts a message, or finds the one a retried send with the same `clientMessageId` stored.
    static func insert(_ message: NewMessage, into db: any SQLDatabase) throws -> StoredMessage {
        // A retried send with the same clientMessageId hits the UNIQUE constraint and is not stored again.
        let inserted = try db.rows("""
            INSERT INTO messages (session_id, author, agent_id, text, sent_at, client_message_id, attachment_id, journal_sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, client_message_id) DO NOTHING
            RETURNING id
            """, [
                SQLValue(message.sessionId.rawValue), SQLValue(message.author.rawValue), SQLValue(message.agentId?.rawValue),
                SQLValue(message.text), SQLValue(message.sentAt), SQLValue(message.clientMessageId), SQLValue(message.attachment?.id),
                SQLValue(message.journalSequence),
            ])
        if let row = inserted.first {
            return StoredMessage(
                id: try row.described("the new message's id").int64("id"), sessionId: message.sessionId, author: message.author,
                agentId: message.agentId, text: message.text, sentAt: message.sentAt, clientMessageId: message.clientMessageId,
                attachment: message.attachment)
        }
        guard let row = try db.row(
            "\(Self.selectMessages) WHERE m.session_id = ? AND m.client_message_id = ?",
            [SQLValue(message.sessionId.rawValue), SQLValue(message.clientMessageId)])
        else {
            throw StoreError(.database, "message \(message.clientMessageId ?? "") of session \(message.sessionId) was neither stored nor found")
        }
        var found = try Self.message(from: row)
        found.storedBefore = true
        return found
    }

    /// A page of a session's messages by id, which is the order they were stored in.
    public func messages(of session: SessionID, query: MessagePageQuery) async throws -> [StoredMessage] {
        try query.validate()
        var sql = "\(Self.selectMessages) WHERE m.session_id = ?"
        var arguments = [SQLValue(session.rawValue)]
        if let afterId = query.afterId {
            sql += " AND m.id > ?"
            arguments.append(SQLValue(afterId))
        }
        if let beforeId = query.beforeId {
            sql += " AND m.id < ?"
            arguments.append(SQLValue(beforeId))
        }
        sql += query.oldestFirst ? " ORDER BY m.id ASC" : " ORDER BY m.id DESC"
        sql += " LIMIT ?"
        arguments.append(SQLValue(query.limit))
        return try await read("reading messages of session \(session)") { [sql, arguments] db in
            try db.rows(sql, arguments).map(Self.message(from:))
        }
    }

    public func messages(committedWith sequences: ClosedRange<Int64>) async throws -> [Int64: [StoredMessage]] {
        try await read("reading the messages of journal entries \(sequences.lowerBound)...\(sequences.upperBound)") { db in
            var found: [Int64: [StoredMessage]] = [:]
            let rows = try db.rows(
                "\(Self.selectMessages) WHERE m.journal_sequence BETWEEN ? AND ? ORDER BY m.id",
                [SQLValue(sequences.lowerBound), SQLValue(sequences.upperBound)])
            for row in rows {
                let sequence = try row.described("a messages row").int64("journal_sequence")
                found[sequence, default: []].append(try Self.message(from: row))
            }
            return found
        }
    }

    /// Messages with the description of the file each carries (the content stays behind).
    static var selectMessages: String {
        """
        SELECT m.*, a.name AS attachment_name, a.content_type AS attachment_content_type, a.size AS attachment_size
        FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
        """
    }

    static func message(from row: SQLRow) throws(StoreError) -> StoredMessage {
        let row = row.described("a messages row")
        var attachment: AttachmentInfo?
        if let id = try row.optionalString("attachment_id") {
            attachment = AttachmentInfo(
                id: id, name: try row.string("attachment_name"), contentType: try row.string("attachment_content_type"), size: try row.int("attachment_size"))
        }
        return StoredMessage(
            id: try row.int64("id"), sessionId: try row.identifier(SessionID.self, "session_id"),
            author: try row.enumeration(MessageAuthor.self, "author"), agentId: try row.optionalIdentifier(AgentID.self, "agent_id"),
            text: try row.string("text"), sentAt: try row.timestamp("sent_at"),
            clientMessageId: try row.optionalString("client_message_id"), attachment: attachment)
    }
}
