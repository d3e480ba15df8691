/// Something the core decided, stamped with the time it happened (a timer fires at its deadline).
public struct RoutingEvent: Equatable, Sendable {
    /// When it happened.
    public var at: Timestamp
    /// What happened, and for whom.
    public var effect: Effect

    /// Who is told, or what is recorded.
    public enum Effect: Equatable, Sendable {
        /// Pushed to every connection of the agent, named as the TCCC document's events.
        case agent(AgentID, AgentNotification)
        /// Shown to the customer of the session.
        case customer(SessionID, CustomerNotification)
        /// Kept in the session's history.
        case history(SessionID, SessionHistoryEntry)
    }
}

/// The TCCC SDK events, with the document's fields.
public enum AgentNotification: Equatable, Sendable {
    /// `callIn`: a session rings at the agent.
    case callIn(Offer)
    /// `userAccessed`: the agent accepted the session.
    case userAccessed(sessionId: SessionID)
    /// `autoTransfer`: the offer rang out or was withdrawn; the session moved on.
    case autoTransfer(sessionId: SessionID)
    /// `sessionEnded`.
    case sessionEnded(SessionEnd)
    /// `transfer`: the agent transferred the session away.
    case transfer(sessionId: SessionID, skillGroupId: SkillGroupID?, userId: AgentID?)
    /// `statusChanged`.
    case statusChanged(StatusChange)
    /// `sessionCompleted`: the agent finished wrap-up for a session.
    case sessionCompleted(sessionId: SessionID)
    /// `callOuted`: the agent placed a call: an internal call, to an agent or a skill group, or a
    /// telephone call (the session's `calleePhoneNumber`; `byServerAPI` when the server API
    /// placed it for the agent, so that one of the agent's pages makes the offer).
    case callOuted(sessionId: SessionID, calleeUserId: AgentID?, skillGroupId: SkillGroupID, phoneNumber: String? = nil, byServerAPI: Bool = false)
    /// `calloutAccepted`: the other side answered a call the agent placed.
    case calloutAccepted(sessionId: SessionID)
}

/// A session ringing at an agent: the `callIn` payload and why this agent was chosen.
public struct Offer: Equatable, Sendable {
    /// The session.
    public var sessionId: SessionID
    /// Its type.
    public var type: SessionType
    /// Seconds to accept; 0 = no timeout.
    public var timeout: Int
    /// Its skill group.
    public var skillGroupId: SkillGroupID
    /// The customer's details for the `callIn` fields.
    public var customer: CustomerDetails
    /// Why this agent.
    public var reason: OfferReason
}

/// Why an offer went to its agent, kept in the session's history.
public struct OfferReason: Equatable, Sendable {
    /// The group's strategy, or nil for a transfer to a named agent.
    public var strategy: RoutingStrategy?
    /// The agent's skill level in the group.
    public var skillLevel: Int?
    /// How long the agent had been idle, in milliseconds.
    public var idleMilliseconds: Int64
    /// Sessions the agent held or had ringing before this one.
    public var activeSessions: Int
    /// Agents ranked ahead who could not take it, and why (at most ten listed).
    public var passedOver: [PassedOver]
    /// The customer's last agent, preferred by the group's `usingLastSeat`.
    public var lastSeat = false
    /// One of the agents a ring-all offer rings at together.
    public var ringAll = false
    /// A supervisor chose the agent (the admin API's assign), out of the queue's order.
    public var assigned = false

    /// An agent ranked ahead that could not take the session.
    public struct PassedOver: Equatable, Sendable {
        /// The agent.
        public var agent: AgentID
        /// Why not: "missed or transferred this session before", "no capacity for a phone session".
        public var why: String
    }
}

/// The `sessionEnded` payload.
public struct SessionEnd: Equatable, Sendable {
    /// The session.
    public var sessionId: SessionID
    /// Who ended it.
    public var closeBy: CloseBy
    /// The admin's reason.
    public var mainReason: String?
    /// The admin's detailed reason.
    public var subReason: String?
    /// The session's type.
    public var type: SessionType
    /// Seconds since it was accepted (0 if never).
    public var duration: Int
    /// Why a telephone call ended unanswered (an outbound call's `busy`, `notAnswer`...), as its
    /// record spells it; nil for every other ending.
    public var endStatus: String?
}

/// The `statusChanged` payload.
public struct StatusChange: Equatable, Sendable {
    /// The new status.
    public var status: AgentStatus
    /// The rest reason, for `rest`.
    public var restReason: String?
    /// What caused it.
    public var cause: StatusChangeCause
}

/// What the customer side of a session sees.
public enum CustomerNotification: Equatable, Sendable {
    /// Waiting in a skill group's queue (again).
    case queued(skillGroupId: SkillGroupID)
    /// Offered to an agent, who has not answered yet.
    case ringing
    /// An agent accepted.
    case agentJoined(agentId: AgentID, name: String)
    /// The agent transferred the session; a new agent will join.
    case transferred
    /// The session ended.
    case ended(closeBy: CloseBy)
}

/// One line of a session's history, for the record and the admin API.
public enum SessionHistoryEntry: Equatable, Sendable {
    /// The customer started it.
    case created(type: SessionType, skillGroupId: SkillGroupID, priority: Int, customer: CustomerDetails)
    /// It entered a skill group's queue.
    case queued(skillGroupId: SkillGroupID)
    /// It rang at an agent.
    case offered(agent: AgentID, reason: OfferReason)
    /// The agent let it ring out.
    case missed(agent: AgentID)
    /// Its offer's timeout ran out, but the group's timeout transfer is off: it keeps ringing at
    /// the agent, with no deadline, until answered or withdrawn.
    case overdue(agent: AgentID)
    /// The offer was taken back: the agent went offline, lost its connection or changed status.
    case withdrawn(agent: AgentID, why: String)
    /// The agent accepted it (a ring-all offer is then withdrawn from the others).
    case accepted(agent: AgentID)
    /// The agent transferred it.
    case transferred(from: AgentID, toSkillGroup: SkillGroupID?, toAgent: AgentID?)
    /// Its queue timed out and it moved on to another group.
    case overflowed(from: SkillGroupID, to: SkillGroupID)
    /// The agent's connection was gone too long; it went back to the queue.
    case returnedToQueue(agent: AgentID, why: String)
    /// It ended; `endStatus` when the ending itself says how the record must be marked (an
    /// outbound call's `busy`, `callerCancel`...), nil to derive it from the session's course.
    case ended(closeBy: CloseBy, agent: AgentID?, mainReason: String?, subReason: String?, why: String?, endStatus: String? = nil)
    /// An agent dialled the session's number (an outbound telephone call).
    case dialled(agent: AgentID, phoneNumber: String)
    /// The caller pressed keys (RFC 4733 events or SIP INFO).
    case digits(String)
}
