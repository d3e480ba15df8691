/// The `statusChanged` payload: the new status and what caused it.
public struct StatusChanged: Sendable, Codable, Equatable, Hashable {
    /// The new status.
    public var status: AgentStatus
    /// The reason, when the new status is `rest`.
    public var restReason: String?
    /// What caused the change.
    public var cause: StatusChangeCause

    /// Creates the payload.
    public init(status: AgentStatus, restReason: String? = nil, cause: StatusChangeCause) {
        self.status = status
        self.restReason = restReason
        self.cause = cause
    }
}
