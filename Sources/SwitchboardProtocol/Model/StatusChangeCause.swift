/// Why an agent's status changed, carried by every `statusChanged`; an open set, so that a server
/// can add causes without breaking older clients.
public struct StatusChangeCause: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The cause as sent on the wire, e.g. `"missedOffer"`.
    public var rawValue: String

    /// Creates a cause from its wire spelling.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The wire spelling.
    public var description: String { rawValue }

    /// Decodes a cause from its wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the cause as its wire string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The agent asked for it: `Agent.online`, `Agent.offline` or `Agent.setStatus`.
    public static let agent = StatusChangeCause(rawValue: "agent")
    /// The agent accepted a session and became busy.
    public static let sessionAccepted = StatusChangeCause(rawValue: "sessionAccepted")
    /// The agent dialled an outbound telephone call and became busy.
    public static let callPlaced = StatusChangeCause(rawValue: "callPlaced")
    /// The agent's last session ended or was transferred away (wrap-up, or the pending status).
    public static let sessionEnded = StatusChangeCause(rawValue: "sessionEnded")
    /// The agent let an offer ring out.
    public static let missedOffer = StatusChangeCause(rawValue: "missedOffer")
    /// The wrap-up timer ran out.
    public static let wrapUpTimer = StatusChangeCause(rawValue: "wrapUpTimer")
    /// A supervisor or the admin API changed it.
    public static let admin = StatusChangeCause(rawValue: "admin")
}
