/// Everything that can happen to the routing core. Each command carries its own inputs; the time
/// comes with it (`RoutingStateMachine.handle(_:at:)`), so a journal of commands replays exactly.
///
/// The configuration commands, rare and large (a skill group is a few hundred bytes), are
/// `indirect`: boxed, so that every command is a few words to copy and the routing commands
/// (accept, end, setStatus...), run thousands of times a second, do not pay for their size.
public enum RoutingCommand: Codable, Equatable, Sendable {
    // Configuration (admin API).
    /// Creates or changes a skill group.
    indirect case upsertSkillGroup(SkillGroup)
    /// Creates a skill group; refused if one has its id (so two creates cannot both succeed).
    indirect case createSkillGroup(SkillGroup)
    /// Removes a skill group that has no live sessions and is nobody's overflow.
    case removeSkillGroup(SkillGroupID)
    /// Creates or changes an agent.
    indirect case upsertAgent(AgentProfile)
    /// Creates an agent; refused if one has its id.
    indirect case createAgent(AgentProfile)
    /// Removes an offline agent.
    case removeAgent(AgentID)
    /// Binds a telephone number to a skill group (or rebinds it).
    indirect case upsertPhoneNumber(PhoneNumberBinding)
    /// Unbinds a telephone number: calls to it are refused from then on.
    case removePhoneNumber(String)
    /// Creates or changes an IVR flow (validated whole).
    indirect case upsertIVRFlow(IVRFlow)
    /// Removes an IVR flow no number is bound to.
    case removeIVRFlow(IVRFlowID)
    /// Changes the tenant-wide settings.
    indirect case configure(RoutingConfiguration)

    // Presence.
    /// An SDK connection of the agent opened.
    case connect(AgentID, ConnectionID)
    /// An SDK connection of the agent closed.
    case disconnect(AgentID, ConnectionID)

    // The agent SDK (`Agent.*`, `Chat.*`).
    /// `Agent.online()`.
    case online(AgentID)
    /// `Agent.offline()`.
    case offline(AgentID)
    /// `Agent.setStatus({status, restReason})`; the status is parsed case-insensitively.
    case setStatus(AgentID, status: String, restReason: String?)
    /// `Chat.accept({sessionId})`.
    case accept(AgentID, SessionID)
    /// `Chat.transfer({sessionId, skillGroupId?, userId?})`.
    case transfer(AgentID, SessionID, skillGroupId: SkillGroupID?, userId: AgentID?)
    /// `Chat.end({sessionId})`.
    case end(AgentID, SessionID)
    /// `Call.startInternalCall`: the agent calls another agent (rung directly) or a skill group (queued).
    case startInternalCall(AgentID, calleeUserId: AgentID?, skillGroupId: SkillGroupID?)
    /// `Call.hungUp` by the agent that placed an internal call: ends it, `closeBy: 'client'`.
    case callerHungUp(AgentID, SessionID)

    /// `Call.startOutboundCall`: the agent dials a telephone number through the trunk.
    indirect case startOutboundCall(AgentID, OutboundCall)

    // Customer channels.
    /// A customer starts a session.
    case createSession(NewSession)
    /// The customer left or hung up.
    case customerLeft(SessionID)
    /// The callee of an outbound telephone call answered.
    case calleeAnswered(SessionID)
    /// An outbound telephone call failed before it was answered.
    case outboundCallFailed(SessionID, OutboundCallFailure, detail: String?)
    /// A call ended inside an IVR flow before it was queued: recorded, never live.
    indirect case ivrEnded(IVREnding)
    /// The caller pressed keys during a call.
    case callerDigits(SessionID, String)
    /// A message went either way in the session (resets the im inactivity timer).
    case activity(SessionID)

    // Supervisors.
    /// The admin API ends a session.
    case adminEnd(SessionID, mainReason: String?, subReason: String?)
    /// A supervisor hands a session waiting in its queue to a chosen agent, where it rings now.
    case adminAssign(SessionID, agent: AgentID)
    /// A supervisor sets an agent's status (same rules as the agent's own request).
    case adminSetStatus(AgentID, status: String, restReason: String?)

    /// Nothing but the passing of time: fires the timers that are due.
    case tick
    /// The server is back after being down since the core's clock: that time is nobody's fault.
    /// Applied before any timer that fell due meanwhile fires (see `resumeAfterDowntime`).
    case serverRestarted
}

/// What a successful command answers besides its events.
public enum RoutingReply: Equatable, Codable, Sendable {
    /// The command took effect.
    case done
    /// `createSession` made this session.
    case sessionCreated(SessionID)
    /// `createSession` recorded this session and ended it at once without queueing it: the
    /// group's queue was full. `endStatus` is the record's (`queueFull`); `reason` says so to a person.
    case sessionTurnedAway(SessionID, endStatus: String, reason: String)
    /// `ivrEnded` recorded this session, which was never live.
    case sessionRecorded(SessionID)
}
