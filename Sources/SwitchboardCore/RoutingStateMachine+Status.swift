extension RoutingStateMachine {
    /// Which statuses `setStatus` may leave for each requested status (SEMANTICS.md's table).
    static func allowedSources(for requested: RequestedStatus) -> Set<AgentStatus> {
        switch requested {
        case .free: [.free, .arrange, .notReady, .rest]
        case .rest: [.free, .arrange, .notReady]
        case .notReady: [.free, .arrange, .rest]
        case .arrange: [.free, .notReady, .rest]
        }
    }

    static let maximumRestReasonLength = 200

    mutating func online(_ id: AgentID) throws(RoutingError) {
        let agent = try requireAgent(id)
        guard agent.status == .offline else { return }
        agents[existing: id].idleSince = clock
        agents[existing: id].reachable = true
        guard agent.connections.isEmpty else {
            changeStatus(id, to: configuration.statusAfterOnline, restReason: nil, cause: .agent)
            return
        }
        // Online from the admin API or a replay, with no SDK attached: the grace period runs, from
        // when the agent is online (a grace of 0 fires at once and must find it online).
        if rules >= 4 {
            changeStatus(id, to: configuration.statusAfterOnline, restReason: nil, cause: .agent)
            startDisconnectTimers(id)
        } else {
            startDisconnectTimers(id)
            changeStatus(id, to: configuration.statusAfterOnline, restReason: nil, cause: .agent)
        }
    }

    mutating func offline(_ id: AgentID) throws(RoutingError) {
        let agent = try requireAgent(id)
        guard agent.status != .offline else { return }
        if !agent.held.isEmpty {
            let list = agent.held.sorted().map(\.rawValue).joined(separator: ", ")
            throw RoutingError(.agentHoldsSessions, "agent \(id) holds \(agent.held.count) accepted session(s) (\(list)): end or transfer them before going offline")
        }
        // Calls the agent placed cannot go on without it.
        for call in callsPlaced(by: id) { endSession(call.id, closeBy: .client, why: "the caller went offline") }
        agents[existing: id].pendingStatus = nil
        agents[existing: id].pendingRestReason = nil
        agents[existing: id].wrapUpUntil = nil
        agents[existing: id].disconnectedSince = nil
        completeWrapUp(id)
        changeStatus(id, to: .offline, restReason: nil, cause: .agent)
    }

    mutating func setStatus(_ id: AgentID, _ text: String, restReason: String?, cause: StatusChangeCause) throws(RoutingError) {
        let agent = try requireAgent(id)
        let requested = try RequestedStatus.parse(text)
        if agent.status == .offline {
            throw RoutingError(.agentOffline, "agent \(id) is offline: call Agent.online() before setting a status")
        }
        let reason = requested == .rest ? restReason.flatMap { $0.isEmpty ? nil : $0 } : nil
        if let reason, reason.count > Self.maximumRestReasonLength {
            throw RoutingError(.invalidStatus, "restReason is \(reason.count) characters; at most \(Self.maximumRestReasonLength) are allowed")
        }
        if agent.status == .busy {
            if requested == .free {
                throw RoutingError(.statusNotAllowed, "agent \(id) is busy with \(agent.held.count) session(s): busy is set by the system and ends when the last session ends")
            }
            // Kept until the last session ends; meanwhile the agent gets no new offers.
            agents[existing: id].pendingStatus = requested
            agents[existing: id].pendingRestReason = reason
            withdrawOffers(of: id, why: "agent asked for \(requested.rawValue)")
            reindex(id)
            return
        }
        if agent.status == .rest, requested == .rest, reason != agent.restReason {
            // Another reason for the same break (lunch, then a meeting): the reason changes.
            changeStatus(id, to: .rest, restReason: reason, cause: cause)
            return
        }
        guard Self.allowedSources(for: requested).contains(agent.status) else {
            let message = agent.status == requested.agentStatus
                ? "agent \(id) is already \(agent.status.rawValue)"
                : "agent \(id) cannot go from \(agent.status.rawValue) to \(requested.rawValue)"
            throw RoutingError(.statusNotAllowed, message)
        }
        if agent.status == .arrange { completeWrapUp(id) }
        agents[existing: id].wrapUpUntil = nil
        agents[existing: id].pendingStatus = nil
        agents[existing: id].pendingRestReason = nil
        changeStatus(id, to: requested.agentStatus, restReason: reason, cause: cause)
    }

    /// Sets the status, tells the agent, and keeps routing consistent with it.
    mutating func changeStatus(_ id: AgentID, to status: AgentStatus, restReason: String?, cause: StatusChangeCause) {
        changeStatus(agents.handle(of: id)!, to: status, restReason: restReason, cause: cause)
    }

    /// `changeStatus` of the agent at `handle`: how the routing path, which has the handle, calls it.
    mutating func changeStatus(_ handle: AgentHandle, to status: AgentStatus, restReason: String?, cause: StatusChangeCause) {
        let clock = self.clock
        // Changed in place: this runs twice per routed session.
        let (id, beforeStatus, beforeRestReason, newRestReason) = { (agent: inout AgentState) in
            let before = (agent.status, agent.restReason)
            agent.status = status
            agent.restReason = status == .rest ? restReason : nil
            if status == .free && before.0 != .free { agent.idleSince = clock }
            return (agent.id, before.0, before.1, agent.restReason)
        }(&agents[handle])
        tally.count(beforeStatus, by: -1)
        tally.count(status, by: 1)
        if beforeStatus != status || beforeRestReason != newRestReason {
            notify(id, .statusChanged(StatusChange(status: status, restReason: newRestReason, cause: cause)))
        }
        if status != .free && status != .busy { withdrawOffers(of: id, why: "agent became \(status.rawValue)") }
        reindex(handle)
    }

    /// Reports `sessionCompleted` for the sessions the agent finished since wrap-up last ended.
    mutating func completeWrapUp(_ id: AgentID) {
        completeWrapUp(agents.handle(of: id)!)
    }

    /// `completeWrapUp` of the agent at `handle`.
    mutating func completeWrapUp(_ handle: AgentHandle) {
        // Read in place and emptied keeping its storage: handing the array out left the agent an
        // empty one, and its next finished session allocated it again.
        let (id, count) = agents.withAgent(at: handle) { ($0.id, $0.awaitingCompletion.count) }!
        guard count > 0 else { return }
        for index in 0..<count {
            notify(id, .sessionCompleted(sessionId: agents.withAgent(at: handle) { $0.awaitingCompletion[index] }!))
        }
        agents[handle].awaitingCompletion.removeAll(keepingCapacity: true)
    }

    /// Called when the agent stops holding a session: after the last one, wrap-up then the pending
    /// status (or free).
    mutating func releaseSession(_ session: Session, from id: AgentID) {
        releaseSession(session, from: agents.handle(of: id)!)
    }

    /// `releaseSession` from the agent at `handle`.
    mutating func releaseSession(_ session: Session, from handle: AgentHandle) {
        guard agents[handle].release(session.id, at: clock) else {
            reindex(handle)
            return
        }
        let wrapUp = skillGroups.withExisting(session.skillGroupId) { $0.wrapUpSeconds } ?? 0
        if wrapUp > 0 {
            let deadline = clock.adding(seconds: wrapUp)
            let id = agents.withAgent(at: handle) { agent in
                agent.wrapUpUntil = deadline
                return agent.id
            }!
            schedule(RoutingTimer(deadline: deadline, kind: .wrapUp, subject: id.rawValue))
            changeStatus(handle, to: .arrange, restReason: nil, cause: .sessionEnded)
        } else {
            finishWrapUp(handle, cause: .sessionEnded)
        }
    }

    /// Ends automatic wrap-up (or skips it): the pending status if any, else free.
    mutating func finishWrapUp(_ id: AgentID, cause: StatusChangeCause) {
        finishWrapUp(agents.handle(of: id)!, cause: cause)
    }

    /// `finishWrapUp` of the agent at `handle`.
    mutating func finishWrapUp(_ handle: AgentHandle, cause: StatusChangeCause) {
        completeWrapUp(handle)
        let pending = agents[handle].endWrapUp()
        changeStatus(handle, to: pending.status?.agentStatus ?? .free, restReason: pending.restReason, cause: cause)
    }

    // MARK: Presence

    mutating func connect(_ id: AgentID, _ connection: ConnectionID) throws(RoutingError) {
        let agent = try requireAgent(id)
        if agent.connections.contains(connection) {
            throw RoutingError(.invalidConnection, "connection \(connection) of agent \(id) is already open")
        }
        agents[existing: id].connections.insert(connection)
        agents[existing: id].disconnectedSince = nil
        if agent.status != .offline && !agent.reachable {
            agents[existing: id].reachable = true
        }
        reindex(id)
    }

    mutating func disconnect(_ id: AgentID, _ connection: ConnectionID) throws(RoutingError) {
        let agent = try requireAgent(id)
        guard agent.connections.contains(connection) else {
            throw RoutingError(.invalidConnection, "connection \(connection) of agent \(id) is not open")
        }
        agents[existing: id].connections.remove(connection)
        if agents[existing: id].connections.isEmpty && agent.status != .offline {
            startDisconnectTimers(id)
        }
    }

    mutating func startDisconnectTimers(_ id: AgentID) {
        agents[existing: id].disconnectedSince = clock
        schedule(RoutingTimer(deadline: clock.adding(seconds: configuration.reconnectGraceSeconds), kind: .reconnectGrace, subject: id.rawValue))
        schedule(RoutingTimer(deadline: clock.adding(seconds: configuration.imHoldSeconds), kind: .imHold, subject: id.rawValue))
        if configuration.reconnectGraceSeconds == 0 { fireDueTimers(at: clock) }
    }

    /// The reconnect grace period ran out: no offers until a connection returns; ringing ones move on.
    mutating func reconnectGraceExpired(_ id: AgentID) {
        agents[existing: id].reachable = false
        withdrawOffers(of: id, why: "agent's connection was lost")
        // A call the agent placed has no caller any more: nobody should answer silence.
        for call in callsPlaced(by: id) { endSession(call.id, closeBy: .client, why: "the caller's connection was lost") }
        // A telephone call follows its media, and the agent's side of it is gone: an inbound
        // caller waits for the next agent rather than in silence; an outbound call ends.
        for sessionId in agents[existing: id].held.sorted() {
            guard let session = sessions[sessionId], session.type == .phone else { continue }
            if session.direction == .outbound {
                endSession(sessionId, closeBy: .admin, mainReason: "agentConnectionLost",
                           subReason: "agent \(id)'s connection was lost for \(configuration.reconnectGraceSeconds) s")
            } else {
                returnToQueue(session, from: id, why: "agent's connection was lost for \(configuration.reconnectGraceSeconds) s")
            }
        }
        reindex(id)
    }

    /// Takes an accepted session from an agent whose connection is gone and queues it again,
    /// keeping its place in arrival order.
    mutating func returnToQueue(_ session: Session, from id: AgentID, why: String) {
        agents[existing: id].held.remove(session.id)
        agents[existing: id].removeLoad(session.type)
        notify(id, .autoTransfer(sessionId: session.id))
        record(session.id, .returnedToQueue(agent: id, why: why))
        enqueue(session.id, in: session.skillGroupId, freshDeadline: true)
        emit(.customer(session.id, .queued(skillGroupId: session.skillGroupId)))
        releaseSession(session, from: id)
    }

    /// The hold period ran out: accepted im sessions go back to their queues. Voice-like sessions
    /// follow their media and stay.
    mutating func imHoldExpired(_ id: AgentID) {
        for sessionId in agents[existing: id].held.sorted() where sessions[sessionId]?.type == .im {
            returnToQueue(sessions[sessionId]!, from: id, why: "agent's connection was lost for \(configuration.imHoldSeconds) s")
        }
    }
}
