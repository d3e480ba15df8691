extension RoutingStateMachine {
    /// An agent's status, as `Agent.getStatus()` reports it; nil for an unknown agent.
    public func status(of agent: AgentID) -> AgentStatus? { agents[agent]?.status }

    /// The sessions waiting in a group's queue, first in line first.
    public func queue(of group: SkillGroupID) -> [SessionID] {
        guard let queue = queues[group] else { return [] }
        return queue.priorities.flatMap { queue.levels[$0]!.filter(isLive).map(\.session) }
    }

    /// How many sessions wait in a group's queue.
    public func waitingCount(of group: SkillGroupID) -> Int { waitingCounts[group] ?? 0 }

    /// A waiting session's place in its queue, 1 for the next in line; nil when not waiting.
    public func queuePosition(of session: SessionID) -> Int? {
        guard let found = sessions[session], found.state == .queued else { return nil }
        return queue(of: found.skillGroupId).firstIndex(of: session).map { $0 + 1 }
    }

    /// Whether routing may offer `session` to `agent` now: online, reachable, free (or busy with
    /// room), no pending status, a member of the session's group, not passed over, with capacity
    /// (and room under the group's `maxConcurrency`).
    public func isEligible(_ agent: AgentID, for session: SessionID) -> Bool {
        guard let sessionState = sessions[session], let group = skillGroups[sessionState.skillGroupId] else { return false }
        return canOffer(sessionState, to: agent, in: group)
    }
}

extension RoutingStateMachine {
    /// Whom `agentId` may transfer to: every skill group with its waiting count, and every other
    /// online agent with its status. Given a `session` the agent holds, each colleague also says
    /// whether a transfer of that session to it would be carried out now, by the rules of
    /// `Chat.transfer` (and why not). Reads only: the state is unchanged whatever the outcome.
    ///
    /// - Throws: ``RoutingError`` when the agent does not exist, or when `session` does not exist
    ///   or is not one the agent could transfer now (the errors `Chat.transfer` gives).
    public func transferDirectory(for agentId: AgentID, session sessionId: SessionID? = nil) throws(RoutingError) -> TransferDirectory {
        _ = try requireAgent(agentId)
        let session = try sessionId.map { id throws(RoutingError) in try requireTransferable(id, by: agentId) }
        let groups = skillGroups.values.map { group in
            TransferDirectory.Group(
                id: group.id, name: group.name, waiting: waitingCount(of: group.id),
                membersOnline: (members[group.id] ?? []).count { agents[$0].map { $0.status != .offline } ?? false })
        }
        let colleagues = agents.values.filter { $0.id != agentId && $0.status != .offline }.map { agent in
            TransferDirectory.Colleague(
                id: agent.id, name: agent.profile.name, status: agent.status, reachable: agent.reachable,
                skillGroupIds: agent.profile.memberships.keys.sorted(),
                availability: session.map { availability(of: agent.id, for: $0) })
        }
        return TransferDirectory(
            session: session?.id,
            groups: groups.sorted { ($0.name, $0.id) < ($1.name, $1.id) },
            colleagues: colleagues.sorted { ($0.name, $0.id) < ($1.name, $1.id) })
    }

    /// Whether `Chat.transfer` of `session` to the named agent would pass its checks on the target.
    private func availability(of agentId: AgentID, for session: Session) -> TransferDirectory.Availability {
        do throws(RoutingError) {
            // A transfer naming only the agent keeps the session in its group: that group's
            // concurrency limit applies.
            try requireReachableTarget(agentId, for: session.type, in: session.skillGroupId, purpose: "take a transfer")
            return .available
        } catch {
            return .unavailable(why: error.message)
        }
    }
}
