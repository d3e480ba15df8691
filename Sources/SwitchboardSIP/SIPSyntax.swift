/// Byte-level grammar helpers shared by the parsers (RFC 3261 §25.1).
enum SIPSyntax {
    /// `token` characters: alphanum and `-.!%*_+`'~`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "*"),
             UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "`"), UInt8(ascii: "'"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func isToken<S: StringProtocol>(_ text: S) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    static func trim(_ text: Substring) -> Substring {
        var start = text.utf8.startIndex
        var end = text.utf8.endIndex
        while start < end, isWhitespace(text.utf8[start]) { start = text.utf8.index(after: start) }
        while end > start, isWhitespace(text.utf8[text.utf8.index(before: end)]) { end = text.utf8.index(before: end) }
        return text[start..<end]
    }

    static func trim(_ text: String) -> Substring { trim(text[...]) }

    /// Splits on `separator` where it is outside quoted strings and `<...>`, so commas inside a display
    /// name or a URI do not split a header value. `balanced` is false when a quote or `<` is left open.
    static func splitTopLevel(_ text: Substring, on separator: UInt8) -> (parts: [Substring], balanced: Bool) {
        var parts: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = bytes.startIndex
        var inQuotes = false
        var escaped = false
        var angle = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            if inQuotes {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: "<") {
                angle += 1
            } else if byte == UInt8(ascii: ">") {
                angle = max(0, angle - 1)
            } else if byte == separator && angle == 0 {
                parts.append(text[start..<index])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        parts.append(text[start..<bytes.endIndex])
        return (parts, !inQuotes && angle == 0)
    }

    /// Reads a quoted string at the start of `text`: its unescaped content and what follows the closing
    /// quote, or nil when the quote is never closed.
    static func readQuoted(_ text: Substring) -> (content: String, rest: Substring)? {
        let bytes = text.utf8
        guard let first = bytes.first, first == UInt8(ascii: "\"") else { return nil }
        var content: [UInt8] = []
        var index = bytes.index(after: bytes.startIndex)
        var escaped = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if escaped {
                content.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                return (String(decoding: content, as: UTF8.self), text[bytes.index(after: index)...])
            } else {
                content.append(byte)
            }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// The value as a quoted string, escaping `"` and `\`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { out.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        out.append("\"")
        return out
    }

    /// A decimal number of at most `maxDigits` digits, or nil: overlong numbers never overflow.
    static func decimal<S: StringProtocol>(_ text: S, maxDigits: Int = 10) -> Int? {
        guard !text.isEmpty, text.utf8.count <= maxDigits else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// A Max-Forwards value: digits (leading zeros allowed, as in `0068`) from 0 to 255.
    static func maxForwards<S: StringProtocol>(_ text: S) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let significant = text.drop { $0 == "0" }
        if significant.isEmpty { return 0 }
        guard let value = decimal(significant, maxDigits: 3), value <= 255 else { return nil }
        return value
    }

    /// Whether the text holds a space, tab or control character (never allowed inside a URI).
    static func hasWhitespaceOrControl<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }
}
