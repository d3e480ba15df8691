/// An agent as the routing core sees it: its profile, status, connections and sessions.
public struct AgentState: Codable, Equatable, Sendable {
    /// What the administrator set.
    public internal(set) var profile: AgentProfile
    /// The current status.
    public internal(set) var status: AgentStatus
    /// The reason given for `rest`.
    public internal(set) var restReason: String?
    /// A status asked for while busy, applied when the last session ends (after wrap-up).
    public internal(set) var pendingStatus: RequestedStatus?
    /// The rest reason that goes with a pending `rest`.
    public internal(set) var pendingRestReason: String?
    /// When automatic wrap-up (`arrange` after a session) ends; nil when not in automatic wrap-up.
    public internal(set) var wrapUpUntil: Timestamp?
    /// The agent's open SDK connections.
    public internal(set) var connections: Set<ConnectionID>
    /// When the last connection closed, while the agent has none.
    public internal(set) var disconnectedSince: Timestamp?
    /// False once the reconnect grace period has run out with no connection: no offers until it returns.
    public internal(set) var reachable: Bool
    /// When the agent last became free, was last offered a session or last finished one.
    public internal(set) var idleSince: Timestamp
    /// Sessions ringing at the agent.
    public internal(set) var ringing: Set<SessionID>
    /// Sessions the agent accepted and holds.
    public internal(set) var held: Set<SessionID>
    /// Voice-like sessions ringing or held.
    public internal(set) var voiceLoad: Int
    /// `im` sessions ringing or held.
    public internal(set) var imLoad: Int
    /// Sessions that ended while the agent held them, reported by `sessionCompleted` after wrap-up.
    public internal(set) var awaitingCompletion: [SessionID]
    /// Changes whenever anything that routing ranks or checks changes; older index entries are stale.
    var routingStamp: UInt64

    init(profile: AgentProfile, at now: Timestamp) {
        self.profile = profile
        status = .offline
        restReason = nil
        pendingStatus = nil
        pendingRestReason = nil
        wrapUpUntil = nil
        connections = []
        disconnectedSince = nil
        reachable = false
        idleSince = now
        ringing = []
        held = []
        voiceLoad = 0
        imLoad = 0
        awaitingCompletion = []
        routingStamp = 0
    }

    /// The agent's id.
    public var id: AgentID { profile.id }
    /// Sessions ringing or held.
    public var activeSessions: Int { voiceLoad + imLoad }

    /// Whether routing may offer this agent anything at all right now.
    var isRoutable: Bool {
        (status == .free || status == .busy) && pendingStatus == nil && reachable
    }

    /// Whether the agent belongs in its groups' candidate indexes: routable, with room for some
    /// type. Reindexing and rebuilding (a restored server, a strategy change) must agree on it, or
    /// a restored server would record different passed-over agents than one that kept running.
    func isIndexed(configuration: RoutingConfiguration) -> Bool {
        isIndexed(defaultImCapacity: configuration.defaultImCapacity, allowVoiceWithIm: configuration.allowVoiceWithIm)
    }

    /// The same, given the two settings it reads.
    func isIndexed(defaultImCapacity: Int, allowVoiceWithIm: Bool) -> Bool {
        isRoutable && (hasCapacity(for: .im, defaultImCapacity: defaultImCapacity, allowVoiceWithIm: allowVoiceWithIm)
            || hasCapacity(for: .phone, defaultImCapacity: defaultImCapacity, allowVoiceWithIm: allowVoiceWithIm))
    }

    /// Whether the agent has room for one more session of `type`, whatever its status.
    func hasCapacity(for type: SessionType, configuration: RoutingConfiguration) -> Bool {
        hasCapacity(for: type, defaultImCapacity: configuration.defaultImCapacity, allowVoiceWithIm: configuration.allowVoiceWithIm)
    }

    /// The same, given the two settings it reads (the routing hot path reads agents in place and
    /// does not copy the whole configuration for each).
    func hasCapacity(for type: SessionType, defaultImCapacity: Int, allowVoiceWithIm: Bool) -> Bool {
        let imCapacity = profile.imCapacity ?? defaultImCapacity
        if type.isVoiceLike {
            return voiceLoad == 0 && (imLoad == 0 || allowVoiceWithIm)
        }
        return imLoad < imCapacity && (voiceLoad == 0 || allowVoiceWithIm)
    }

    mutating func addLoad(_ type: SessionType) {
        if type.isVoiceLike { voiceLoad += 1 } else { imLoad += 1 }
    }

    mutating func removeLoad(_ type: SessionType) {
        if type.isVoiceLike { voiceLoad -= 1 } else { imLoad -= 1 }
    }
}
