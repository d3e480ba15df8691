/// A live session listed in `welcome`: its `callIn` fields, plus where it stands.
///
/// On the wire it is one flat object: the ``CallIn`` keys with `state` and `acceptedAt` added.
public struct SessionSummary: Sendable, Equatable, Hashable {
    /// The session as it was offered; for a ringing session, `timeout` is the seconds left.
    public var callIn: CallIn
    /// Ringing or accepted.
    public var state: SessionState
    /// When the agent accepted it, in milliseconds since 1970 (UTC); nil while ringing.
    public var acceptedAt: Int64?

    /// Creates a summary.
    public init(callIn: CallIn, state: SessionState, acceptedAt: Int64? = nil) {
        self.callIn = callIn
        self.state = state
        self.acceptedAt = acceptedAt
    }
}

extension SessionSummary: Codable {
    /// Decodes the flat object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        self.callIn = try CallIn(from: decoder)
        self.state = try container.decode(SessionState.self, forKey: "state")
        self.acceptedAt = try container.decodeIfPresent(Int64.self, forKey: "acceptedAt")
    }

    /// Encodes the flat object.
    public func encode(to encoder: any Encoder) throws {
        try callIn.encode(to: encoder)
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(state, forKey: "state")
        try container.encodeIfPresent(acceptedAt, forKey: "acceptedAt")
    }
}
