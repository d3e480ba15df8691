import Foundation
import GRDB

/// The shared store statements run on a GRDB connection: each statement is kept compiled for
/// the connection's life (projection runs the same few for every appended entry).
struct GRDBDatabase: SQLDatabase {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    func execute(_ sql: String, values: [SQLValue]) throws {
        var converted: [DatabaseValue] = []
        converted.reserveCapacity(values.count)
        for value in values { converted.append(Self.databaseValue(value)) }
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(converted))
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
