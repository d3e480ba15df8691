/// Random identifiers: branches, tags and Call-IDs. The functions taking a generator are
/// deterministic for tests; the others use the system generator.
public enum SIPIdentifiers {
    /// A new branch with the RFC 3261 magic cookie.
    public static func branch<G: RandomNumberGenerator>(using generator: inout G) -> String {
        SIPVia.magicCookie + token(16, using: &generator)
    }

    /// A new From/To tag.
    public static func tag<G: RandomNumberGenerator>(using generator: inout G) -> String {
        token(12, using: &generator)
    }

    /// A new Call-ID, optionally `@host`.
    public static func callID<G: RandomNumberGenerator>(host: String? = nil, using generator: inout G) -> String {
        token(24, using: &generator) + (host.map { "@" + $0 } ?? "")
    }

    /// A new branch from the system generator.
    public static func branch() -> String {
        var generator = SystemRandomNumberGenerator()
        return branch(using: &generator)
    }

    /// A new tag from the system generator.
    public static func tag() -> String {
        var generator = SystemRandomNumberGenerator()
        return tag(using: &generator)
    }

    /// A new Call-ID from the system generator.
    public static func callID(host: String? = nil) -> String {
        var generator = SystemRandomNumberGenerator()
        return callID(host: host, using: &generator)
    }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    static func token<G: RandomNumberGenerator>(_ count: Int, using generator: inout G) -> String {
        String(decoding: (0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }, as: UTF8.self)
    }
}
