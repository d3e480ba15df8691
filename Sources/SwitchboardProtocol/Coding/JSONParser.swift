import Foundation

/// Reads JSON text (RFC 8259) straight into a ``JSONValue``, in one pass over the bytes.
///
/// Every frame a server or an SDK reads is parsed into a ``JSONValue`` first. Through
/// `JSONDecoder` that went byte → Foundation's own tree → ``JSONValue/init(from:)``, which finds
/// a value's kind by trying `Bool`, `Int64`, `Double`, `String` and arrays in turn, each failed try
/// building a `DecodingError`: about 6 % of the server's CPU under load (docs/benchmarks.md). The
/// values read are the same: whole numbers that fit in 64 bits (also written `1.0` or `1e2`) are
/// ``JSONValue/integer(_:)``, other numbers ``JSONValue/number(_:)``; a repeated key keeps its
/// first value, and one comma after the last element of an array or object is let pass, as
/// Foundation's decoder does (so no client that worked before is refused now); nesting deeper
/// than ``maximumDepth`` is refused, as Foundation does, so a hostile frame cannot exhaust the
/// stack.
public struct JSONParser {
    /// How deeply arrays and objects may nest (Foundation's `JSONDecoder` allows 512 too).
    public static let maximumDepth = 512

    /// The text is not one JSON value; `offset` is the byte where reading stopped.
    public struct Malformed: Error, Equatable {
        public let offset: Int
    }

    /// Parses `data`, which must hold exactly one JSON value (whitespace around it allowed).
    public static func parse(_ data: Data) throws(Malformed) -> JSONValue {
        let result: Result<JSONValue, Malformed> = data.withUnsafeBytes { raw in
            var parser = JSONParser(raw.bindMemory(to: UInt8.self))
            return Result { () throws(Malformed) -> JSONValue in try parser.document() }
        }
        return try result.get()
    }

    /// Parses `text`, which must hold exactly one JSON value.
    public static func parse(_ text: String) throws(Malformed) -> JSONValue {
        var text = text
        let result: Result<JSONValue, Malformed> = text.withUTF8 { bytes in
            var parser = JSONParser(bytes)
            return Result { () throws(Malformed) -> JSONValue in try parser.document() }
        }
        return try result.get()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private var malformed: Malformed { Malformed(offset: index) }

    private mutating func document() throws(Malformed) -> JSONValue {
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw malformed }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Malformed) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw malformed }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw malformed
        }
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw malformed }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] { throw malformed }
        index += count
    }

    private mutating func enter() throws(Malformed) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw malformed }
        index += 1
    }

    /// True (and the container left) when `close` is next, after whitespace.
    private mutating func closes(with close: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == close else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After an element: true when the container ends there (also after one trailing comma),
    /// false when a comma says another element follows.
    private mutating func endsAfterElement(with close: UInt8) throws(Malformed) -> Bool {
        if closes(with: close) { return true }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { throw malformed }
        index += 1
        return closes(with: close)
    }

    private mutating func object() throws(Malformed) -> JSONValue {
        try enter()
        var members: [String: JSONValue] = [:]
        if closes(with: UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw malformed }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw malformed }
            index += 1
            let member = try value()
            if members[key] == nil { members[key] = member }
            if try endsAfterElement(with: UInt8(ascii: "}")) { return .object(members) }
        }
    }

    private mutating func array() throws(Malformed) -> JSONValue {
        try enter()
        var elements: [JSONValue] = []
        if closes(with: UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try value())
            if try endsAfterElement(with: UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// A string, the index at its opening quote. Runs without escapes are taken as they are;
    /// the result must be valid UTF-8.
    private mutating func string() throws(Malformed) -> String {
        index += 1
        let start = index
        // The common case: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                guard let text = String(validating: run, as: UTF8.self) else { throw malformed }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            // Control characters must be escaped in JSON strings.
            guard byte >= 0x20 else { throw malformed }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: decoded, as: UTF8.self) else { throw malformed }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw malformed }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"): decoded.append(contentsOf: String(try unicodeEscape()).utf8)
                default: throw malformed
                }
            default:
                guard byte >= 0x20 else { throw malformed }
                decoded.append(byte)
                index += 1
            }
        }
        throw malformed
    }

    /// The scalar of a `\uXXXX` escape (the index after the `u`), joining a surrogate pair; a
    /// lone surrogate is refused, as it is no Unicode scalar.
    private mutating func unicodeEscape() throws(Malformed) -> Unicode.Scalar {
        let first = try hexQuad()
        switch first {
        case 0xD800...0xDBFF:
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw malformed }
            index += 2
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second),
                  let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) else { throw malformed }
            return scalar
        case 0xDC00...0xDFFF:
            throw malformed
        default:
            guard let scalar = Unicode.Scalar(first) else { throw malformed }
            return scalar
        }
    }

    private mutating func hexQuad() throws(Malformed) -> UInt32 {
        guard bytes.count - index >= 4 else { throw malformed }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw malformed
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// A number as JSON writes it: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?.
    private mutating func number() throws(Malformed) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw malformed }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard isDigit(at: index) else { throw malformed }
            while isDigit(at: index) { index += 1 }
        }
        var whole = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            whole = false
            index += 1
            guard isDigit(at: index) else { throw malformed }
            while isDigit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            whole = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(at: index) else { throw malformed }
            while isDigit(at: index) { index += 1 }
        }
        // ASCII only, checked above.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if whole, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else { throw Malformed(offset: start) }
        if let integer = Int64(exactly: number) { return .integer(integer) }
        return .number(number)
    }

    private func isDigit(at position: Int) -> Bool {
        position < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    }
}
