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
    public var agentsByStatus: [AgentStatus: Int] {
        var result: [AgentStatus: Int] = [:]
        for status in AgentStatus.allCases where agentCounts[status.tallyIndex] != 0 {
            result[status] = agentCounts[status.tallyIndex]
        }
        return result
    }

    /// Agents by status, indexed by ``AgentStatus/tallyIndex``: counted twice per status change,
    /// where a dictionary keyed by the status hashed it (a fresh SipHash) each time.
    private var agentCounts = [Int](repeating: 0, count: AgentStatus.allCases.count)

    mutating func count(_ state: SessionState, by delta: Int) {
        switch state {
        case .queued: queued += delta
        case .ringing: ringing += delta
        case .accepted: accepted += delta
        }
    }

    mutating func count(_ status: AgentStatus, by delta: Int) {
        agentCounts[status.tallyIndex] += delta
    }
}

extension AgentStatus {
    /// The status's place in ``RoutingTally``'s counts.
    var tallyIndex: Int {
        switch self {
        case .free: 0
        case .busy: 1
        case .arrange: 2
        case .notReady: 3
        case .rest: 4
        case .offline: 5
        }
    }
}

extension RoutingStateMachine {
    /// Moves a live session to `state`, keeping ``tally`` in step.
    mutating func setState(of sessionId: SessionID, to state: SessionState) {
        // One access, in place: reading `sessions[existing:].state` copied the whole session out.
        let before = sessions.withExisting(sessionId) { session in
            defer { session.state = state }
            return session.state
        }!
        tally.count(before, by: -1)
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
