import GRDB

extension SQLiteRoutingStore {
    /// Runs raw SQL outside the store's rules; for tests that damage rows on purpose.
    func executeRaw(_ sql: String) async throws {
        try await pool.write { db in try db.execute(sql: sql) }
    }

    /// Every row of a query as text (NULL as nil), on a reader or on the writer connection; for
    /// tests and diagnostics.
    func inspect(_ sql: String, onWriter: Bool = false) async throws -> [[String?]] {
        @Sendable func rows(_ db: Database) throws -> [[String?]] {
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value -> String? in
                    switch value.storage {
                    case .null: nil
                    case .int64(let number): String(number)
                    case .double(let number): String(number)
                    case .string(let text): text
                    case .blob(let data): "<\(data.count) bytes>"
                    }
                }
            }
        }
        return onWriter ? try await pool.writeWithoutTransaction(rows) : try await pool.read(rows)
    }
}
