import NIOCore
import Logging
import PostgresNIO
import SwitchboardStore

/// The shared store statements run on the store's one PostgreSQL connection. Called only on the
/// store's own thread, which may block on the connection's futures: it is not a thread of the
/// Swift concurrency pool, and the connection's event loop runs elsewhere.
struct PostgresSQLDatabase: SQLDatabase {
    let connection: PostgresConnection
    let logger: Logger

    var dialect: SQLDialect { .postgres }

    /// The longest one statement may take before its connection is given up.
    static let statementLimit = TimeAmount.seconds(60)

    func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws {
        _ = try run(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow] {
        let result = try run(sql, arguments).rows
        guard let first = result.first else { return [] }
        // One name table for the result, shared by its rows.
        let names = SQLRow.Names(first.map(\.columnName))
        return try result.map { row in SQLRow(names: names, values: try row.map(Self.value(of:))) }
    }

    private func run(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .integer(let number): bindings.append(number)
            case .text(let text):
                // PostgreSQL's text cannot hold NUL; say so rather than let the server's
                // encoding error stand for it. Inputs refuse it before it gets here.
                if text.utf8.contains(0) { throw StoreError(.database, "text with a NUL character (\\u0000) cannot be stored in PostgreSQL") }
                bindings.append(text)
            case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            case .null: bindings.appendNull()
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        // A connection whose peer vanished without a reset (a partition, a lost host) would
        // leave this wait, and every transaction queued behind it, hanging for the kernel's
        // hours-long TCP timeout: past the limit the connection is closed, which fails the
        // statement (and the next transaction reconnects).
        // A connection the server ended (an idle-in-transaction limit, a restart) fails the
        // statement at once rather than leaving it queued on a dead connection.
        guard !connection.isClosed else {
            throw StoreError(.database, "the connection to the database was closed (by the server, or the network); nothing more of this transaction runs")
        }
        let answer = connection.query(query, logger: logger)
        let outcome = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        answer.cascade(to: outcome)
        let limit = connection.eventLoop.scheduleTask(in: Self.statementLimit) { [connection] in
            outcome.fail(StoreError(.database, "the database did not answer within \(Self.statementLimit.nanoseconds / 1_000_000_000) s; the connection is given up"))
            let _: EventLoopFuture<Void> = connection.close()
        }
        defer { limit.cancel() }
        return try outcome.futureResult.wait()
    }

    /// The shared statements use `?`; PostgreSQL numbers its parameters (`$1`, `$2`...). Quoted
    /// text is left alone.
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.count + 16)
        var number = 0
        var inQuote = false
        for character in sql {
            if character == "'" { inQuote.toggle() }
            if character == "?" && !inQuote {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A cell as the store's kinds of value; the schema holds integers, text and (attachments) bytes.
    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .bytes(Array((try cell.decode(ByteBuffer.self)).readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }
}
