/// Why a byte sequence is not a valid ng document, and where reading stopped.
public struct NGDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong with the input.
    public var message: String
    /// The byte offset at which the problem was found.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The message and the offset, for logs.
    public var description: String { "\(message) (at byte \(offset))" }
}

extension NGValue {
    /// How deep lists and dictionaries may nest when decoding. rtpengine's deepest answer (`query`)
    /// nests about six levels; the limit only exists so hostile input cannot exhaust the stack.
    public static let maximumDecodingDepth = 64

    /// The value in bencode, with dictionary keys in byte order as the bencode standard asks
    /// (rtpengine does not require it, but it makes encodings deterministic).
    public func bencoded() -> [UInt8] {
        var out: [UInt8] = []
        appendBencode(to: &out)
        return out
    }

    private func appendBencode(to out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            out.append(contentsOf: String(bytes.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: bytes)
        case .integer(let value):
            out.append(UInt8(ascii: "i"))
            out.append(contentsOf: String(value).utf8)
            out.append(UInt8(ascii: "e"))
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { item.appendBencode(to: &out) }
            out.append(UInt8(ascii: "e"))
        case .dictionary(let entries):
            out.append(UInt8(ascii: "d"))
            for key in entries.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                NGValue.string(key).appendBencode(to: &out)
                entries[key]!.appendBencode(to: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }

    /// Reads one bencoded value that must span all of `bytes`.
    public init(bencoded bytes: some Collection<UInt8>) throws(NGDecodingError) {
        var reader = BencodeReader(bytes: Array(bytes))
        self = try reader.readValue(depth: 0)
        guard reader.position == reader.bytes.count else {
            throw NGDecodingError("unexpected bytes after the end of the bencoded value", at: reader.position)
        }
    }
}

/// A cursor over bencoded input that never reads past the end and never trusts a length it has
/// not checked against the bytes remaining.
private struct BencodeReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func readValue(depth: Int) throws(NGDecodingError) -> NGValue {
        guard depth <= NGValue.maximumDecodingDepth else {
            throw NGDecodingError("lists and dictionaries nest deeper than \(NGValue.maximumDecodingDepth) levels", at: position)
        }
        guard position < bytes.count else { throw NGDecodingError("input ends where a value should start", at: position) }
        switch bytes[position] {
        case UInt8(ascii: "i"):
            position += 1
            let value = try readInteger(until: UInt8(ascii: "e"))
            return .integer(value)
        case UInt8(ascii: "l"):
            position += 1
            var items: [NGValue] = []
            while try !consumeEnd() {
                items.append(try readValue(depth: depth + 1))
            }
            return .list(items)
        case UInt8(ascii: "d"):
            position += 1
            var entries: [String: NGValue] = [:]
            while try !consumeEnd() {
                guard bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9") else {
                    throw NGDecodingError("a dictionary key must be a byte string", at: position)
                }
                let key = String(decoding: try readByteString(), as: UTF8.self)
                entries[key] = try readValue(depth: depth + 1)
            }
            return .dictionary(entries)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .bytes(try readByteString())
        default:
            throw NGDecodingError("byte \(bytes[position]) cannot start a bencoded value", at: position)
        }
    }

    /// Consumes the `e` closing a list or dictionary, if that is what comes next.
    private mutating func consumeEnd() throws(NGDecodingError) -> Bool {
        guard position < bytes.count else {
            throw NGDecodingError("input ends inside a list or dictionary", at: position)
        }
        if bytes[position] == UInt8(ascii: "e") {
            position += 1
            return true
        }
        return false
    }

    private mutating func readByteString() throws(NGDecodingError) -> [UInt8] {
        let start = position
        let length = try readInteger(until: UInt8(ascii: ":"))
        guard length >= 0 else { throw NGDecodingError("a byte string cannot have a negative length", at: start) }
        guard length <= Int64(bytes.count - position) else {
            throw NGDecodingError("a byte string claims \(length) bytes but only \(bytes.count - position) remain", at: start)
        }
        let end = position + Int(length)
        defer { position = end }
        return Array(bytes[position..<end])
    }

    /// Reads decimal digits (with an optional leading minus) up to `terminator`, refusing overflow.
    private mutating func readInteger(until terminator: UInt8) throws(NGDecodingError) -> Int64 {
        let start = position
        var negative = false
        if position < bytes.count && bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        // In UInt64, so that Int64.min (whose magnitude Int64 cannot hold) still reads.
        var magnitude: UInt64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] != terminator {
            let byte = bytes[position]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                throw NGDecodingError("byte \(byte) is not a digit in a number", at: position)
            }
            let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowA && !overflowB else { throw NGDecodingError("a number does not fit in 64 bits", at: start) }
            magnitude = sum
            digits += 1
            position += 1
        }
        guard position < bytes.count else { throw NGDecodingError("input ends inside a number", at: start) }
        guard digits > 0 else { throw NGDecodingError("a number has no digits", at: start) }
        position += 1  // the terminator
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw NGDecodingError("a number does not fit in 64 bits", at: start) }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw NGDecodingError("a number does not fit in 64 bits", at: start) }
        return Int64(magnitude)
    }
}
