/// One value of an rtpengine "ng" message: what bencode can carry (byte strings, integers, lists,
/// dictionaries). JSON answers are read into the same shape, so callers never care which encoding
/// travelled on the wire.
public enum NGValue: Sendable, Hashable {
    /// A byte string. rtpengine's strings are bytes (SDP, tags, file blobs); most are UTF-8 text.
    case bytes([UInt8])
    /// An integer.
    case integer(Int64)
    /// An ordered list.
    case list([NGValue])
    /// A dictionary keyed by text.
    case dictionary([String: NGValue])

    /// A UTF-8 string value.
    public static func string(_ text: String) -> NGValue { .bytes(Array(text.utf8)) }

    /// The value as text, if it is a byte string that is valid UTF-8.
    public var string: String? {
        guard case .bytes(let bytes) = self else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The value as an integer; rtpengine writes some numbers as decimal text, which is accepted too.
    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .bytes: return string.flatMap { Int64($0) }
        default: return nil
        }
    }

    /// The value as a list, if it is one.
    public var list: [NGValue]? {
        guard case .list(let items) = self else { return nil }
        return items
    }

    /// The value as a dictionary, if it is one.
    public var dictionary: [String: NGValue]? {
        guard case .dictionary(let entries) = self else { return nil }
        return entries
    }

    /// The entry for `key` when this is a dictionary.
    public subscript(key: String) -> NGValue? {
        dictionary?[key]
    }
}

extension NGValue: ExpressibleByStringLiteral {
    /// A UTF-8 string literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension NGValue: ExpressibleByIntegerLiteral {
    /// An integer literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension NGValue: ExpressibleByArrayLiteral {
    /// A list literal.
    public init(arrayLiteral elements: NGValue...) { self = .list(elements) }
}

extension NGValue: ExpressibleByDictionaryLiteral {
    /// A dictionary literal; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, NGValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension NGValue: CustomStringConvertible {
    /// The value as JSON text, for logs and error messages.
    public var description: String { String(decoding: jsonEncoded(), as: UTF8.self) }
}
