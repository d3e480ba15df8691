import SwitchboardCore

extension SQLRoutingStore {
    public func saveAttachment(_ attachment: StoredAttachment) async throws {
        try await write("saving attachment \(attachment.info.id) of session \(attachment.sessionId)") { db in
            try db.execute("""
                INSERT INTO attachments (id, session_id, name, content_type, size, content, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [
                    SQLValue(attachment.info.id), SQLValue(attachment.sessionId.rawValue), SQLValue(attachment.info.name),
                    SQLValue(attachment.info.contentType), SQLValue(attachment.info.size), SQLValue.bytes(attachment.content),
                    SQLValue(attachment.uploadedAt),
                ])
        }
    }

    public func attachment(_ id: String, of session: SessionID) async throws -> StoredAttachment? {
        try await read("reading attachment \(id) of session \(session)") { db in
            guard let found = try db.row("SELECT * FROM attachments WHERE id = ? AND session_id = ?", [SQLValue(id), SQLValue(session.rawValue)]) else {
                return nil
            }
            let row = found.described("an attachments row")
            return StoredAttachment(
                info: AttachmentInfo(id: try row.string("id"), name: try row.string("name"), contentType: try row.string("content_type"), size: try row.int("size")),
                sessionId: try row.identifier(SessionID.self, "session_id"), uploadedAt: try row.timestamp("uploaded_at"), content: try row.bytes("content"))
        }
    }
}
