/// An agent's status, exactly TCCC's `AgentStatus` plus `offline` (before `Agent.online()`).
public enum AgentStatus: String, Codable, Sendable, CaseIterable {
    /// Available for offers.
    case free
    /// Holding at least one accepted session; set by the system only.
    case busy
    /// After-contact work: automatic wrap-up after a session, or chosen by the agent.
    case arrange
    /// Not ready for offers.
    case notReady
    /// A short break, with a reason.
    case rest
    /// Not logged in: before `Agent.online()` and after `Agent.offline()`.
    case offline
}

/// A status an agent may ask for with `Agent.setStatus`, parsed from the SDK's spelling.
public enum RequestedStatus: String, Codable, Sendable {
    case free, rest, arrange, notReady

    /// Parses a status name case-insensitively; `stopNotReady` means `free`, as in TCCC.
    /// - Throws: ``RoutingError`` with code `.invalidStatus` naming the accepted values.
    public static func parse(_ text: String) throws(RoutingError) -> RequestedStatus {
        switch text.lowercased() {
        case "free", "stopnotready": return .free
        case "rest": return .rest
        case "arrange": return .arrange
        case "notready": return .notReady
        case "busy":
            throw RoutingError(.invalidStatus, "status 'busy' is set by the system when a session is accepted; it cannot be requested")
        case "offline":
            throw RoutingError(.invalidStatus, "status 'offline' is not set with setStatus; call Agent.offline() instead")
        default:
            throw RoutingError(.invalidStatus, "unknown status '\(text)': use free, rest, arrange, notReady or stopNotReady")
        }
    }

    /// The agent status this request leads to.
    public var agentStatus: AgentStatus {
        switch self {
        case .free: .free
        case .rest: .rest
        case .arrange: .arrange
        case .notReady: .notReady
        }
    }
}

/// Why an agent's status changed; carried by every `statusChanged`.
public enum StatusChangeCause: String, Codable, Sendable {
    /// The agent asked for it (`Agent.online/offline/setStatus`).
    case agent
    /// The agent accepted a session and became busy.
    case sessionAccepted
    /// The agent dialled an outbound call and became busy.
    case callPlaced
    /// The agent's last session ended or was transferred away (wrap-up or the pending status).
    case sessionEnded
    /// The agent let an offer ring out.
    case missedOffer
    /// The wrap-up timer ran out.
    case wrapUpTimer
    /// A supervisor or the admin API changed it.
    case admin
}
