/// A live session listed in `welcome`: its `callIn` fields, plus where it stands.
///
/// On the wire it is one flat object: the ``CallIn`` keys with `state`, `acceptedAt`,
/// `skillGroupId` and (phone calls) `direction` added.
public struct SessionSummary: Sendable, Equatable, Hashable {
    /// The session as it was offered; for a ringing session, `timeout` is the seconds left.
    public var callIn: CallIn
    /// Ringing or accepted.
    public var state: SessionState
    /// When the agent accepted it, in milliseconds since 1970 (UTC); nil while ringing.
    public var acceptedAt: Int64?
    /// The skill group the session is in now.
    public var skillGroupId: String?
    /// phone calls: `inbound`, or `outbound` for a number this agent dialled (a reloaded page
    /// cannot tell otherwise: an outbound call is held from the dial).
    public var direction: String?

    /// Creates a summary.
    public init(callIn: CallIn, state: SessionState, acceptedAt: Int64? = nil, skillGroupId: String? = nil, direction: String? = nil) {
        self.callIn = callIn
        self.state = state
        self.acceptedAt = acceptedAt
        self.skillGroupId = skillGroupId
        self.direction = direction
    }
}

extension SessionSummary: Codable {
    /// Decodes the flat object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        self.callIn = try CallIn(from: decoder)
        self.state = try container.decode(SessionState.self, forKey: "state")
        self.acceptedAt = try container.decodeIfPresent(Int64.self, forKey: "acceptedAt")
        self.skillGroupId = try container.decodeIfPresent(String.self, forKey: "skillGroupId")
        self.direction = try container.decodeIfPresent(String.self, forKey: "direction")
    }

    /// Encodes the flat object.
    public func encode(to encoder: any Encoder) throws {
        try callIn.encode(to: encoder)
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(state, forKey: "state")
        try container.encodeIfPresent(acceptedAt, forKey: "acceptedAt")
        try container.encodeIfPresent(skillGroupId, forKey: "skillGroupId")
        try container.encodeIfPresent(direction, forKey: "direction")
    }
}
