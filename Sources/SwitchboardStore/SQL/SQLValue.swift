import SwitchboardCore

/// A value bound to, or read from, a statement: the kinds the store's tables hold. Kept
/// independent of a driver so that every backend runs the same statements (``SQLDatabase``).
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int64)
    case text(String)
    /// Raw bytes (SQLite's BLOB, PostgreSQL's BYTEA): only the content of chat attachments.
    case bytes([UInt8])
    case null

    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Int64) { self = .integer(value) }
    public init(_ value: String) { self = .text(value) }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    public init(_ value: Timestamp) { self = .integer(value.milliseconds) }

    public var description: String {
        switch self {
        case .integer(let number): String(number)
        case .text(let text): text
        case .bytes(let bytes): "<\(bytes.count) bytes>"
        case .null: "NULL"
        }
    }
}

/// What a statement argument may be: the store binds integers, text, timestamps and their
/// optionals (nil binds NULL).
public protocol SQLValueConvertible: Sendable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLValueConvertible { public var sqlValue: SQLValue { self } }
extension Int: SQLValueConvertible { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLValueConvertible { public var sqlValue: SQLValue { .integer(self) } }
extension String: SQLValueConvertible { public var sqlValue: SQLValue { .text(self) } }
extension Timestamp: SQLValueConvertible { public var sqlValue: SQLValue { .integer(milliseconds) } }
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
}
