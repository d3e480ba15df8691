import Foundation
import SwitchboardProtocol

/// The JSON the store writes: keys sorted so the same value always gives the same text (diffable
/// rows, stable detail strings for the admin API), and decoding that reports which row is bad.
enum StoreJSON {
    /// Written by `WireEncoder`: the text `JSONEncoder` writes with sorted keys and unescaped
    /// slashes, byte for byte, so rows written before and after it read and compare alike; each
    /// commit writes its journal entries and report clocks through here.
    static func encode<Value: Encodable>(_ value: Value, _ what: @autoclosure () -> String) throws(StoreError) -> String {
        do {
            return String(decoding: try WireEncoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.corruptData, "\(what()) cannot be encoded as JSON: \(error)")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, _ what: @autoclosure () -> String) throws(StoreError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.corruptData, "\(what()) holds JSON that cannot be read as \(Value.self): \(error)")
        }
    }
}
