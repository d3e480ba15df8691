/// The `welcome` frame: the agent is logged in; here is its state, so a client can draw its
/// workbench without replaying history.
public struct AgentWelcome: Sendable, Codable, Equatable, Hashable {
    /// The agent's user id.
    public var userId: String
    /// The agent's display name.
    public var name: String
    /// The agent's status now.
    public var status: AgentStatus
    /// The reason, when the status is `rest`.
    public var restReason: String?
    /// A status asked for while `busy` (by any of the agent's connections), applied when the
    /// last session ends; nil when none is waiting.
    public var pendingStatus: AgentStatus?
    /// Its reason, when it is `rest`.
    public var pendingRestReason: String?
    /// The sessions ringing at or held by the agent now.
    public var sessions: [SessionSummary]
    /// The `seq` of the newest event the server has numbered for this agent; 0 if none yet.
    public var lastSeq: Int
    /// True when the server will replay every event after the hello's `resumeFrom`; false when
    /// the client must rebuild from this welcome (no `resumeFrom`, or it is too old).
    public var resumed: Bool
    /// STUN/TURN servers for calls (`RTCPeerConnection`'s `iceServers`); empty: host candidates only.
    public var iceServers: [IceServer]?
    /// Calls the agent placed that are still live (internal calls it is the caller of).
    public var placedCalls: [CallOuted]?

    /// Creates a welcome.
    public init(
        userId: String,
        name: String,
        status: AgentStatus,
        restReason: String? = nil,
        pendingStatus: AgentStatus? = nil,
        pendingRestReason: String? = nil,
        sessions: [SessionSummary],
        lastSeq: Int,
        resumed: Bool,
        iceServers: [IceServer]? = nil,
        placedCalls: [CallOuted]? = nil
    ) {
        self.userId = userId
        self.name = name
        self.status = status
        self.restReason = restReason
        self.pendingStatus = pendingStatus
        self.pendingRestReason = pendingRestReason
        self.sessions = sessions
        self.lastSeq = lastSeq
        self.resumed = resumed
        self.iceServers = iceServers
        self.placedCalls = placedCalls
    }
}
