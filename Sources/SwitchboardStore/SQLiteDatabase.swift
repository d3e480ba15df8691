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

    func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments)).map { row in
            var columns: [String: SQLValue] = [:]
            for (name, value) in row {
                switch value.storage {
                case .null: columns[name] = .null
                case .int64(let number): columns[name] = .integer(number)
                case .string(let text): columns[name] = .text(text)
                // The store writes no doubles; read as text, so a typed read reports it as corrupt.
                case .double(let number): columns[name] = .text(String(number))
                case .blob(let data): columns[name] = .bytes([UInt8](data))
                }
            }
            return SQLRow(columns)
        }
    }

    private static func arguments(_ values: [any SQLValueConvertible]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value.sqlValue {
            case .integer(let number): number
            case .text(let text): text
            case .bytes(let bytes): Data(bytes)
            case .null: nil
            }
        })
    }
}
