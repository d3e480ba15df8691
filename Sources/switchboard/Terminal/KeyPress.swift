/// A key a person pressed, decoded from the terminal's bytes.
enum KeyPress: Equatable, Sendable {
    /// A printable character.
    case character(Character)
    case enter
    case tab
    case backTab
    case backspace
    case escape
    case up
    case down
    case left
    case right
    /// Ctrl-C: in raw mode the terminal sends it as a byte instead of a signal.
    case interrupt
}

/// Turns the bytes read from a terminal in raw mode into key presses, across reads.
struct KeyParser {
    private var pending: [UInt8] = []

    /// The keys in `bytes`, keeping an incomplete escape or UTF-8 sequence for the next read.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [KeyPress] {
        pending.append(contentsOf: bytes)
        var keys: [KeyPress] = []
        var index = 0
        parsing: while index < pending.count {
            let byte = pending[index]
            switch byte {
            case 0x1B:
                // A lone ESC at the end of a read is the Escape key; ESC [ x is a cursor key.
                guard index + 1 < pending.count else {
                    keys.append(.escape)
                    index += 1
                    continue
                }
                let next = pending[index + 1]
                guard next == UInt8(ascii: "[") || next == UInt8(ascii: "O") else {
                    keys.append(.escape)
                    index += 1
                    continue
                }
                guard index + 2 < pending.count else { break parsing }
                // Skip parameters (digits and ';') up to the final byte.
                var end = index + 2
                while end < pending.count, (0x30...0x3F).contains(pending[end]) { end += 1 }
                guard end < pending.count else { break parsing }
                switch pending[end] {
                case UInt8(ascii: "A"): keys.append(.up)
                case UInt8(ascii: "B"): keys.append(.down)
                case UInt8(ascii: "C"): keys.append(.right)
                case UInt8(ascii: "D"): keys.append(.left)
                case UInt8(ascii: "Z"): keys.append(.backTab)
                default: break
                }
                index = end + 1
            case 0x0D, 0x0A:
                keys.append(.enter)
                index += 1
            case 0x09:
                keys.append(.tab)
                index += 1
            case 0x7F, 0x08:
                keys.append(.backspace)
                index += 1
            case 0x03:
                keys.append(.interrupt)
                index += 1
            case 0x00..<0x20:
                index += 1
            default:
                let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                guard index + length <= pending.count else { break parsing }
                let text = String(decoding: pending[index..<index + length], as: UTF8.self)
                keys.append(contentsOf: text.map(KeyPress.character))
                index += length
            }
        }
        pending.removeFirst(index)
        return keys
    }
}
