/// Writes JSON text exactly as Foundation's `JSONEncoder` does with `.sortedKeys` and
/// `.withoutEscapingSlashes`: keys in the order of their UTF-8 bytes, no spaces, `"` `\` and control
/// characters escaped (`\b` `\f` `\n` `\r` `\t`, the rest as `\u00xx`), everything else as UTF-8,
/// whole doubles without ".0".
struct JSONTextWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(256)
    }

    mutating func write(_ node: WireNode) {
        switch node {
        case .value(let value): write(value)
        case .literal(let text): bytes.append(contentsOf: text.utf8)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.nodes.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            // Sorted in place: the tree is written once.
            Self.sortByKey(&object.members)
            let members = object.members
            var first = true
            for (position, member) in members.enumerated() {
                // A key encoded again: only its last value is written.
                if position + 1 < members.count && members[position + 1].key == member.key { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.node)
            }
            bytes.append(UInt8(ascii: "}"))
        case .encoder(let encoder): write(encoder.node ?? .empty)
        }
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): writeInteger(value)
        case .number(let value):
            // JSONValue's own encoding writes a number that is not finite as null.
            guard value.isFinite else {
                bytes.append(contentsOf: "null".utf8)
                return
            }
            bytes.append(contentsOf: Self.text(of: value).utf8)
        case .string(let value): writeString(value)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members.sorted(by: { Self.precedes($0.key, $1.key) }) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(member)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// A double as Swift writes it shortest, without a trailing ".0" ("1e+20", "0.1", "-0").
    static func text(of value: Double) -> String {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// The order `JSONEncoder` sorts keys in: by their UTF-8 bytes.
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// Sorts members by key. Objects are small, so an insertion sort, which also keeps a repeated
    /// key's values in the order they were encoded (the last one is written).
    static func sortByKey(_ members: inout [(key: String, node: WireNode)]) {
        guard members.count > 1 else { return }
        for next in 1..<members.count where precedes(members[next].key, members[next - 1].key) {
            let moving = members[next]
            var slot = next
            while slot > 0 && precedes(moving.key, members[slot - 1].key) {
                members[slot] = members[slot - 1]
                slot -= 1
            }
            members[slot] = moving
        }
    }

    private mutating func writeInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Digits backwards into a small buffer; the magnitude as UInt64 so Int64.min has one.
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var end = buffer.count
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            return buffer.count - end
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { buffer in bytes.append(contentsOf: buffer[(buffer.count - count)...]) }
    }

    private mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(UInt8(ascii: "0") + byte >> 4)
                    let low = byte & 0xF
                    bytes.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
