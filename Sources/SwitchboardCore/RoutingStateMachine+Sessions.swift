extension RoutingStateMachine {
    static let maximumPriority = 100
    static let maximumFieldLength = 4096

    /// The end status of a session turned away because its group's queue was full.
    static let queueFull = "queueFull"

    mutating func createSession(_ request: NewSession) throws(RoutingError) -> RoutingReply {
        let group = try requireGroup(request.skillGroupId)
        if abs(request.priority) > Self.maximumPriority {
            throw RoutingError(.invalidSession, "priority must be between -\(Self.maximumPriority) and \(Self.maximumPriority), not \(request.priority)")
        }
        if request.type == .im, (request.customer.nickname ?? "").isEmpty {
            throw RoutingError(.invalidSession, "an im session needs the customer's nickname")
        }
        let fields: [(String, String?)] = [
            ("nickname", request.customer.nickname), ("avatar", request.customer.avatar),
            ("remark", request.customer.remark), ("peerSource", request.customer.peerSource),
            ("channelName", request.customer.channelName), ("clientData", request.customer.clientData),
        ]
        for (name, value) in fields where (value?.count ?? 0) > Self.maximumFieldLength {
            throw RoutingError(.invalidSession, "\(name) is \(value!.count) characters; at most \(Self.maximumFieldLength) are allowed")
        }
        let id = SessionID("s-\(counters.nextSessionNumber)")
        counters.nextSessionNumber += 1
        let waiting = waitingCounts[group.id, default: 0]
        if group.maxQueueLength > 0, waiting >= group.maxQueueLength {
            // Recorded (reports count the customers turned away) but never live: no queue entry,
            // no timers, nothing for agents.
            let reason = "the queue of skill group \(group.id) is full (\(waiting) waiting, the limit is \(group.maxQueueLength)); try again later"
            record(id, .created(type: request.type, skillGroupId: group.id, priority: request.priority, customer: request.customer))
            record(id, .ended(closeBy: .admin, agent: nil, mainReason: Self.queueFull, subReason: nil, why: reason, endStatus: Self.queueFull))
            return .sessionTurnedAway(id, endStatus: Self.queueFull, reason: reason)
        }
        let arrival = counters.nextArrival
        counters.nextArrival += 1
        sessions[id] = Session(
            id: id, type: request.type, skillGroupId: group.id, priority: request.priority,
            customer: request.customer, createdAt: clock, arrival: arrival, state: .queued,
            excludedAgents: [], queueDeadline: nil, acceptedAt: nil, lastActivity: clock, offerCount: 0,
            queueTicket: 0, direction: request.type == .phone ? .inbound : nil)
        tally.count(sessions[id]!.state, by: 1)
        record(id, .created(type: request.type, skillGroupId: group.id, priority: request.priority, customer: request.customer))
        enqueue(id, in: group.id, freshDeadline: true)
        emit(.customer(id, .queued(skillGroupId: group.id)))
        return .sessionCreated(id)
    }

    mutating func accept(_ agentId: AgentID, _ sessionId: SessionID) throws(RoutingError) {
        _ = try requireOnlineAgent(agentId)
        let session = try requireSession(sessionId)
        switch session.state {
        case .accepted(let holder) where holder == agentId:
            return  // idempotent for the agent that already accepted it
        case .ringing(let ringing, _) where ringing == agentId:
            break
        default:
            throw RoutingError(.notRinging, "session \(sessionId) is not ringing at agent \(agentId)")
        }
        setState(of: sessionId, to: .accepted(agent: agentId))
        sessions[sessionId]!.lastActivity = clock
        if session.acceptedAt == nil { sessions[sessionId]!.acceptedAt = clock }
        agents[agentId]!.ringing.remove(sessionId)
        agents[agentId]!.held.insert(sessionId)
        scheduleInactivityTimer(sessionId)
        record(sessionId, .accepted(agent: agentId))
        notify(agentId, .userAccessed(sessionId: sessionId))
        if let caller = session.caller { notify(caller, .calloutAccepted(sessionId: sessionId)) }
        emit(.customer(sessionId, .agentJoined(agentId: agentId, name: agents[agentId]!.profile.name)))
        if agents[agentId]!.status == .busy {
            reindex(agentId)
        } else {
            changeStatus(agentId, to: .busy, restReason: nil, cause: .sessionAccepted)
        }
    }

    mutating func transfer(_ agentId: AgentID, _ sessionId: SessionID, skillGroupId: SkillGroupID?, userId: AgentID?) throws(RoutingError) {
        let session = try requireTransferable(sessionId, by: agentId)
        if skillGroupId == nil && userId == nil {
            throw RoutingError(.transferWithoutTarget, "transfer needs a target: give a skillGroupId, a userId or both")
        }
        if let skillGroupId { _ = try requireGroup(skillGroupId) }
        if let userId {
            if userId == agentId {
                throw RoutingError(.transferTargetUnavailable, "agent \(agentId) cannot transfer session \(sessionId) to itself")
            }
            try requireReachableTarget(userId, for: session.type, purpose: "take a transfer")
        }
        agents[agentId]!.held.remove(sessionId)
        agents[agentId]!.removeLoad(session.type)
        sessions[sessionId]!.excludedAgents.insert(agentId)
        if let skillGroupId { sessions[sessionId]!.skillGroupId = skillGroupId }
        sessions[sessionId]!.directedTo = nil
        record(sessionId, .transferred(from: agentId, toSkillGroup: skillGroupId, toAgent: userId))
        notify(agentId, .transfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId))
        emit(.customer(sessionId, .transferred))
        if let caller = session.caller {
            // The caller's call rings again, elsewhere: it offers anew once the next agent answers.
            notify(caller, .callOuted(sessionId: sessionId, calleeUserId: userId, skillGroupId: sessions[sessionId]!.skillGroupId))
        }
        if let userId {
            // Should the named agent not answer, the session goes back to its queue as a new
            // arrival there would: with a fresh queue timeout, not its first queue's deadline.
            if rules >= 2 { sessions[sessionId]!.queueDeadline = nil }
            offer(sessionId, to: userId, reason: directedReason(userId, group: sessions[sessionId]!.skillGroupId))
        } else {
            enqueue(sessionId, in: skillGroupId!, freshDeadline: true)
            emit(.customer(sessionId, .queued(skillGroupId: skillGroupId!)))
        }
        releaseSession(session, from: agentId)
    }

    /// Checks that `agentId` may transfer `sessionId` now: it is online and holds the session, and
    /// an outbound call has been answered. Returns the session.
    func requireTransferable(_ sessionId: SessionID, by agentId: AgentID) throws(RoutingError) -> Session {
        _ = try requireOnlineAgent(agentId)
        let session = try requireSession(sessionId)
        guard session.state == .accepted(agent: agentId) else {
            throw RoutingError(.notHeld, "session \(sessionId) is not held by agent \(agentId): only the agent that accepted it can transfer it")
        }
        if session.isDialling {
            throw RoutingError(.invalidSession, "outbound call \(sessionId) has not been answered yet: hang up, or wait for the answer before transferring it")
        }
        return session
    }

    /// Checks that a named agent can be rung now with a session of `type`, naming what is wrong.
    func requireReachableTarget(_ userId: AgentID, for type: SessionType, purpose: String) throws(RoutingError) {
        let target = try requireAgent(userId)
        if target.status == .offline {
            throw RoutingError(.transferTargetUnavailable, "agent \(userId) is offline and cannot \(purpose)")
        }
        if !target.reachable {
            throw RoutingError(.transferTargetUnavailable, "agent \(userId) has lost its connection and cannot \(purpose)")
        }
        if !(target.status == .free || target.status == .busy) || target.pendingStatus != nil {
            let status = target.pendingStatus.map { "about to go \($0.rawValue)" } ?? target.status.rawValue
            throw RoutingError(.transferTargetUnavailable, "agent \(userId) is \(status) and cannot \(purpose)")
        }
        if !target.hasCapacity(for: type, configuration: configuration) {
            throw RoutingError(.transferTargetUnavailable, "agent \(userId) has no free capacity for a \(type.rawValue) session")
        }
    }

    mutating func endBySeat(_ agentId: AgentID, _ sessionId: SessionID) throws(RoutingError) {
        _ = try requireOnlineAgent(agentId)
        let session = try requireSession(sessionId)
        switch session.state {
        case .accepted(let holder) where holder == agentId:
            endSession(sessionId, closeBy: .seat)
        case .ringing(let ringing, _) where ringing == agentId:
            throw RoutingError(.sessionRinging, "session \(sessionId) is still ringing at agent \(agentId): accept it before ending it")
        default:
            throw RoutingError(.notHeld, "session \(sessionId) is not held by agent \(agentId): only the agent that accepted it can end it")
        }
    }

    mutating func customerLeft(_ sessionId: SessionID) throws(RoutingError) {
        _ = try requireSession(sessionId)
        endSession(sessionId, closeBy: .client)
    }

    mutating func adminEnd(_ sessionId: SessionID, mainReason: String?, subReason: String?) throws(RoutingError) {
        _ = try requireSession(sessionId)
        for (name, value) in [("mainReason", mainReason), ("subReason", subReason)] where (value?.count ?? 0) > Self.maximumFieldLength {
            throw RoutingError(.invalidSession, "\(name) is \(value!.count) characters; at most \(Self.maximumFieldLength) are allowed")
        }
        endSession(sessionId, closeBy: .admin, mainReason: mainReason, subReason: subReason)
    }

    mutating func recordActivity(_ sessionId: SessionID) throws(RoutingError) {
        _ = try requireSession(sessionId)
        sessions[sessionId]!.lastActivity = clock
        scheduleInactivityTimer(sessionId)
    }

    /// (Re)schedules an accepted im session's inactivity timer from its last activity and its
    /// group's setting now; a timeout of 0 leaves it without one.
    mutating func scheduleInactivityTimer(_ sessionId: SessionID) {
        let session = sessions[sessionId]!
        guard session.type == .im, case .accepted = session.state else { return }
        let timeout = skillGroups[session.skillGroupId]?.imInactivityTimeoutSeconds ?? 0
        guard timeout > 0 else {
            sessions[sessionId]!.inactivityDeadline = nil
            return
        }
        let deadline = session.lastActivity.adding(seconds: timeout)
        sessions[sessionId]!.inactivityDeadline = deadline
        schedule(RoutingTimer(deadline: deadline, kind: .imInactivity, subject: sessionId.rawValue))
    }

    /// Ends a live session: tells the agent ringing or holding it, the customer, and the record.
    mutating func endSession(
        _ sessionId: SessionID, closeBy: CloseBy, mainReason: String? = nil, subReason: String? = nil, why: String? = nil,
        endStatus: String? = nil
    ) {
        let session = sessions.removeValue(forKey: sessionId)!
        tally.count(session.state, by: -1)
        // An outbound call its agent hangs up before the answer was cancelled, not served.
        let endStatus = endStatus ?? (session.isDialling && closeBy == .seat ? Self.callerCancel : nil)
        let end = SessionEnd(
            sessionId: sessionId, closeBy: closeBy, mainReason: mainReason, subReason: subReason, type: session.type,
            duration: session.acceptedAt.map { clock.seconds(since: $0) } ?? 0, endStatus: endStatus)
        switch session.state {
        case .queued:
            waitingCounts[session.skillGroupId, default: 1] -= 1
        case .ringing(let agent, _):
            agents[agent]!.ringing.remove(sessionId)
            agents[agent]!.removeLoad(session.type)
            notify(agent, .sessionEnded(end))
            reindex(agent)
        case .accepted(let agent):
            agents[agent]!.held.remove(sessionId)
            agents[agent]!.removeLoad(session.type)
            notify(agent, .sessionEnded(end))
            releaseSession(session, from: agent)
        }
        if let caller = session.caller, agents[caller] != nil {
            agents[caller]!.removeLoad(session.type)
            // Its idle time starts after the call, as after any session it handled.
            agents[caller]!.idleSince = clock
            notify(caller, .sessionEnded(end))
            reindex(caller)
        }
        emit(.customer(sessionId, .ended(closeBy: closeBy)))
        record(sessionId, .ended(
            closeBy: closeBy, agent: session.state.agent, mainReason: mainReason, subReason: subReason, why: why, endStatus: endStatus))
    }
}
