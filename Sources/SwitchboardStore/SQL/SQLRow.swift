import SwitchboardCore

/// A fetched row, read without trusting it: a NULL, a wrong type or an unknown enum value becomes
/// a ``StoreError`` naming the row (`what`) and the column, never a crash.
public struct SQLRow: Sendable {
    /// The columns by name, as the statement named them.
    public let columns: [String: SQLValue]
    /// What the row is, for error messages ("a messages row").
    let what: String

    public init(_ columns: [String: SQLValue], _ what: String = "a row") {
        self.columns = columns
        self.what = what
    }

    /// The same row, described as `what` in errors.
    public func described(_ what: String) -> SQLRow { SQLRow(columns, what) }

    private func value(_ column: String) throws(StoreError) -> SQLValue {
        guard let value = columns[column] else {
            throw StoreError(.corruptData, "\(what): there is no column \(column)")
        }
        return value
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
