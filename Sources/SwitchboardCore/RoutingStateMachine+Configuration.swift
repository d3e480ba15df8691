extension RoutingStateMachine {
    mutating func upsertSkillGroup(_ group: SkillGroup) throws(RoutingError) {
        try group.validate()
        if let overflow = group.overflowGroupId {
            _ = try requireGroup(overflow)
            // Follow the overflow chain as it would be after the change: a loop would bounce a
            // customer between queues forever.
            var seen: [SkillGroupID] = [group.id]
            var next: SkillGroupID? = overflow
            while let current = next {
                if seen.contains(current) {
                    let loop = (seen + [current]).map(\.rawValue).joined(separator: " → ")
                    throw RoutingError(.invalidConfiguration, "overflow from \(group.id) to \(overflow) would form a loop: \(loop)")
                }
                seen.append(current)
                next = current == group.id ? group.overflowGroupId : skillGroups[current]?.overflowGroupId
            }
        }
        let previous = skillGroups[group.id]
        skillGroups[group.id] = group
        if previous == nil {
            queues[group.id] = SessionQueue()
            waitingCounts[group.id] = 0
            candidates[group.id] = CandidateIndex()
            members[group.id] = members[group.id] ?? []
            lastOffers[group.id] = [:]
        }
        if previous?.strategy != group.strategy { rebuildCandidates(group.id) }
        if let previous, previous.imInactivityTimeoutSeconds != group.imInactivityTimeoutSeconds {
            for id in sessions.keys.sorted() where sessions[existing: id].skillGroupId == group.id {
                if rules >= 2 {
                    // Live chats follow the new setting at once, from their last message.
                    scheduleInactivityTimer(id)
                } else {
                    // Rules 1: the running timer no longer matched the setting and was dropped.
                    sessions[existing: id].inactivityDeadline = nil
                }
            }
        }
        dirtyGroups.insert(group.id)
        // Other settings apply to what happens from now on, except two more that would otherwise
        // leave sessions stuck or over their new limit. Only then are the group's sessions looked up.
        guard let previous else { return }
        let newLimit = previous.maxSessionSeconds != group.maxSessionSeconds
        let transferBackOn = !previous.timeoutTransfer && group.timeoutTransfer && group.offerTimeoutSeconds > 0
        guard newLimit || transferBackOn else { return }
        let live = sessions.values.filter { $0.skillGroupId == group.id }.map(\.id).sorted()
        if newLimit {
            // A new limit counts from each accepted session's first accept; one already over it ends now.
            for id in live { scheduleDurationLimit(id) }
        }
        if transferBackOn {
            // Offers that rang out while timeout transfer was off, ringing on with no deadline,
            // move on now as if they had just rung out.
            for id in live {
                guard let session = sessions[id], case .ringing(let agent, nil) = session.state, session.directedTo != agent else { continue }
                offerTimedOut(id)
            }
        }
    }

    mutating func removeSkillGroup(_ id: SkillGroupID) throws(RoutingError) {
        _ = try requireGroup(id)
        if let waiting = sessions.values.first(where: { $0.skillGroupId == id }) {
            throw RoutingError(.inUse, "skill group \(id) still has live sessions (\(waiting.id)); end or transfer them first")
        }
        if let source = skillGroups.values.filter({ $0.overflowGroupId == id }).map(\.id).min() {
            throw RoutingError(.inUse, "skill group \(id) is the overflow of \(source); change that group first")
        }
        if let number = phoneNumber(boundTo: id) {
            throw RoutingError(.inUse, "skill group \(id) answers phone number \(number); bind the number elsewhere or remove it first")
        }
        if let flow = ivrFlow(queueingTo: id) {
            throw RoutingError(.inUse, "skill group \(id) is where IVR flow \(flow) queues calls; change the flow first")
        }
        if let agentIds = members[id], !agentIds.isEmpty {
            let names = agentIds.sorted().prefix(5).map(\.rawValue).joined(separator: ", ")
            throw RoutingError(.inUse, "skill group \(id) still has members (\(names)); remove them from it first")
        }
        skillGroups[id] = nil
        queues[id] = nil
        waitingCounts[id] = nil
        candidates[id] = nil
        members[id] = nil
        lastOffers[id] = nil
        dirtyGroups.remove(id)
    }

    mutating func upsertAgent(_ profile: AgentProfile) throws(RoutingError) {
        try profile.validate()
        for group in profile.memberships.keys.sorted() { _ = try requireGroup(group) }
        if let existing = agents[profile.id] {
            for group in existing.profile.memberships.keys where profile.memberships[group] == nil {
                members[group]?.remove(profile.id)
            }
            agents[existing: profile.id].profile = profile
        } else {
            agents.insert(AgentState(profile: profile, at: clock))
            tally.count(AgentStatus.offline, by: 1)
        }
        for group in profile.memberships.keys { members[group, default: []].insert(profile.id) }
        reindex(profile.id)
    }

    mutating func removeAgent(_ id: AgentID) throws(RoutingError) {
        let agent = try requireAgent(id)
        if agent.status != .offline {
            throw RoutingError(.inUse, "agent \(id) is \(agent.status.rawValue): it must go offline before it can be removed")
        }
        for group in agent.profile.memberships.keys {
            members[group]?.remove(id)
            lastOffers[group]?[id] = nil
        }
        // An agent made again under this id later is another person: no returning customers.
        lastSeats.forget(id)
        agents.remove(id)
        tally.count(agent.status, by: -1)
    }

    mutating func configure(_ newConfiguration: RoutingConfiguration) throws(RoutingError) {
        try newConfiguration.validate()
        configuration = newConfiguration
        // Timers of disconnected agents follow the new grace and hold periods.
        for timer in impliedTimers() where timer.kind == .reconnectGrace || timer.kind == .imHold { schedule(timer) }
        for id in agents.keys.sorted() { reindex(id) }
    }
}
