import SwitchboardCore

/// A fetched row, read without trusting it: a NULL, a wrong type or an unknown enum value becomes
/// a ``StoreError`` naming the row (`what`) and the column, never a crash.
public struct SQLRow: Sendable {
    /// The column names of one result, shared by all its rows: one name table per result rather
    /// than a dictionary per row (a report reads tens of thousands of rows of 50 columns).
    public final class Names: Sendable {
        public let list: [String]
        let positions: [String: Int]

        public init(_ list: [String]) {
            self.list = list
            // A name given twice (a join) reads the first, as a dictionary of the row did not promise either.
            positions = Dictionary(list.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let names: Names
    /// The values, in the statement's column order.
    public let values: [SQLValue]
    /// What the row is, for error messages ("a messages row").
    let what: String

    public init(names: Names, values: [SQLValue], _ what: String = "a row") {
        self.names = names
        self.values = values
        self.what = what
    }

    public init(_ columns: [String: SQLValue], _ what: String = "a row") {
        let list = Array(columns.keys)
        self.init(names: Names(list), values: list.map { columns[$0]! }, what)
    }

    /// The columns by name, as the statement named them.
    public var columns: [String: SQLValue] {
        Dictionary(zip(names.list, values).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
    }

    /// The same row, described as `what` in errors.
    public func described(_ what: String) -> SQLRow { SQLRow(names: names, values: values, what) }

    private func value(_ column: String) throws(StoreError) -> SQLValue {
        guard let position = names.positions[column] else {
            throw StoreError(.corruptData, "\(what): there is no column \(column)")
        }
        return values[position]
    }

    /// The integer in the column at `position` (for wide reads that know their column order).
    public func int64(at position: Int) throws(StoreError) -> Int64 {
        guard position < values.count else { throw StoreError(.corruptData, "\(what): there is no column \(position)") }
        switch values[position] {
        case .integer(let number): return number
        case .null: throw StoreError(.corruptData, "\(what): column \(names.list[position]) is NULL")
        case .text(let text): throw StoreError(.corruptData, "\(what): column \(names.list[position]) holds '\(text)' where a number belongs")
        case .bytes: throw StoreError(.corruptData, "\(what): column \(names.list[position]) holds bytes where a number belongs")
        }
    }

    /// The text in the column at `position`.
    public func string(at position: Int) throws(StoreError) -> String {
        guard position < values.count else { throw StoreError(.corruptData, "\(what): there is no column \(position)") }
        switch values[position] {
        case .text(let text): return text
        case .null: throw StoreError(.corruptData, "\(what): column \(names.list[position]) is NULL")
        case .integer: throw StoreError(.corruptData, "\(what): column \(names.list[position]) holds a number where text belongs")
        case .bytes: throw StoreError(.corruptData, "\(what): column \(names.list[position]) holds bytes where text belongs")
        }
    }

    public func optionalString(_ column: String) throws(StoreError) -> String? {
        switch try value(column) {
        case .text(let text): return text
        case .null: return nil
        case .integer: throw StoreError(.corruptData, "\(what): column \(column) holds a number where text belongs")
        case .bytes: throw StoreError(.corruptData, "\(what): column \(column) holds bytes where text belongs")
        }
    }

    /// Raw bytes (an attachment's content).
    public func bytes(_ column: String) throws(StoreError) -> [UInt8] {
        switch try value(column) {
        case .bytes(let bytes): return bytes
        case .null: throw StoreError(.corruptData, "\(what): column \(column) is NULL")
        default: throw StoreError(.corruptData, "\(what): column \(column) holds no bytes")
        }
    }

    public func string(_ column: String) throws(StoreError) -> String {
        guard let text = try optionalString(column) else { throw StoreError(.corruptData, "\(what): column \(column) is NULL") }
        return text
    }

    func optionalInt64(_ column: String) throws(StoreError) -> Int64? {
        switch try value(column) {
        case .integer(let number): return number
        case .null: return nil
        case .text(let text): throw StoreError(.corruptData, "\(what): column \(column) holds '\(text)' where a number belongs")
        case .bytes: throw StoreError(.corruptData, "\(what): column \(column) holds bytes where a number belongs")
        }
    }

    public func int64(_ column: String) throws(StoreError) -> Int64 {
        guard let number = try optionalInt64(column) else { throw StoreError(.corruptData, "\(what): column \(column) is NULL") }
        return number
    }

    func optionalInt(_ column: String) throws(StoreError) -> Int? {
        guard let number = try optionalInt64(column) else { return nil }
        guard let small = Int(exactly: number) else { throw StoreError(.corruptData, "\(what): column \(column) holds \(number), out of range") }
        return small
    }

    func int(_ column: String) throws(StoreError) -> Int {
        guard let number = try optionalInt(column) else { throw StoreError(.corruptData, "\(what): column \(column) is NULL") }
        return number
    }

    func timestamp(_ column: String) throws(StoreError) -> Timestamp {
        Timestamp(milliseconds: try int64(column))
    }

    func optionalTimestamp(_ column: String) throws(StoreError) -> Timestamp? {
        try optionalInt64(column).map(Timestamp.init(milliseconds:))
    }

    func identifier<ID: StringIdentifier>(_ type: ID.Type, _ column: String) throws(StoreError) -> ID {
        ID(try string(column))
    }

    func optionalIdentifier<ID: StringIdentifier>(_ type: ID.Type, _ column: String) throws(StoreError) -> ID? {
        try optionalString(column).map(ID.init)
    }

    func enumeration<Value: RawRepresentable<String>>(_ type: Value.Type, _ column: String) throws(StoreError) -> Value {
        let raw = try string(column)
        guard let value = Value(rawValue: raw) else {
            throw StoreError(.corruptData, "\(what): column \(column) holds '\(raw)', which is not a \(Value.self)")
        }
        return value
    }

    func optionalEnumeration<Value: RawRepresentable<String>>(_ type: Value.Type, _ column: String) throws(StoreError) -> Value? {
        guard try optionalString(column) != nil else { return nil }
        return try enumeration(type, column)
    }
}
