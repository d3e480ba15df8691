/// An agent's status as the server reports it: TCCC's `AgentStatus` plus `offline`.
///
/// Requests carry the status as a free string (``AgentCall/agentSetStatus(status:restReason:)``),
/// since TCCC spells it several ways (`Arrange`, `StopNotReady`); the server validates it.
public enum AgentStatus: String, Sendable, Codable, CaseIterable {
    /// Available for offers.
    case free
    /// Holding at least one accepted session; set by the system only.
    case busy
    /// After-contact work.
    case arrange
    /// Not ready for offers.
    case notReady
    /// A short break, with a reason.
    case rest
    /// Not logged in: before `Agent.online()` and after `Agent.offline()`.
    case offline

    /// Decodes a status, naming the allowed values if the string is not one.
    public init(from decoder: any Decoder) throws {
        self = try decodeWireEnum(AgentStatus.self, from: decoder)
    }
}
