import SwitchboardCore

/// Canned replies, one row each; `(scope, owner_id, shortcut)` is unique, which the database
/// enforces too, so two agents' racing saves cannot both take a shortcut.
extension SQLRoutingStore {
    public func createCannedReply(_ reply: CannedReply, limit: Int) async throws -> CannedReplyWrite {
        try await write("saving canned reply \(reply.id)") { db in
            if let taken = try Self.replyId(owner: reply.owner, shortcut: reply.shortcut, in: db) { return .shortcutTaken(existingId: taken) }
            let count = try db.row(
                "SELECT COUNT(*) AS n FROM canned_replies WHERE scope = ? AND owner_id = ?",
                [SQLValue(reply.owner.scope), SQLValue(reply.owner.ownerId)])?.described("a count of canned replies").int("n") ?? 0
            if count >= limit { return .full }
            try db.execute("""
                INSERT INTO canned_replies (id, scope, owner_id, shortcut, title, text, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                    SQLValue(reply.id), SQLValue(reply.owner.scope), SQLValue(reply.owner.ownerId), SQLValue(reply.shortcut),
                    SQLValue(reply.title), SQLValue(reply.text), SQLValue(reply.createdAt), SQLValue(reply.updatedAt),
                ])
            return .saved(reply)
        }
    }

    public func updateCannedReply(_ reply: CannedReply) async throws -> CannedReplyWrite {
        try await write("changing canned reply \(reply.id)") { db in
            guard let existing = try Self.fetchCannedReply(reply.id, in: db) else { return .notFound }
            if let taken = try Self.replyId(owner: existing.owner, shortcut: reply.shortcut, in: db), taken != reply.id {
                return .shortcutTaken(existingId: taken)
            }
            try db.execute(
                "UPDATE canned_replies SET shortcut = ?, title = ?, text = ?, updated_at = ? WHERE id = ?",
                [SQLValue(reply.shortcut), SQLValue(reply.title), SQLValue(reply.text), SQLValue(reply.updatedAt), SQLValue(reply.id)])
            guard let saved = try Self.fetchCannedReply(reply.id, in: db) else {
                throw StoreError(.database, "canned reply \(reply.id) was changed but cannot be read back")
            }
            return .saved(saved)
        }
    }

    public func cannedReply(id: String) async throws -> CannedReply? {
        try await read("reading canned reply \(id)") { db in try Self.fetchCannedReply(id, in: db) }
    }

    public func cannedReplies(of owners: [CannedReplyOwner]?) async throws -> [CannedReply] {
        try await read("listing canned replies") { db in
            var sql = "SELECT * FROM canned_replies"
            var arguments: [SQLValue] = []
            if let owners {
                // An empty list matches nothing in both dialects.
                let conditions = owners.map { _ in "(scope = ? AND owner_id = ?)" }
                sql += " WHERE " + (conditions.isEmpty ? "1 = 0" : conditions.joined(separator: " OR "))
                arguments = owners.flatMap { [SQLValue($0.scope), SQLValue($0.ownerId)] }
            }
            sql += " ORDER BY scope, owner_id, shortcut, id"
            return try db.rows(sql, arguments).map(Self.cannedReply(from:))
        }
    }

    @discardableResult
    public func deleteCannedReply(id: String) async throws -> Bool {
        try await write("deleting canned reply \(id)") { db in
            try !db.rows("DELETE FROM canned_replies WHERE id = ? RETURNING id", [SQLValue(id)]).isEmpty
        }
    }

    @discardableResult
    public func deleteCannedReplies(of owner: CannedReplyOwner) async throws -> Int {
        try await write("deleting the canned replies of \(owner.scope) \(owner.ownerId)") { db in
            try db.rows("DELETE FROM canned_replies WHERE scope = ? AND owner_id = ? RETURNING id", [SQLValue(owner.scope), SQLValue(owner.ownerId)]).count
        }
    }

    // MARK: Reading rows

    private static func replyId(owner: CannedReplyOwner, shortcut: String, in db: any SQLDatabase) throws -> String? {
        try db.row(
            "SELECT id FROM canned_replies WHERE scope = ? AND owner_id = ? AND shortcut = ?",
            [SQLValue(owner.scope), SQLValue(owner.ownerId), SQLValue(shortcut)])?.described("a canned reply").string("id")
    }

    static func fetchCannedReply(_ id: String, in db: any SQLDatabase) throws -> CannedReply? {
        try db.row("SELECT * FROM canned_replies WHERE id = ?", [SQLValue(id)]).map(cannedReply(from:))
    }

    static func cannedReply(from row: SQLRow) throws(StoreError) -> CannedReply {
        let id = (try? row.string("id")) ?? "?"
        let stored = row.described("canned_replies row \(id)")
        let scope = try stored.string("scope")
        guard let owner = CannedReplyOwner(scope: scope, ownerId: try stored.string("owner_id")) else {
            throw StoreError(.database, "canned reply \(id) has scope '\(scope)', which this version does not know")
        }
        return CannedReply(
            id: id, owner: owner, shortcut: try stored.string("shortcut"), title: try stored.string("title"),
            text: try stored.string("text"), createdAt: try stored.timestamp("created_at"), updatedAt: try stored.timestamp("updated_at"))
    }
}
