import Foundation

/// Encodes `Encodable` values as the protocol's JSON: the text Foundation's `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes`, byte for byte, at a fraction of its cost.
///
/// Every frame a server sends, and the JSON its store writes, goes through here: with `JSONEncoder`
/// that was 8.6 % of the server's CPU (docs/benchmarks.md, "Issue 19, third round"), much of it in what a general encoder
/// must do and frames never need: dynamic casts looking for `Date`, `Data`, `URL` and `Decimal`
/// (frames hold none of them), coding paths kept for error messages, and generic metadata looked up
/// at run time. The types' own `Codable` conformances stay the one description of the wire format;
/// this only writes what they encode. A `JSONValue` is written as it is, without a walk through
/// `Codable`. Tests compare it with `JSONEncoder` on every frame the protocol tests build and on
/// random documents.
public enum WireEncoder {
    /// `value` as UTF-8 JSON text, keys sorted.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var writer = JSONTextWriter()
        writer.write(try WireTreeEncoder.node(for: value))
        return writer.bytes
    }

    /// `value` as a ``JSONValue``, without going through text.
    public static func value<T: Encodable>(_ value: T) throws -> JSONValue {
        try WireTreeEncoder.node(for: value).jsonValue
    }
}

/// What an encoded value is while its containers are still being filled.
enum WireNode {
    /// A scalar, or a `JSONValue` encoded whole.
    case value(JSONValue)
    case object(WireObject)
    case array(WireArray)
    /// A number as text: a `Double` or `Float` as `JSONEncoder` writes it, a `UInt64` above
    /// `Int64.max`. As a `JSONValue` it is what reading the text back gives, so a whole double is an
    /// integer, as when the text went through the parser.
    case literal(String)
    /// An encoder handed out by `superEncoder`, read when the tree is written.
    case encoder(WireTreeEncoder)

    /// What a value that encoded nothing becomes: an empty object, as with `JSONEncoder`.
    static var empty: WireNode { .value(.object([:])) }

    var jsonValue: JSONValue {
        switch self {
        case .value(let value): return value
        case .literal(let text): return (try? JSONParser.parse(text)) ?? .null
        case .object(let object):
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(object.members.count)
            for (key, node) in object.members { members[key] = node.jsonValue }
            return .object(members)
        case .array(let array): return .array(array.nodes.map(\.jsonValue))
        case .encoder(let encoder): return (encoder.node ?? .empty).jsonValue
        }
    }
}

/// An object being filled: members in the order encoded; a key encoded again replaces its value
/// when written, as in `JSONEncoder`'s dictionary.
final class WireObject {
    var members: [(key: String, node: WireNode)] = []

    func append(_ key: String, _ node: WireNode) {
        if members.isEmpty { members.reserveCapacity(8) }
        members.append((key, node))
    }
}

/// An array being filled.
final class WireArray {
    var nodes: [WireNode] = []
}

/// The `Encoder` a value encodes itself into; one per nested value, as in `JSONEncoder`.
///
/// Unlike `JSONEncoder` it keeps no coding paths (`codingPath` is always empty): only an error
/// message would read one, and the one thing it refuses, a number that is not finite, is reported
/// by its value.
final class WireTreeEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What was encoded so far; nil while nothing was.
    var node: WireNode?

    /// Encodes `value` on its own. Scalars and `JSONValue` take a short cut: the generic path costs
    /// an encoder, a container and a dynamic call each.
    static func node<T: Encodable>(for value: T) throws -> WireNode {
        if T.self == JSONValue.self { return .value(value as! JSONValue) }
        if T.self == String.self { return .value(.string(value as! String)) }
        if T.self == Int.self { return .value(.integer(Int64(value as! Int))) }
        if T.self == Bool.self { return .value(.bool(value as! Bool)) }
        if T.self == Int64.self { return .value(.integer(value as! Int64)) }
        // The types JSONEncoder writes its own way rather than through their Codable conformance
        // (with its default strategies; Date's default is its own conformance). Neither frames nor
        // the store hold them today; they are here so the text stays JSONEncoder's if one does.
        if T.self == Data.self { return .value(.string((value as! Data).base64EncodedString())) }
        if T.self == URL.self { return .value(.string((value as! URL).absoluteString)) }
        if T.self == Decimal.self { return .literal((value as! Decimal).description) }
        let encoder = WireTreeEncoder()
        try value.encode(to: encoder)
        return encoder.node ?? .empty
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // Asked again (a frame's header, then its payload on the same encoder), it is the same object.
        if case .object(let object)? = node {
            return KeyedEncodingContainer(WireKeyedContainer<Key>(object: object))
        }
        let object = WireObject()
        node = .object(object)
        return KeyedEncodingContainer(WireKeyedContainer<Key>(object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let array)? = node { return WireUnkeyedContainer(array: array) }
        let array = WireArray()
        node = .array(array)
        return WireUnkeyedContainer(array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        WireSingleValueContainer(encoder: self)
    }

    /// A double as `JSONEncoder` writes it: Swift's shortest form, without a trailing ".0". Like
    /// `JSONEncoder` by default, a number that is not finite cannot be written.
    static func number(_ value: Double) throws -> WireNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "\(value) cannot be written as JSON"))
        }
        return .literal(JSONTextWriter.text(of: value))
    }

    /// A float as `JSONEncoder` writes it: its own shortest form, not the double's.
    static func float(_ value: Float) throws -> WireNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "\(value) cannot be written as JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .literal(text)
    }

    static func unsigned(_ value: UInt64) -> WireNode {
        if let exact = Int64(exactly: value) { return .value(.integer(exact)) }
        return .literal(String(value))
    }
}

struct WireKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: WireObject
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { object.append(key.stringValue, .value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.append(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.append(key.stringValue, .value(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.append(key.stringValue, (try WireTreeEncoder.number(value)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.append(key.stringValue, try WireTreeEncoder.float(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.append(key.stringValue, WireTreeEncoder.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.append(key.stringValue, .value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.append(key.stringValue, WireTreeEncoder.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.append(key.stringValue, try WireTreeEncoder.node(for: value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireObject()
        object.append(key.stringValue, .object(nested))
        return KeyedEncodingContainer(WireKeyedContainer<NestedKey>(object: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = WireArray()
        object.append(key.stringValue, .array(nested))
        return WireUnkeyedContainer(array: nested)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = WireTreeEncoder()
        object.append(name, .encoder(encoder))
        return encoder
    }
}

struct WireUnkeyedContainer: UnkeyedEncodingContainer {
    let array: WireArray
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.nodes.count }


    mutating func encodeNil() throws { array.nodes.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { array.nodes.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { array.nodes.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { array.nodes.append((try WireTreeEncoder.number(value))) }
    mutating func encode(_ value: Float) throws { array.nodes.append(try WireTreeEncoder.float(value)) }
    mutating func encode(_ value: Int) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int8) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { array.nodes.append(.value(.integer(value))) }
    mutating func encode(_ value: UInt) throws { array.nodes.append(WireTreeEncoder.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt16) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt32) throws { array.nodes.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt64) throws { array.nodes.append(WireTreeEncoder.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        array.nodes.append(try WireTreeEncoder.node(for: value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireObject()
        array.nodes.append(.object(nested))
        return KeyedEncodingContainer(WireKeyedContainer<NestedKey>(object: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = WireArray()
        array.nodes.append(.array(nested))
        return WireUnkeyedContainer(array: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = WireTreeEncoder()
        array.nodes.append(.encoder(encoder))
        return encoder
    }
}

struct WireSingleValueContainer: SingleValueEncodingContainer {
    let encoder: WireTreeEncoder
    var codingPath: [any CodingKey] { [] }

    private func set(_ node: WireNode) { encoder.node = node }

    mutating func encodeNil() throws { set(.value(.null)) }
    mutating func encode(_ value: Bool) throws { set(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { set(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { set((try WireTreeEncoder.number(value))) }
    mutating func encode(_ value: Float) throws { set(try WireTreeEncoder.float(value)) }
    mutating func encode(_ value: Int) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int8) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { set(.value(.integer(value))) }
    mutating func encode(_ value: UInt) throws { set(WireTreeEncoder.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt16) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt32) throws { set(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: UInt64) throws { set(WireTreeEncoder.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        set(try WireTreeEncoder.node(for: value))
    }
}
