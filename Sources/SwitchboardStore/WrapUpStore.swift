import SwitchboardCore

/// The agent's wrap-up of a session (a disposition code and a note), kept on the session's record.
/// The routing core never reads it, so it is written straight to the record rather than journaled.
public protocol WrapUpStore: Sendable {
    /// Sets (or replaces) the session's wrap-up in one committed write; false when the store has
    /// no record of the session.
    func saveWrapUp(_ wrapUp: SessionWrapUp, of session: SessionID) async throws -> Bool
}

/// What an agent said about a session when it was over.
public struct SessionWrapUp: Codable, Equatable, Sendable {
    /// The agent who wrapped it up (the last one that held it).
    public var agentId: AgentID
    /// One of the skill group's disposition codes; nil when the group has none.
    public var dispositionCode: String?
    /// The agent's note; nil when it wrote none.
    public var note: String?
    /// When it was saved.
    public var at: Timestamp

    /// Creates a wrap-up.
    public init(agentId: AgentID, dispositionCode: String?, note: String?, at: Timestamp) {
        self.agentId = agentId
        self.dispositionCode = dispositionCode
        self.note = note
        self.at = at
    }
}
