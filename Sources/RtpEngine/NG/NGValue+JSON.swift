extension NGValue {
    /// The value as JSON. Byte strings that are not UTF-8 are written with U+FFFD in place of the
    /// bad bytes (JSON cannot carry bytes), so binary payloads such as `play media`'s `blob` need
    /// the bencode encoding.
    public func jsonEncoded() -> [UInt8] {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return out
    }

    private func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            NGValue.appendJSONString(String(decoding: bytes, as: UTF8.self), to: &out)
        case .integer(let value):
            out.append(contentsOf: String(value).utf8)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let entries):
            out.append(UInt8(ascii: "{"))
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                NGValue.appendJSONString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                entries[key]!.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: (#"\u"# + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Reads one JSON value that must span all of `bytes` (surrounding whitespace allowed).
    ///
    /// JSON has more kinds of value than bencode; they are mapped the way rtpengine itself treats
    /// them: `true`/`false` become 1/0, `null` an empty string, and numbers with a fraction or
    /// exponent stay as their text (rtpengine prints averages like `"0.000000"` as text anyway).
    public init(json bytes: some Collection<UInt8>) throws(NGDecodingError) {
        var reader = JSONReader(bytes: Array(bytes))
        reader.skipWhitespace()
        self = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.position == reader.bytes.count else {
            throw NGDecodingError("unexpected bytes after the end of the JSON value", at: reader.position)
        }
    }

    /// Reads a document in whichever encoding it is in: rtpengine answers in the encoding it was
    /// asked in, and a dictionary starts with `d` in bencode and `{` in JSON.
    public init(ngDocument bytes: some Collection<UInt8>) throws(NGDecodingError) {
        switch bytes.first {
        case UInt8(ascii: "{"): try self.init(json: bytes)
        case UInt8(ascii: "d"): try self.init(bencoded: bytes)
        case nil: throw NGDecodingError("the document is empty", at: 0)
        case let first?: throw NGDecodingError("a document must start with 'd' (bencode) or '{' (JSON), not byte \(first)", at: 0)
        }
    }
}

/// A cursor over JSON input with bounds checks on every read and a nesting limit.
private struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func readValue(depth: Int) throws(NGDecodingError) -> NGValue {
        guard depth <= NGValue.maximumDecodingDepth else {
            throw NGDecodingError("arrays and objects nest deeper than \(NGValue.maximumDecodingDepth) levels", at: position)
        }
        guard position < bytes.count else { throw NGDecodingError("input ends where a value should start", at: position) }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var entries: [String: NGValue] = [:]
            skipWhitespace()
            if try consume(UInt8(ascii: "}")) { return .dictionary(entries) }
            repeat {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw NGDecodingError("an object key must be a string", at: position)
                }
                let key = String(decoding: try readString(), as: UTF8.self)
                skipWhitespace()
                guard try consume(UInt8(ascii: ":")) else { throw NGDecodingError("expected ':' after an object key", at: position) }
                skipWhitespace()
                entries[key] = try readValue(depth: depth + 1)
                skipWhitespace()
            } while try consume(UInt8(ascii: ","))
            guard try consume(UInt8(ascii: "}")) else { throw NGDecodingError("expected ',' or '}' in an object", at: position) }
            return .dictionary(entries)
        case UInt8(ascii: "["):
            position += 1
            var items: [NGValue] = []
            skipWhitespace()
            if try consume(UInt8(ascii: "]")) { return .list(items) }
            repeat {
                skipWhitespace()
                items.append(try readValue(depth: depth + 1))
                skipWhitespace()
            } while try consume(UInt8(ascii: ","))
            guard try consume(UInt8(ascii: "]")) else { throw NGDecodingError("expected ',' or ']' in an array", at: position) }
            return .list(items)
        case UInt8(ascii: "\""):
            return .bytes(try readString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .integer(1)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .integer(0)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .bytes([])
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        default:
            throw NGDecodingError("byte \(bytes[position]) cannot start a JSON value", at: position)
        }
    }

    private mutating func consume(_ byte: UInt8) throws(NGDecodingError) -> Bool {
        guard position < bytes.count else { throw NGDecodingError("input ends inside an array or object", at: position) }
        if bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    private mutating func expectWord(_ word: String) throws(NGDecodingError) {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected else {
            throw NGDecodingError("expected '\(word)'", at: position)
        }
        position += expected.count
    }

    private mutating func readNumber() throws(NGDecodingError) -> NGValue {
        let start = position
        var isInteger = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte == UInt8(ascii: "-") {
                position += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") {
                isInteger = false
                position += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger {
            guard let value = Int64(text) else { throw NGDecodingError("'\(text)' is not a 64-bit integer", at: start) }
            return .integer(value)
        }
        guard Double(text) != nil else { throw NGDecodingError("'\(text)' is not a number", at: start) }
        return .string(text)
    }

    /// Reads a quoted string, resolving escapes (including UTF-16 surrogate pairs) to UTF-8.
    private mutating func readString() throws(NGDecodingError) -> [UInt8] {
        let start = position
        position += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard position < bytes.count else { throw NGDecodingError("input ends inside a string", at: start) }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw NGDecodingError("input ends inside a string escape", at: position) }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(try readHex4())
                    if (0xD800..<0xDC00).contains(scalar),
                       bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = UInt32(try readHex4())
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default:
                    throw NGDecodingError("'\\\(Character(Unicode.Scalar(escape)))' is not a JSON escape", at: position - 2)
                }
            default:
                out.append(byte)
            }
        }
    }

    private mutating func readHex4() throws(NGDecodingError) -> UInt16 {
        guard bytes.count - position >= 4,
              let value = UInt16(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw NGDecodingError("'\\u' needs four hex digits", at: position) }
        position += 4
        return value
    }
}
