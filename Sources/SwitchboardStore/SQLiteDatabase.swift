import Foundation
import GRDB
import GRDBSQLite

/// The shared store statements run on a GRDB connection: each statement is kept compiled for
/// the connection's life (projection runs the same few for every appended entry).
struct GRDBDatabase: SQLDatabase {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    /// The writes of a commit (one statement per row, each kept compiled): the values bound with
    /// SQLite's own calls and the statement stepped here. GRDB would take them as
    /// `StatementArguments`, built by an unspecialised generic map through a key path for every
    /// row, then bound inside nested closures; that was most of the store's Swift glue
    /// (docs/benchmarks.md, "Issue 19, third round"). The statement is GRDB's cached one, run
    /// inside GRDB's transaction; nothing here observes it (the store installs no observers).
    func execute(_ sql: String, values: [SQLValue]) throws {
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard Int(sqlite3_bind_parameter_count(handle)) == values.count else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(values.count) values for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = CInt(offset + 1)
            let code: CInt
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .null: code = sqlite3_bind_null(handle, index)
            case .text(let text):
                // With the byte count, so a NUL inside the text does not cut it short (GRDB's own
                // binding passes -1, which stops there).
                code = text.withCString { sqlite3_bind_text(handle, index, $0, CInt(text.utf8.count), Self.transient) }
            case .bytes(let bytes):
                // An empty blob from a nil pointer would be NULL.
                code = bytes.isEmpty
                    ? sqlite3_bind_zeroblob(handle, index, 0)
                    : bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, CInt($0.count), Self.transient) }
            }
            guard code == SQLITE_OK else { throw error(code, sql) }
        }
        defer {
            // Ends the statement (and releases what it holds) whether or not it succeeded.
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw error(code, sql) }
        }
    }

    /// SQLite copies the bytes before the call returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func error(_ code: CInt, _ sql: String) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }

    func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let names = SQLRow.Names(statement.columnNames)
        // A cursor, so no GRDB row is copied: each is read into values as it comes.
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        let width = names.list.count
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            // By index, not through Row's collection conformance: a report reads 50 columns a row.
            var values: [SQLValue] = []
            values.reserveCapacity(width)
            for index in 0..<width {
                let value: DatabaseValue = row[index]
                switch value.storage {
                case .null: values.append(.null)
                case .int64(let number): values.append(.integer(number))
                case .string(let text): values.append(.text(text))
                // The store writes no doubles; read as text, so a typed read reports it as corrupt.
                case .double(let number): values.append(.text(String(number)))
                case .blob(let data): values.append(.bytes([UInt8](data)))
                }
            }
            rows.append(SQLRow(names: names, values: values))
        }
        return rows
    }

    /// The arguments as GRDB's concrete values: through `(any DatabaseValueConvertible)?` each
    /// value was boxed in an existential, then unboxed again, on every statement of every commit.
    private static func arguments(_ values: [any SQLValueConvertible]) -> StatementArguments {
        var converted: [DatabaseValue] = []
        converted.reserveCapacity(values.count)
        for value in values { converted.append(databaseValue(value.sqlValue)) }
        return StatementArguments(converted)
    }

    private static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .integer(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .bytes(let bytes): Data(bytes).databaseValue
        case .null: .null
        }
    }
}
