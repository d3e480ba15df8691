/// How many live sessions are in each state and how many agents are in each status, kept as they
/// change so that a metrics scrape never has to walk every session and agent.
public struct RoutingTally: Equatable, Sendable {
    /// Live sessions waiting in a queue.
    public internal(set) var queued = 0
    /// Live sessions ringing at an agent.
    public internal(set) var ringing = 0
    /// Live sessions held by an agent.
    public internal(set) var accepted = 0
    /// Agents by status; a status no agent has is absent.
    public internal(set) var agentsByStatus: [AgentStatus: Int] = [:]

    mutating func count(_ state: SessionState, by delta: Int) {
        switch state {
        case .queued: queued += delta
        case .ringing: ringing += delta
        case .accepted: accepted += delta
        }
    }

    mutating func count(_ status: AgentStatus, by delta: Int) {
        // Zeros are dropped so that two equal tallies compare equal however they were reached.
        let count = agentsByStatus[status, default: 0] + delta
        agentsByStatus[status] = count == 0 ? nil : count
    }
}

extension RoutingStateMachine {
    /// Moves a live session to `state`, keeping ``tally`` in step.
    mutating func setState(of sessionId: SessionID, to state: SessionState) {
        tally.count(sessions[existing: sessionId].state, by: -1)
        sessions[existing: sessionId].state = state
        tally.count(state, by: 1)
    }

    /// When the longest-waiting session in a group's queue was created; nil when none waits.
    ///
    /// Arrival order follows creation order, so within each priority the first live entry is that
    /// priority's oldest: this looks at one head per priority (skipping the stale entries that
    /// dispatch has not dropped yet), never at the whole queue.
    public func oldestWaitingSince(in group: SkillGroupID) -> Timestamp? {
        guard waitingCount(of: group) > 0, let queue = queues[group] else { return nil }
        var oldest: Timestamp?
        for priority in queue.priorities {
            guard let head = queue.levels[priority]!.first(where: isLive), let session = sessions[head.session] else { continue }
            if oldest.map({ session.createdAt < $0 }) ?? true { oldest = session.createdAt }
        }
        return oldest
    }
}
