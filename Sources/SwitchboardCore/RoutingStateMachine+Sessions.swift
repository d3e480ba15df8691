extension RoutingStateMachine {
    static let maximumPriority = 100
    static let maximumFieldLength = 4096

    /// The end status of a session turned away because its group's queue was full.
    static let queueFull = "queueFull"
    /// The end status of a session turned away because no member of its group was online.
    static let noSeatOnline = "noSeatOnline"
    /// The end status of a session turned away outside its group's working hours.
    static let notWorkTime = "notWorkTime"

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
        // The record starts when the contact arrived (never later than now: the clocks of a
        // gateway and the core may differ by a little); everything else starts now.
        let created = RoutingEvent(at: min(request.arrivedAt ?? clock, clock), effect: .history(
            id, .created(type: request.type, skillGroupId: group.id, priority: request.priority, customer: request.customer)))
        if let (endStatus, reason) = turnAwayReason(in: group) {
            // Recorded (reports count the customers turned away) but never live: no queue entry,
            // no timers, nothing for agents.
            pendingEvents.append(created)
            record(id, .ended(closeBy: .admin, agent: nil, mainReason: endStatus, subReason: nil, why: reason, endStatus: endStatus))
            return .sessionTurnedAway(id, endStatus: endStatus, reason: reason)
        }
        let arrival = counters.nextArrival
        counters.nextArrival += 1
        sessions[id] = Session(
            id: id, type: request.type, skillGroupId: group.id, priority: request.priority,
            customer: request.customer, createdAt: clock, arrival: arrival, state: .queued,
            excludedAgents: [], queueDeadline: nil, acceptedAt: nil, lastActivity: clock, offerCount: 0,
            queueTicket: 0, direction: request.type == .phone ? .inbound : nil)
        tally.count(sessions[existing: id].state, by: 1)
        pendingEvents.append(created)
        enqueue(id, in: group.id, freshDeadline: true)
        emit(.customer(id, .queued(skillGroupId: group.id)))
        return .sessionCreated(id)
    }

    /// Why a new session in `group` is turned away at once instead of queueing, if it is: the
    /// end status and words for the customer. Outside working hours comes first (nobody is
    /// expected), then nobody online, then a full queue.
    func turnAwayReason(in group: SkillGroup) -> (endStatus: String, reason: String)? {
        if let hours = group.workingHours, !hours.isOpen(at: clock) {
            let now = hours.localTime(at: clock).map { " (it is \($0.weekday.rawValue) \(WorkingHours.DailyRange.clock($0.minute)) in \(hours.timeZone))" } ?? ""
            return (Self.notWorkTime, "skill group \(group.id) is outside its working hours\(now); try again during working hours")
        }
        if group.endWhenNoSeatOnline, !(members[group.id] ?? []).contains(where: { agents[$0]?.status != .offline }) {
            return (Self.noSeatOnline, "no agent of skill group \(group.id) is online; try again later")
        }
        let waiting = waitingCounts[group.id, default: 0]
        if group.maxQueueLength > 0, waiting >= group.maxQueueLength {
            return (Self.queueFull, "the queue of skill group \(group.id) is full (\(waiting) waiting, the limit is \(group.maxQueueLength)); try again later")
        }
        return nil
    }

    mutating func accept(_ agentId: AgentID, _ sessionId: SessionID) throws(RoutingError) {
        let handle = try checkOnlineAgent(agentId)
        // What the accept needs, read where the session is stored and before it changes: copying
        // the whole session out was one of the larger costs of an accept.
        // (An offer ringing at one agent has no others: no list of them is made.)
        let session = try readSession(sessionId) { session in
            (state: session.state, isRinging: session.isRinging(at: agentId), firstAccept: session.acceptedAt == nil,
             others: session.alsoRinging == nil ? [] : session.ringingAgents,
             returningCustomerKey: session.returningCustomerKey, caller: session.caller, type: session.type)
        }
        switch session.state {
        case .accepted(let holder) where holder == agentId:
            return  // idempotent for the agent that already accepted it
        case .ringing where session.isRinging:
            break
        default:
            throw RoutingError(.notRinging, "session \(sessionId) is not ringing at agent \(agentId)")
        }
        setState(of: sessionId, to: .accepted(agent: agentId))
        sessions[existing: sessionId].alsoRinging = nil
        sessions[existing: sessionId].lastActivity = clock
        if session.firstAccept {
            sessions[existing: sessionId].acceptedAt = clock
            scheduleDurationLimit(sessionId)
        }
        let (name, status) = agents[handle].hold(sessionId)
        scheduleInactivityTimer(sessionId)
        if let customer = session.returningCustomerKey { lastSeats.remember(agentId, for: customer) }
        record(sessionId, .accepted(agent: agentId))
        // The first accept of a ring-all offer wins; for the others it is withdrawn, not missed.
        for other in session.others where other != agentId {
            agents[existing: other].ringing.remove(sessionId)
            agents[existing: other].removeLoad(session.type)
            notify(other, .autoTransfer(sessionId: sessionId))
            record(sessionId, .withdrawn(agent: other, why: "agent \(agentId) accepted it first"))
            reindex(other)
        }
        notify(agentId, .userAccessed(sessionId: sessionId))
        if let caller = session.caller { notify(caller, .calloutAccepted(sessionId: sessionId)) }
        emit(.customer(sessionId, .agentJoined(agentId: agentId, name: name)))
        if status == .busy {
            reindex(handle)
        } else {
            changeStatus(handle, to: .busy, restReason: nil, cause: .sessionAccepted)
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
            try requireReachableTarget(userId, for: session.type, in: skillGroupId ?? session.skillGroupId, purpose: "take a transfer")
        }
        agents[existing: agentId].held.remove(sessionId)
        agents[existing: agentId].removeLoad(session.type)
        sessions[existing: sessionId].excludedAgents.insert(agentId)
        if let skillGroupId {
            sessions[existing: sessionId].skillGroupId = skillGroupId
            scheduleDurationLimit(sessionId)
        }
        sessions[existing: sessionId].directedTo = nil
        record(sessionId, .transferred(from: agentId, toSkillGroup: skillGroupId, toAgent: userId))
        notify(agentId, .transfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId))
        emit(.customer(sessionId, .transferred))
        if let caller = session.caller {
            // The caller's call rings again, elsewhere: it offers anew once the next agent answers.
            notify(caller, .callOuted(sessionId: sessionId, calleeUserId: userId, skillGroupId: sessions[existing: sessionId].skillGroupId))
        }
        if let userId {
            // Should the named agent not answer, the session goes back to its queue as a new
            // arrival there would: with a fresh queue timeout, not its first queue's deadline.
            if rules >= 2 { sessions[existing: sessionId].queueDeadline = nil }
            offer(sessionId, to: userId, reason: directedReason(userId, group: sessions[existing: sessionId].skillGroupId))
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

    /// Checks that a named agent can be rung now with a session of `type` filed under `group`,
    /// naming what is wrong.
    func requireReachableTarget(_ userId: AgentID, for type: SessionType, in group: SkillGroupID?, purpose: String) throws(RoutingError) {
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
        if let group = group.flatMap({ skillGroups[$0] }), !hasRoom(target, for: type, in: group) {
            throw RoutingError(.transferTargetUnavailable, "agent \(userId) already has \(group.maxConcurrency) im sessions of skill group \(group.id), its maxConcurrency")
        }
    }

    mutating func endBySeat(_ agentId: AgentID, _ sessionId: SessionID) throws(RoutingError) {
        try checkOnlineAgent(agentId)
        let (state, isRinging) = try readSession(sessionId) { ($0.state, $0.isRinging(at: agentId)) }
        switch state {
        case .accepted(let holder) where holder == agentId:
            endSession(sessionId, closeBy: .seat)
        case .ringing where isRinging:
            throw RoutingError(.sessionRinging, "session \(sessionId) is still ringing at agent \(agentId): accept it before ending it")
        default:
            throw RoutingError(.notHeld, "session \(sessionId) is not held by agent \(agentId): only the agent that accepted it can end it")
        }
    }

    mutating func customerLeft(_ sessionId: SessionID) throws(RoutingError) {
        try checkSession(sessionId)
        endSession(sessionId, closeBy: .client)
    }

    mutating func adminEnd(_ sessionId: SessionID, mainReason: String?, subReason: String?) throws(RoutingError) {
        try checkSession(sessionId)
        for (name, value) in [("mainReason", mainReason), ("subReason", subReason)] where (value?.count ?? 0) > Self.maximumFieldLength {
            throw RoutingError(.invalidSession, "\(name) is \(value!.count) characters; at most \(Self.maximumFieldLength) are allowed")
        }
        endSession(sessionId, closeBy: .admin, mainReason: mainReason, subReason: subReason)
    }

    /// A supervisor hands a waiting session to a chosen agent: it rings there now, out of the
    /// queue's order, with its group's offer timeout. The agent need not be in the session's
    /// group (the supervisor knows who can help), but must be able to take it now, as for a
    /// transfer: online, connected, free or busy with room, no status change pending. An agent
    /// the session rang out at before is rung again: the supervisor asked for it. Unanswered, it
    /// goes back to its queue and keeps its wait, as any missed offer does.
    mutating func adminAssign(_ sessionId: SessionID, to agentId: AgentID) throws(RoutingError) {
        let session = try requireSession(sessionId)
        switch session.state {
        case .queued:
            break
        case .ringing(let agent, _):
            throw RoutingError(.notWaiting, "session \(sessionId) is ringing at agent \(agent): only a session waiting in its queue can be assigned")
        case .accepted(let agent):
            throw RoutingError(.notWaiting, "session \(sessionId) is held by agent \(agent): only a session waiting in its queue can be assigned; the agent can transfer it")
        }
        try requireReachableTarget(agentId, for: session.type, in: session.skillGroupId, purpose: "be assigned session \(sessionId)")
        sessions[existing: sessionId].excludedAgents.remove(agentId)
        var reason = directedReason(agentId, group: session.skillGroupId)
        reason.assigned = true
        offer(sessionId, to: agentId, reason: reason)
    }

    mutating func recordActivity(_ sessionId: SessionID) throws(RoutingError) {
        try checkSession(sessionId)
        sessions[existing: sessionId].lastActivity = clock
        scheduleInactivityTimer(sessionId)
    }

    /// Starts the timer of the group's maximum session duration, counted from the first accept;
    /// called when a session is first accepted and when it moves to another group.
    mutating func scheduleDurationLimit(_ sessionId: SessionID) {
        // Read in place, the session and its group: this runs on every first accept.
        let (acceptedAt, groupId) = sessions.withExisting(sessionId) { ($0.acceptedAt, $0.skillGroupId) }!
        guard let acceptedAt, let limit = skillGroups.withExisting(groupId, { $0.maxSessionSeconds }), limit > 0 else { return }
        schedule(RoutingTimer(deadline: acceptedAt.adding(seconds: limit), kind: .maxDuration, subject: sessionId.rawValue))
    }

    /// (Re)schedules an accepted im session's inactivity timer from its last activity and its
    /// group's setting now; a timeout of 0 leaves it without one.
    mutating func scheduleInactivityTimer(_ sessionId: SessionID) {
        // Read in place, the session and its group: this runs on every accept.
        let (type, state, groupId, lastActivity) = sessions.withExisting(sessionId) { ($0.type, $0.state, $0.skillGroupId, $0.lastActivity) }!
        guard type == .im, case .accepted = state else { return }
        let timeout = skillGroups.withExisting(groupId) { $0.imInactivityTimeoutSeconds } ?? 0
        guard timeout > 0 else {
            sessions[existing: sessionId].inactivityDeadline = nil
            return
        }
        let deadline = lastActivity.adding(seconds: timeout)
        sessions[existing: sessionId].inactivityDeadline = deadline
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
        case .ringing:
            for agent in session.ringingAgents {
                agents[existing: agent].ringing.remove(sessionId)
                agents[existing: agent].removeLoad(session.type)
                notify(agent, .sessionEnded(end))
                reindex(agent)
            }
        case .accepted(let agent):
            let handle = agents.handle(of: agent)!
            agents[handle].dropHeld(sessionId, type: session.type)
            notify(agent, .sessionEnded(end))
            releaseSession(session, from: handle)
        }
        if let caller = session.caller, agents[caller] != nil {
            agents[existing: caller].removeLoad(session.type)
            // Its idle time starts after the call, as after any session it handled.
            agents[existing: caller].idleSince = clock
            notify(caller, .sessionEnded(end))
            reindex(caller)
        }
        emit(.customer(sessionId, .ended(closeBy: closeBy)))
        record(sessionId, .ended(
            closeBy: closeBy, agent: session.state.agent, mainReason: mainReason, subReason: subReason, why: why, endStatus: endStatus))
    }
}
