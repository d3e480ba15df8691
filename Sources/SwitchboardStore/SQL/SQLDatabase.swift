/// One open transaction (or read) of a backend, as the shared store code uses it: statements
/// with `?` placeholders and ``SQLValue`` arguments. SQLite runs them through GRDB on its own
/// queue; PostgreSQL on the store's connection thread. Every statement the store runs is written
/// once, in the `SQLRoutingStore` extensions, and is valid in both dialects except where
/// ``SQLDialect`` says otherwise.
public protocol SQLDatabase {
    /// Which SQL the backend speaks, for the few places the two differ.
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws
    /// Runs an `INSERT`, `UPDATE` or `DELETE` that returns no rows, with arguments that are values
    /// already (a backend binds them without unboxing each from `any SQLValueConvertible`). Not for
    /// transaction or schema statements: SQLite runs these past GRDB, which would not learn of them.
    func execute(_ sql: String, values: [SQLValue]) throws
    /// Runs a statement and returns every row it produced (use `RETURNING` to learn what a
    /// write changed: both dialects support it).
    func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow]
}

extension SQLDatabase {
    func execute(_ sql: String) throws { try execute(sql, []) }

    public func execute(_ sql: String, values: [SQLValue]) throws {
        try execute(sql, values.map { $0 as any SQLValueConvertible })
    }

    /// The first row, if any.
    public func row(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The single integer a query returns (NULL as nil).
    public func integer(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> Int64? {
        guard let row = try row(sql, arguments), let value = row.values.first else { return nil }
        switch value {
        case .integer(let number): return number
        case .null: return nil
        case .text(let text): throw StoreError(.corruptData, "\(sql) returned '\(text)' where a number belongs")
        case .bytes: throw StoreError(.corruptData, "\(sql) returned bytes where a number belongs")
        }
    }
}

/// Where the SQL of the two backends differs.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// The larger of two values (SQLite's scalar MAX, PostgreSQL's GREATEST).
    func greatest(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: "MAX(\(a), \(b))"
        case .postgres: "GREATEST(\(a), \(b))"
        }
    }

    /// The text of `key` in a TEXT column holding a JSON object; NULL when absent.
    func jsonText(_ column: String, _ key: String) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), '$.\(key)')"
        case .postgres: "(\(column)::jsonb ->> '\(key)')"
        }
    }

    /// The column that orders `sessions` rows by insertion: SQLite's implicit rowid, or the
    /// explicit identity column the PostgreSQL schema adds.
    var sessionInsertionOrder: String {
        switch self {
        case .sqlite: "rowid"
        case .postgres: "insertion"
        }
    }
}
