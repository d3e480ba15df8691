extension RoutingStateMachine {
    static let maximumPassedOverRecorded = 10

    // MARK: Queues

    /// Puts a session into a group's queue, keeping its arrival turn. A fresh deadline starts the
    /// group's queue timeout anew (new sessions, transfers, overflow); otherwise the old one holds
    /// (a missed or withdrawn offer does not reset the customer's wait).
    mutating func enqueue(_ sessionId: SessionID, in groupId: SkillGroupID, freshDeadline: Bool) {
        let queueTimeout = skillGroups.withExisting(groupId) { $0.queueTimeoutSeconds }!
        if freshDeadline {
            sessions[existing: sessionId].queueDeadline = queueTimeout > 0 ? clock.adding(seconds: queueTimeout) : nil
        }
        let ticket = counters.nextTicket
        counters.nextTicket += 1
        sessions[existing: sessionId].skillGroupId = groupId
        setState(of: sessionId, to: .queued)
        // The fields the queue needs, read in place after the changes above.
        let session = sessions.withExisting(sessionId) { session in
            session.queueTicket = ticket
            return (arrival: session.arrival, priority: session.priority, queueDeadline: session.queueDeadline)
        }!
        queues[existing: groupId].insert(.init(session: sessionId, arrival: session.arrival, ticket: ticket), priority: session.priority)
        waitingCounts[groupId, default: 0] += 1
        record(sessionId, .queued(skillGroupId: groupId))
        dirtyGroups.insert(groupId)
        if let deadline = session.queueDeadline {
            if deadline <= clock {
                queueTimedOut(sessionId)
            } else {
                schedule(RoutingTimer(deadline: deadline, kind: .queueTimeout, subject: sessionId.rawValue))
            }
        }
    }

    /// The session waited its group's queue timeout: overflow, or end with `closeBy: 'timer'`.
    mutating func queueTimedOut(_ sessionId: SessionID) {
        let session = sessions[sessionId]!
        waitingCounts[session.skillGroupId, default: 1] -= 1
        sessions[existing: sessionId].queueTicket = 0
        if let overflow = skillGroups[session.skillGroupId]?.overflowGroupId {
            record(sessionId, .overflowed(from: session.skillGroupId, to: overflow))
            enqueue(sessionId, in: overflow, freshDeadline: true)
            // A session accepted before (then transferred into the queue) keeps its duration limit.
            if sessions[sessionId] != nil { scheduleDurationLimit(sessionId) }
            emit(.customer(sessionId, .queued(skillGroupId: overflow)))
        } else {
            // Counted back so that endSession's queued branch balances.
            waitingCounts[session.skillGroupId, default: 0] += 1
            endSession(sessionId, closeBy: .timer, why: "queue timeout")
        }
    }

    func isLive(_ entry: SessionQueue.Entry) -> Bool {
        guard let session = sessions[entry.session] else { return false }
        return session.state == .queued && session.queueTicket == entry.ticket
    }

    // MARK: Candidates

    /// Re-ranks an agent after anything that routing looks at changed (status, load, idle time,
    /// connection). Older index entries become stale; groups it can serve are marked for dispatch.
    mutating func reindex(_ id: AgentID) {
        guard let handle = agents.handle(of: id) else { return }
        reindex(handle)
    }

    /// `reindex` of the agent at `handle`: how the routing path, which has the handle, calls it.
    mutating func reindex(_ handle: AgentHandle) {
        let stamp = counters.nextStamp
        counters.nextStamp += 1
        let (defaultImCapacity, allowVoiceWithIm) = (configuration.defaultImCapacity, configuration.allowVoiceWithIm)
        // Stamped and read in place: this runs several times per routed session.
        let ranking = { (agent: inout AgentState) -> Ranking? in
            agent.routingStamp = stamp
            return agent.isIndexed(defaultImCapacity: defaultImCapacity, allowVoiceWithIm: allowVoiceWithIm) ? Ranking(agent, at: handle) : nil
        }(&agents[handle])
        guard let ranking else { return }
        for groupId in ranking.memberships.keys {
            // The strategy read in place, which also tells whether the group exists: one lookup
            // where checking the group and reading its strategy (a copy of the whole group,
            // through `values[index]`) were two, for each group of each agent reindexed.
            guard let strategy = skillGroups.withExisting(groupId, { $0.strategy }) else { continue }
            let entry = candidate(ranking, in: groupId, by: strategy)
            let entries = candidates.withExisting(groupId) { index in
                index.insert(entry)
                return index.count
            }!
            if entries > 4 * (members[groupId]?.count ?? 0) + 64 { rebuildCandidates(groupId) }
            if waitingCounts[groupId, default: 0] > 0 { dirtyGroups.insert(groupId) }
        }
    }

    /// Whether the agent belongs in its groups' candidate indexes (``AgentState/isIndexed(configuration:)``).
    func isIndexed(_ agent: AgentState) -> Bool {
        agent.isIndexed(configuration: configuration)
    }

    /// What the strategies rank an agent by, taken out of its state.
    struct Ranking {
        var id: AgentID
        var handle: AgentHandle
        var idleSince: Timestamp
        var activeSessions: Int
        var memberships: [SkillGroupID: Membership]
        var stamp: UInt64

        init(_ agent: AgentState, at handle: AgentHandle) {
            id = agent.id
            self.handle = handle
            idleSince = agent.idleSince
            activeSessions = agent.activeSessions
            memberships = agent.profile.memberships
            stamp = agent.routingStamp
        }
    }

    /// The agent's entry in the group's index, ranked by the group's strategy.
    func candidate(_ agent: Ranking, in groupId: SkillGroupID, by strategy: RoutingStrategy) -> Candidate {
        let idle = agent.idleSince.milliseconds
        let primary: Int64
        let secondary: Int64
        switch strategy {
        case .longestIdle: (primary, secondary) = (idle, 0)
        case .roundRobin: (primary, secondary) = (Int64(lastOffers[groupId]?[agent.id] ?? 0), 0)
        case .leastActive: (primary, secondary) = (Int64(agent.activeSessions), idle)
        case .skillLevel: (primary, secondary) = (Int64(agent.memberships[groupId]?.skillLevel ?? 5), idle)
        }
        return Candidate(primary: primary, secondary: secondary, agent: agent.id, handle: agent.handle, stamp: agent.stamp)
    }

    mutating func rebuildCandidates(_ groupId: SkillGroupID) {
        guard let strategy = skillGroups.withExisting(groupId, { $0.strategy }) else { return }
        let (defaultImCapacity, allowVoiceWithIm) = (configuration.defaultImCapacity, configuration.allowVoiceWithIm)
        let memberIds = members[groupId] ?? []
        var ranked: [Candidate] = []
        ranked.reserveCapacity(memberIds.count)
        // Each member read where it is stored: a rebuild walks every member of the group, and
        // copying each agent out was a few per cent of a routing run.
        for id in memberIds {
            guard let handle = agents.handle(of: id), let ranking = agents.withAgent(at: handle, { agent in
                agent.isIndexed(defaultImCapacity: defaultImCapacity, allowVoiceWithIm: allowVoiceWithIm) ? Ranking(agent, at: handle) : nil
            }) ?? nil else { continue }
            ranked.append(candidate(ranking, in: groupId, by: strategy))
        }
        candidates[existing: groupId].rebuild(ranked)
    }

    // MARK: Dispatch

    /// Offers waiting sessions to eligible agents in every group where something changed, until
    /// no waiting session has an eligible agent.
    mutating func dispatch() {
        while !dirtyGroups.isEmpty {
            // Most commands touch one group: no sorted copy then. The set keeps its storage, so
            // marking a group on the next command allocates nothing.
            if dirtyGroups.count == 1 {
                let group = dirtyGroups.first!
                dirtyGroups.removeAll(keepingCapacity: true)
                if skillGroups.index(forKey: group) != nil { dispatch(group) }
                continue
            }
            let groups = dirtyGroups.sorted()
            dirtyGroups.removeAll(keepingCapacity: true)
            for group in groups where skillGroups.index(forKey: group) != nil { dispatch(group) }
        }
    }

    /// An agent an offer rings at: who, where it is stored, and why it was chosen.
    typealias Offeree = (agent: AgentID, handle: AgentHandle, reason: OfferReason)

    private enum Search {
        /// The agent to ring (the best, for a ring-all group) and the other agents of a ring-all
        /// group, best first, each with its reason. The usual single agent needs no array.
        case found(first: Offeree, others: [Offeree])
        /// Nobody routable is left in the group.
        case nobody
        /// Routable agents exist, but none for this session (excluded, or no capacity for its type).
        case noneForThisSession(capacityBlocked: Bool)
    }

    private mutating func dispatch(_ groupId: SkillGroupID) {
        guard waitingCounts[groupId, default: 0] > 0, queues.index(forKey: groupId) != nil else { return }
        // Each pass holds a reference to `sessions` only while it reads; holding it across a
        // mutation would copy every session.
        pruneQueue(groupId, compacting: false)
        // The scan reads a copy of the queue and ends before the queue is pruned again, so that
        // pruning does not copy the entries either.
        scanQueue(queues[groupId]!, of: skillGroups[groupId]!)
        pruneQueue(groupId, compacting: true)
    }

    private mutating func pruneQueue(_ groupId: SkillGroupID, compacting: Bool) {
        let sessions = self.sessions
        let isLive = { (entry: SessionQueue.Entry) -> Bool in
            guard let session = sessions[entry.session] else { return false }
            return session.state == .queued && session.queueTicket == entry.ticket
        }
        if compacting {
            queues[existing: groupId].compact(liveCount: waitingCounts[groupId, default: 0], isLive: isLive)
        } else {
            queues[existing: groupId].dropStaleHead(isLive: isLive)
        }
    }

    /// Walks the queue in order and offers each waiting session to the best eligible agent (or
    /// to every eligible agent, in a ring-all group).
    ///
    /// The group is read once for the whole scan (a skill group is a few hundred bytes with a
    /// dozen references: copying it out for every decision and offer was a tenth of the core's
    /// time); nothing in a scan changes a group's settings.
    private mutating func scanQueue(_ queue: SessionQueue, of group: SkillGroup) {
        // Voice-like and im sessions can be blocked by capacity separately; once a kind is
        // blocked, later sessions of that kind are skipped without searching again.
        var blockedVoice = false
        var blockedIm = false
        scan: for priority in queue.priorities {
            for entry in queue.levels[priority]! {
                // Only the type is read, where the session is stored: copying each session out
                // (two hundred bytes and half a dozen references) was the largest copy of a scan.
                let waiting = sessions.withExisting(entry.session) { session in
                    session.state == .queued && session.queueTicket == entry.ticket ? session.type : nil
                }
                guard let type = waiting ?? nil else { continue }
                if type.isVoiceLike ? blockedVoice : blockedIm { continue }
                switch findAgents(for: entry.session, of: type, in: group) {
                case .found(let first, let others):
                    offer(entry.session, of: group, to: first, others: others)
                case .nobody:
                    break scan
                case .noneForThisSession(let capacityBlocked):
                    if capacityBlocked {
                        if type.isVoiceLike { blockedVoice = true } else { blockedIm = true }
                        if blockedVoice && blockedIm { break scan }
                    }
                }
            }
        }
    }

    private mutating func findAgents(for sessionId: SessionID, of type: SessionType, in group: SkillGroup) -> Search {
        let groupId = group.id
        // A returning customer's last agent goes first, alone, whatever the strategy would pick.
        if group.usingLastSeat, let session = sessions[sessionId], let customer = session.returningCustomerKey,
           let last = lastSeats.agent(for: customer), canOffer(session, to: last, in: group) {
            var reason = Self.reason(for: agents[last]!, in: group, at: clock, passedOver: [])
            reason.lastSeat = true
            return .found(first: (last, agents.handle(of: last)!, reason), others: [])
        }
        // Arrays are made only when someone is passed over or a ring-all group rings several:
        // the usual decision (the best candidate takes it) allocates nothing here.
        var skipped: [Candidate] = []
        var passedOver: [OfferReason.PassedOver] = []
        var excludedCount = 0
        var best: Candidate?
        var others: [Candidate] = []
        var taken = 0
        let (defaultImCapacity, allowVoiceWithIm) = (configuration.defaultImCapacity, configuration.allowVoiceWithIm)
        let countsRoom = type == .im && group.maxConcurrency > 0
        while let candidate = candidates[existing: groupId].popBest() {
            // Read where the agent is stored, reached by its handle: copying an agent out (a few
            // hundred bytes and a dozen references) for each candidate met was the largest cost
            // of a decision, and looking its id up the next. Nil: a stale entry (a fresher one
            // exists if the agent is still routable), or its agent was removed. A handle given
            // to a newer agent is stale too: every stamp is given to one agent only.
            let hasCapacity: Bool? = agents.withAgent(at: candidate.handle) { agent in
                guard agent.routingStamp == candidate.stamp, agent.profile.memberships[groupId] != nil, agent.isRoutable else { return nil }
                return agent.hasCapacity(for: type, defaultImCapacity: defaultImCapacity, allowVoiceWithIm: allowVoiceWithIm)
            } ?? nil
            guard let hasCapacity else { continue }
            let agentId = candidate.agent
            // Every entry taken goes back, except the chosen ones: the offer restamps them, which
            // would make them stale anyway.
            taken += 1
            let why: String
            if !hasCapacity {
                why = "no capacity for a \(type.rawValue) session"
            } else if countsRoom, !hasRoom(agents[candidate.handle], for: type, in: group) {
                why = "has \(group.maxConcurrency) im sessions of this group, its maxConcurrency"
            } else if sessions.withExisting(sessionId, { $0.excludedAgents.contains(agentId) })! {
                why = "missed or transferred this session before"
                excludedCount += 1
            } else {
                if best == nil { best = candidate } else { others.append(candidate) }
                if group.ringAll { continue } else { break }
            }
            skipped.append(candidate)
            if passedOver.count < Self.maximumPassedOverRecorded { passedOver.append(.init(agent: agentId, why: why)) }
        }
        for candidate in skipped { candidates[existing: groupId].insert(candidate) }
        guard let best else {
            // Only when every routable agent lacks capacity for this type (or room in this
            // group) is the type blocked for the rest of the scan: exclusions differ from
            // session to session.
            return taken == 0 ? .nobody : .noneForThisSession(capacityBlocked: excludedCount == 0)
        }
        let now = clock
        func ranked(_ chosen: Candidate) -> Offeree {
            // Read where the agent is stored.
            var reason = agents.withAgent(at: chosen.handle) { Self.reason(for: $0, in: group, at: now, passedOver: passedOver) }!
            reason.ringAll = group.ringAll
            return (chosen.agent, chosen.handle, reason)
        }
        return .found(first: ranked(best), others: others.map(ranked))
    }

    /// Why the agent was chosen, at time `now`.
    private static func reason(for agent: AgentState, in group: SkillGroup, at now: Timestamp, passedOver: [OfferReason.PassedOver]) -> OfferReason {
        OfferReason(
            strategy: group.strategy, skillLevel: agent.profile.memberships[group.id]?.skillLevel,
            idleMilliseconds: now.milliseconds - agent.idleSince.milliseconds, activeSessions: agent.activeSessions,
            passedOver: passedOver)
    }

    /// Whether routing may offer `session` to the agent now, as a member of `group`.
    func canOffer(_ session: Session, to id: AgentID, in group: SkillGroup) -> Bool {
        guard let agent = agents[id], agent.profile.memberships[group.id] != nil, agent.isRoutable else { return false }
        return agent.hasCapacity(for: session.type, configuration: configuration)
            && hasRoom(agent, for: session.type, in: group)
            && !session.excludedAgents.contains(id)
    }

    /// Whether the group's `maxConcurrency` leaves the agent room for one more session of `type`:
    /// it counts the group's im sessions ringing at or held by the agent.
    func hasRoom(_ agent: AgentState, for type: SessionType, in group: SkillGroup) -> Bool {
        guard type == .im, group.maxConcurrency > 0 else { return true }
        var count = 0
        for id in agent.ringing where sessions[id].map({ $0.type == .im && $0.skillGroupId == group.id }) ?? false { count += 1 }
        for id in agent.held where sessions[id].map({ $0.type == .im && $0.skillGroupId == group.id }) ?? false { count += 1 }
        return count < group.maxConcurrency
    }

    func directedReason(_ id: AgentID, group: SkillGroupID) -> OfferReason {
        let agent = agents[id]!
        return OfferReason(
            strategy: nil, skillLevel: agent.profile.memberships[group]?.skillLevel,
            idleMilliseconds: clock.milliseconds - agent.idleSince.milliseconds, activeSessions: agent.activeSessions,
            passedOver: [])
    }

    /// Rings a session at an agent: capacity is taken here, in the same step as the decision.
    mutating func offer(_ sessionId: SessionID, to agentId: AgentID, reason: OfferReason) {
        let groupId = sessions.withExisting(sessionId) { $0.skillGroupId }!
        offer(sessionId, of: skillGroups[groupId]!, to: (agentId, agents.handle(of: agentId)!, reason), others: [])
    }

    /// Rings a session at one agent, or at several together (ring all): the first listed is the
    /// state's agent, the others ring beside it. Each agent's capacity is taken here.
    /// `group` is the caller's copy; the session's fields the offer needs are read once, before
    /// it changes the stored session (copying the whole session out was most of a scan's copies).
    private mutating func offer(
        _ sessionId: SessionID, of group: SkillGroup, to first: Offeree, others: [Offeree]
    ) {
        let session = sessions.withExisting(sessionId) { session in
            (wasQueued: session.state == .queued, skillGroupId: session.skillGroupId, type: session.type, customer: session.customer)
        }!
        if session.wasQueued { waitingCounts[session.skillGroupId, default: 1] -= 1 }
        let deadline = group.offerTimeoutSeconds > 0 ? clock.adding(seconds: group.offerTimeoutSeconds) : nil
        setState(of: sessionId, to: .ringing(agent: first.agent, deadline: deadline))
        sessions[existing: sessionId].alsoRinging = others.isEmpty ? nil : Set(others.map(\.agent))
        sessions[existing: sessionId].offerCount += 1
        sessions[existing: sessionId].queueTicket = 0
        if let deadline { schedule(RoutingTimer(deadline: deadline, kind: .offerTimeout, subject: sessionId.rawValue)) }
        for index in 0...others.count {
            let (agentId, handle, reason) = index == 0 ? first : others[index - 1]
            agents[handle].ring(sessionId, type: session.type, at: clock)
            lastOffers[session.skillGroupId, default: [:]][agentId] = counters.nextOffer
            counters.nextOffer += 1
            record(sessionId, .offered(agent: agentId, reason: reason))
            if index == 0 { emit(.customer(sessionId, .ringing)) }
            notify(agentId, .callIn(Offer(
                sessionId: sessionId, type: session.type, timeout: group.offerTimeoutSeconds,
                skillGroupId: session.skillGroupId, customer: session.customer, reason: reason)))
            reindex(handle)
        }
    }

    /// Takes the agent out of a ring-all offer that still rings at others; false when the agent
    /// is the only one it rings at (the caller then routes the session on).
    mutating func leaveRingAll(_ sessionId: SessionID, _ agentId: AgentID) -> Bool {
        guard var others = sessions[existing: sessionId].alsoRinging, case .ringing(let first, let deadline) = sessions[existing: sessionId].state else {
            return false
        }
        if first == agentId {
            let next = others.min()!
            others.remove(next)
            setState(of: sessionId, to: .ringing(agent: next, deadline: deadline))
        } else {
            others.remove(agentId)
        }
        sessions[existing: sessionId].alsoRinging = others.isEmpty ? nil : others
        return true
    }

    /// Whether a session whose offer went unanswered returns to its queue with a fresh queue
    /// timeout: one offered from the queue keeps its deadline (its wait goes on); one handed to a
    /// named agent by a transfer (no deadline since, under rules 2) starts a new wait.
    func returnsWithFreshDeadline(_ session: Session) -> Bool {
        rules >= 2 && session.queueDeadline == nil && session.acceptedAt != nil
    }

    /// Takes back every offer ringing at the agent and routes the sessions on; not a miss. A
    /// ring-all offer goes on ringing at its other agents.
    mutating func withdrawOffers(of agentId: AgentID, why: String) {
        guard let ringing = agents[agentId]?.ringing, !ringing.isEmpty else { return }
        for sessionId in ringing.sorted() {
            let session = sessions[sessionId]!
            if session.directedTo == agentId {
                endSession(sessionId, closeBy: .timer, why: "agent \(agentId) could not answer: \(why)")
                continue
            }
            agents[existing: agentId].ringing.remove(sessionId)
            agents[existing: agentId].removeLoad(session.type)
            notify(agentId, .autoTransfer(sessionId: sessionId))
            record(sessionId, .withdrawn(agent: agentId, why: why))
            if !leaveRingAll(sessionId, agentId) {
                enqueue(sessionId, in: session.skillGroupId, freshDeadline: returnsWithFreshDeadline(session))
            }
        }
        reindex(agentId)
    }

    /// The offer rang out. With the group's timeout transfer on (the default), every agent it rang
    /// at is passed over for this session from now on and put in the group's missed-offer status,
    /// and the session moves on; a ring-all offer is one miss for each of its agents. With it off,
    /// the session keeps ringing where it is, with no deadline.
    mutating func offerTimedOut(_ sessionId: SessionID) {
        let session = sessions[sessionId]!
        guard case .ringing(let agentId, _) = session.state else { return }
        if session.directedTo == agentId {
            // A colleague's call to this agent rang out: nobody else was called, so it ends; the
            // agent is not put in the missed-offer status for a colleague's call.
            record(sessionId, .missed(agent: agentId))
            endSession(sessionId, closeBy: .timer, why: "not answered")
            return
        }
        let group = skillGroups[session.skillGroupId]!
        let rung = session.ringingAgents
        if !group.timeoutTransfer {
            setState(of: sessionId, to: .ringing(agent: agentId, deadline: nil))
            for agent in rung { record(sessionId, .overdue(agent: agent)) }
            return
        }
        sessions[existing: sessionId].alsoRinging = nil
        for agent in rung {
            agents[existing: agent].ringing.remove(sessionId)
            agents[existing: agent].removeLoad(session.type)
            sessions[existing: sessionId].excludedAgents.insert(agent)
            notify(agent, .autoTransfer(sessionId: sessionId))
            record(sessionId, .missed(agent: agent))
        }
        enqueue(sessionId, in: session.skillGroupId, freshDeadline: returnsWithFreshDeadline(session))
        for agent in rung {
            applyMissedOfferStatus(agent, group.missedOfferStatus)
            reindex(agent)
        }
    }

    /// Puts an agent that let an offer ring out in the group's missed-offer status: at once when
    /// free, as its pending status (withdrawing its other offers) when busy.
    private mutating func applyMissedOfferStatus(_ agentId: AgentID, _ missedStatus: AgentStatus) {
        let agent = agents[agentId]!
        let requested: RequestedStatus? = switch missedStatus {
        case .notReady: .notReady
        case .rest: .rest
        default: nil
        }
        let reason = requested == .rest ? "missed an offer" : nil
        guard let requested else { return }
        if agent.status == .busy {
            if agent.pendingStatus == nil {
                agents[existing: agentId].pendingStatus = requested
                agents[existing: agentId].pendingRestReason = reason
            }
            withdrawOffers(of: agentId, why: "agent missed another offer")
        } else if agent.status == .free {
            changeStatus(agentId, to: requested.agentStatus, restReason: reason, cause: .missedOffer)
        }
    }
}
