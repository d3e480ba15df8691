/// A telephone key as an RFC 4733 event code: 0–9, `*` (10), `#` (11), `A`–`D` (12–15).
public struct DTMFDigit: Sendable, Hashable, CustomStringConvertible {
    /// The RFC 4733 event code, 0...15.
    public let event: Int

    private static let characters: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"]

    /// The digit for an RFC 4733 event code, or nil outside 0...15 (e.g. 16, flash).
    public init?(event: Int) {
        guard (0...15).contains(event) else { return nil }
        self.event = event
    }

    /// The digit for a key as written: `0`–`9`, `*`, `#`, `A`–`D` (or `a`–`d`).
    public init?(_ key: Character) {
        guard let index = DTMFDigit.characters.firstIndex(of: Character(key.uppercased())) else { return nil }
        self.event = index
    }

    /// The key as written.
    public var character: Character { DTMFDigit.characters[event] }

    /// The key as written.
    public var description: String { String(character) }
}
