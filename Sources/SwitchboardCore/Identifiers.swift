/// A string identifier with its own type, so an agent id cannot be passed where a session id belongs.
public protocol StringIdentifier: Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The identifier as it appears on the wire and in the store.
    var rawValue: String { get }
    /// Wraps a raw identifier.
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Identifies an agent (TCCC's "seat", the SDK's `userId`).
public struct AgentID: StringIdentifier {
    let key: HashedString
    public var rawValue: String { key.string }
    public init(_ rawValue: String) { key = HashedString(rawValue) }
    public func _rawHashValue(seed: Int) -> Int { key._rawHashValue(seed: seed) }
}

/// Identifies a skill group (TCCC's `skillGroupId`).
public struct SkillGroupID: StringIdentifier {
    let key: HashedString
    public var rawValue: String { key.string }
    public init(_ rawValue: String) { key = HashedString(rawValue) }
    public func _rawHashValue(seed: Int) -> Int { key._rawHashValue(seed: seed) }
}

/// Identifies a session (TCCC's `sessionId`); assigned by the routing core, unique forever.
public struct SessionID: StringIdentifier {
    let key: HashedString
    public var rawValue: String { key.string }
    public init(_ rawValue: String) { key = HashedString(rawValue) }
    public func _rawHashValue(seed: Int) -> Int { key._rawHashValue(seed: seed) }
}

/// Identifies one SDK connection of an agent (a browser tab, a device).
public struct ConnectionID: StringIdentifier {
    let key: HashedString
    public var rawValue: String { key.string }
    public init(_ rawValue: String) { key = HashedString(rawValue) }
    public func _rawHashValue(seed: Int) -> Int { key._rawHashValue(seed: seed) }
}

/// An identifier's string with its hash worked out once, when the identifier is made.
///
/// The routing core looks identifiers up in dictionaries and sets many times per command (agents,
/// sessions, skill groups, candidates, members): hashing the whole string each time (SipHash over
/// its bytes, with a fresh hasher) was a fifth of the core's time. Here a lookup mixes one stored
/// word with the table's seed, and unequal identifiers are told apart by their hashes before
/// their strings are compared. The stored hash comes from `String.hashValue`, so it is seeded per
/// process as every Swift hash is: it is never written anywhere, and nothing may depend on it
/// (iteration order of a dictionary or set was never stable either).
struct HashedString: Hashable, Sendable {
    let string: String
    let hash: Int

    init(_ string: String) {
        self.string = string
        hash = string.hashValue
    }

    static func == (lhs: HashedString, rhs: HashedString) -> Bool {
        lhs.hash == rhs.hash && lhs.string == rhs.string
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// What dictionaries and sets ask for: the stored hash mixed with the table's own seed (the
    /// SplitMix64 finaliser), so tables of different sizes still order their elements differently
    /// and copying one into another stays linear.
    func _rawHashValue(seed: Int) -> Int {
        var z = UInt64(bitPattern: Int64(hash)) &+ UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(bitPattern: UInt(z ^ (z >> 31)))
    }
}
