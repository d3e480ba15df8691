/// Where a live session is in its lifecycle: queued → ringing → accepted (then it ends and is gone).
public enum SessionState: Codable, Equatable, Sendable {
    /// Waiting in its skill group's queue.
    case queued
    /// Offered to one agent, who has until `deadline` (nil: no timeout) to accept.
    case ringing(agent: AgentID, deadline: Timestamp?)
    /// Held by the agent who accepted it.
    case accepted(agent: AgentID)

    /// The agent ringing or holding the session, if any.
    public var agent: AgentID? {
        switch self {
        case .queued: nil
        case .ringing(let agent, _), .accepted(let agent): agent
        }
    }
}

/// A live session: one contact with one customer.
public struct Session: Codable, Equatable, Sendable {
    /// The session's id.
    public let id: SessionID
    /// What kind of contact it is.
    public let type: SessionType
    /// The skill group whose queue it belongs to (changes on transfer and overflow).
    public internal(set) var skillGroupId: SkillGroupID
    /// Higher goes first in the queue.
    public let priority: Int
    /// What the customer side said about itself.
    public let customer: CustomerDetails
    /// When the customer started it.
    public let createdAt: Timestamp
    /// Its place in arrival order; kept when it returns to a queue, so it does not lose its turn.
    public let arrival: UInt64
    /// Where it is now.
    public internal(set) var state: SessionState
    /// Agents who missed or transferred it: it is not offered to them again.
    public internal(set) var excludedAgents: Set<AgentID>
    /// When it leaves its current queue by timeout, if the group has one.
    public internal(set) var queueDeadline: Timestamp?
    /// When it was first accepted.
    public internal(set) var acceptedAt: Timestamp?
    /// The last message or acceptance, for the im inactivity timer.
    public internal(set) var lastActivity: Timestamp
    /// When the im inactivity timer ends it, as scheduled (nil: no timer). Kept rather than
    /// derived from the group's setting, so changing the setting cannot orphan a scheduled timer
    /// and a restored core fires exactly the timers the saved one had.
    public internal(set) var inactivityDeadline: Timestamp? = nil
    /// How many offers it has had; identifies the current offer's timer.
    public internal(set) var offerCount: Int
    /// Identifies the current queue entry; entries with another ticket are stale.
    var queueTicket: UInt64
    /// internal calls: the agent who placed the call (the "customer" side).
    public internal(set) var caller: AgentID? = nil
    /// internal calls to a named agent: that agent. An unanswered directed call ends rather than
    /// moving on to someone else.
    public internal(set) var directedTo: AgentID? = nil
    /// phone calls: inbound or outbound; nil for every other type.
    public internal(set) var direction: CallDirection? = nil
    /// A ring-all offer: the agents it rings at besides its state's agent; nil when it rings at one.
    public internal(set) var alsoRinging: Set<AgentID>? = nil

    /// An outbound call whose callee has not answered yet.
    public var isDialling: Bool { direction == .outbound && acceptedAt == nil }

    /// The agents it rings at: its state's agent first, then those of a ring-all offer by id.
    public var ringingAgents: [AgentID] {
        guard case .ringing(let agent, _) = state else { return [] }
        return [agent] + (alsoRinging ?? []).sorted()
    }

    /// Whether it rings at `agent` (alone, or among the agents of a ring-all offer).
    public func isRinging(at agent: AgentID) -> Bool {
        guard case .ringing(let first, _) = state else { return false }
        return first == agent || alsoRinging?.contains(agent) == true
    }
}

/// What a customer channel says when it starts a session.
public struct NewSession: Codable, Equatable, Sendable {
    /// What kind of contact it is.
    public var type: SessionType
    /// The skill group to queue in.
    public var skillGroupId: SkillGroupID
    /// Higher goes first; default 0.
    public var priority: Int
    /// What the customer said about itself.
    public var customer: CustomerDetails
    /// When the contact arrived, if before it is queued: a call that walked an IVR flow first
    /// arrived when it was answered. The record starts then (`createdAt`); the queue, its
    /// timeouts and the reports' waits start when the session is queued. Nil (and every journal
    /// entry written before it existed): it arrives as it is queued.
    public var arrivedAt: Timestamp?

    /// Creates a request for a new session.
    public init(type: SessionType, skillGroupId: SkillGroupID, priority: Int = 0, customer: CustomerDetails = .init(), arrivedAt: Timestamp? = nil) {
        self.type = type
        self.skillGroupId = skillGroupId
        self.priority = priority
        self.customer = customer
        self.arrivedAt = arrivedAt
    }
}
