import Foundation

/// The JSON the store writes: keys sorted so the same value always gives the same text (diffable
/// rows, stable detail strings for the admin API), and decoding that reports which row is bad.
enum StoreJSON {
    static func encode<Value: Encodable>(_ value: Value, _ what: @autoclosure () -> String) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
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
