/// The `data` of a successful `Agent.getStatus`.
public struct AgentStatusResult: Sendable, Codable, Equatable, Hashable {
    /// The agent's status.
    public var status: AgentStatus
    /// The reason, when the status is `rest`.
    public var restReason: String?

    /// Creates the result.
    public init(status: AgentStatus, restReason: String? = nil) {
        self.status = status
        self.restReason = restReason
    }
}
