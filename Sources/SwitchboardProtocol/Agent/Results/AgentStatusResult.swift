/// The `data` of a successful `Agent.getStatus`.
public struct AgentStatusResult: Sendable, Codable, Equatable, Hashable {
    /// The agent's status.
    public var status: AgentStatus
    /// The reason, when the status is `rest`.
    public var restReason: String?
    /// A status asked for while `busy`, applied when the last session ends (from any of the
    /// agent's connections); nil when none is waiting.
    public var pendingStatus: AgentStatus?
    /// Its reason, when it is `rest`.
    public var pendingRestReason: String?

    /// Creates the result.
    public init(status: AgentStatus, restReason: String? = nil, pendingStatus: AgentStatus? = nil, pendingRestReason: String? = nil) {
        self.status = status
        self.restReason = restReason
        self.pendingStatus = pendingStatus
        self.pendingRestReason = pendingRestReason
    }
}
