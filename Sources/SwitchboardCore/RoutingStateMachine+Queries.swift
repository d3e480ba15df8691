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
