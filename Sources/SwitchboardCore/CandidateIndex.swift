import HeapModule

/// An agent ranked for one skill group by the group's strategy: the smallest key goes first.
struct Candidate: Comparable, Sendable {
    var primary: Int64
    var secondary: Int64
    var agent: AgentID
    /// Where the agent is stored: the index reaches it without looking its id up.
    var handle: AgentHandle
    /// The agent's routing stamp when ranked; a different current stamp makes this entry stale.
    var stamp: UInt64

    static func < (lhs: Candidate, rhs: Candidate) -> Bool {
        if lhs.primary != rhs.primary { return lhs.primary < rhs.primary }
        if lhs.secondary != rhs.secondary { return lhs.secondary < rhs.secondary }
        return lhs.agent < rhs.agent
    }

    static func == (lhs: Candidate, rhs: Candidate) -> Bool {
        lhs.primary == rhs.primary && lhs.secondary == rhs.secondary && lhs.agent == rhs.agent
    }
}

/// A skill group's routable agents, best first, so a routing decision costs O(log agents) instead
/// of a scan of every member. Entries go stale when an agent's stamp changes and are dropped when met.
struct CandidateIndex: Sendable {
    private(set) var heap = Heap<Candidate>()

    var count: Int { heap.count }

    mutating func insert(_ candidate: Candidate) { heap.insert(candidate) }

    mutating func popBest() -> Candidate? { heap.popMin() }

    mutating func rebuild(_ candidates: [Candidate]) { heap = Heap(candidates) }
}
