/// Internal calls (`Call.startInternalCall`): an agent calls a colleague or a skill group.
///
/// The caller is the session's "customer" side: it is recorded as `caller` (and as `peerUserId`
/// in the callee's `callIn`), its voice capacity is taken for the length of the call so it gets no
/// other voice offers meanwhile, and it hears `callOuted`, `calloutAccepted` and `sessionEnded`.
/// A call to a named agent rings that agent only and ends unanswered (`closeBy: 'timer'`) if it
/// rings out; a call to a skill group queues and is offered like any session, never to the caller.
extension RoutingStateMachine {
    mutating func startInternalCall(_ callerId: AgentID, calleeUserId: AgentID?, skillGroupId: SkillGroupID?) throws(RoutingError) -> SessionID {
        let caller = try requireOnlineAgent(callerId)
        guard calleeUserId != nil || skillGroupId != nil else {
            throw RoutingError(.invalidSession, "an internal call needs a calleeUserId (an agent) or a skillGroupId")
        }
        if !caller.hasCapacity(for: .internal, configuration: configuration) {
            throw RoutingError(.inUse, "agent \(callerId) is already on a call (or has chats that a call may not join): finish it before calling")
        }
        let groupId: SkillGroupID
        if let calleeUserId {
            if calleeUserId == callerId {
                throw RoutingError(.transferTargetUnavailable, "agent \(callerId) cannot call itself")
            }
            try requireReachableTarget(calleeUserId, for: .internal, in: nil, purpose: "take a call")
            if let skillGroupId {
                groupId = try requireGroup(skillGroupId).id
            } else {
                // The call is filed under a group the callee serves, for the record and its timeouts.
                let groups = agents[existing: calleeUserId].profile.memberships.keys.filter { skillGroups[$0] != nil }
                guard let first = groups.sorted().first ?? caller.profile.memberships.keys.filter({ skillGroups[$0] != nil }).sorted().first else {
                    throw RoutingError(.unknownSkillGroup, "neither agent \(calleeUserId) nor agent \(callerId) belongs to a skill group; name one with skillGroupId")
                }
                groupId = first
            }
        } else {
            groupId = try requireGroup(skillGroupId!).id
        }

        let customer = CustomerDetails(nickname: caller.profile.name, peerUserId: callerId.rawValue)
        let id = SessionID("s-\(counters.nextSessionNumber)")
        counters.nextSessionNumber += 1
        let arrival = counters.nextArrival
        counters.nextArrival += 1
        sessions[id] = Session(
            id: id, type: .internal, skillGroupId: groupId, priority: 0, customer: customer, createdAt: clock,
            arrival: arrival, state: calleeUserId.map { .ringing(agent: $0, deadline: nil) } ?? .queued,
            excludedAgents: [callerId], queueDeadline: nil, acceptedAt: nil, lastActivity: clock, offerCount: 0,
            queueTicket: 0, caller: callerId, directedTo: calleeUserId)
        tally.count(sessions[existing: id].state, by: 1)
        agents[existing: callerId].addLoad(.internal)
        reindex(callerId)
        record(id, .created(type: .internal, skillGroupId: groupId, priority: 0, customer: customer))
        notify(callerId, .callOuted(sessionId: id, calleeUserId: calleeUserId, skillGroupId: groupId))
        if let calleeUserId {
            offer(id, to: calleeUserId, reason: directedReason(calleeUserId, group: groupId))
        } else {
            enqueue(id, in: groupId, freshDeadline: true)
            emit(.customer(id, .queued(skillGroupId: groupId)))
        }
        return id
    }

    /// The caller hangs up its own internal call, answered or not.
    mutating func callerHungUp(_ callerId: AgentID, _ sessionId: SessionID) throws(RoutingError) {
        let session = try requireSession(sessionId)
        guard session.caller == callerId else {
            throw RoutingError(.notHeld, "session \(sessionId) is not a call placed by agent \(callerId)")
        }
        endSession(sessionId, closeBy: .client)
    }

    /// The live internal calls the agent placed, oldest first.
    public func callsPlaced(by agentId: AgentID) -> [Session] {
        // Only agents with voice load can have any; most lookups end here.
        guard let agent = agents[agentId], agent.voiceLoad > 0 else { return [] }
        return sessions.values.filter { $0.caller == agentId }.sorted { $0.arrival < $1.arrival }
    }
}
