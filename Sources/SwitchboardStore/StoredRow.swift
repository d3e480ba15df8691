import GRDB
import SwitchboardCore

/// Reads a fetched row's columns without trusting them: a NULL, a wrong type or an unknown enum
/// value becomes a ``StoreError`` naming the row, where GRDB's subscripts would stop the process.
struct StoredRow {
    let row: Row
    let what: String

    init(_ row: Row, _ what: String) {
        self.row = row
        self.what = what
    }

    func string(_ column: String) throws(StoreError) -> String {
        try decode(String.self, column)
    }

    func optionalString(_ column: String) throws(StoreError) -> String? {
        try decode(String?.self, column)
    }

    func int64(_ column: String) throws(StoreError) -> Int64 {
        try decode(Int64.self, column)
    }

    func int(_ column: String) throws(StoreError) -> Int {
        try decode(Int.self, column)
    }

    func optionalInt(_ column: String) throws(StoreError) -> Int? {
        try decode(Int?.self, column)
    }

    func timestamp(_ column: String) throws(StoreError) -> Timestamp {
        Timestamp(milliseconds: try int64(column))
    }

    func optionalTimestamp(_ column: String) throws(StoreError) -> Timestamp? {
        try decode(Int64?.self, column).map(Timestamp.init(milliseconds:))
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

    private func decode<Value: DatabaseValueConvertible>(_ type: Value.Type, _ column: String) throws(StoreError) -> Value {
        do {
            return try row.decode(type, forColumn: column)
        } catch {
            throw StoreError(.corruptData, "\(what): column \(column) cannot be read as \(Value.self): \(SQLiteRoutingStore.describe(error))")
        }
    }
}
