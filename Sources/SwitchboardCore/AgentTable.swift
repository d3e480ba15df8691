/// An agent's place in ``AgentTable``: a dense number, valid while the agent exists. A removed
/// agent's handle goes to the next agent made; routing entries that still name it are told
/// apart by their stamp (``AgentState/routingStamp``), which a new agent never shares.
struct AgentHandle: Hashable, Sendable {
    let index: Int
}

/// The agents, by id, read like a dictionary (`agents[id]`, `keys`, `values`, `count`).
///
/// Stored in an array indexed by ``AgentHandle``, with the ids mapped to handles at the edge: a
/// command looks its agent up by id once, and the routing core then reaches it by handle, as
/// the candidate indexes do for every agent they rank. A lookup by id in a 10,000-entry
/// dictionary (hash, probe, compare, then the value) was repeated a dozen times per routing
/// decision; a handle is an array index.
public struct AgentTable: Sendable {
    private var handles: [AgentID: AgentHandle] = [:]
    /// By handle. A freed handle keeps its removed agent's state until it is given out again.
    ///
    /// Not optionals: reading a field of an optional element (or testing it against nil) copied
    /// the whole agent out of the array, which cost more than the dictionary lookup it replaced.
    private var slots: [AgentState] = []
    /// By handle: whether an agent holds it.
    private var taken: [Bool] = []
    /// Freed handles, the last freed given out first.
    private var freeHandles: [AgentHandle] = []

    /// How many agents there are.
    public var count: Int { handles.count }
    /// Whether there are no agents.
    public var isEmpty: Bool { handles.isEmpty }
    /// The agents' ids, in no particular order.
    public var keys: some Collection<AgentID> { handles.keys }
    /// The agents, in no particular order.
    public var values: some Collection<AgentState> { handles.values.lazy.map { self.slots[$0.index] } }

    /// The agent with this id; nil when there is none.
    public subscript(id: AgentID) -> AgentState? {
        guard let handle = handles[id] else { return nil }
        return slots[handle.index]
    }

    /// The agents' states, transformed, by id.
    public func mapValues<T>(_ transform: (AgentState) throws -> T) rethrows -> [AgentID: T] {
        try handles.mapValues { try transform(slots[$0.index]) }
    }

    // MARK: Handles

    /// The handle of the agent with this id; nil when there is none.
    func handle(of id: AgentID) -> AgentHandle? { handles[id] }

    /// The agent at a handle the caller knows is taken, changed where it is stored. A read
    /// through here may copy the whole agent out: the hot paths read with ``withAgent(at:_:)``.
    subscript(handle: AgentHandle) -> AgentState {
        get { slots[handle.index] }
        _modify { yield &slots[handle.index] }
    }

    /// Runs `body` on the agent at `handle` where it is stored; nil when the handle is free
    /// (its agent was removed).
    mutating func withAgent<Result>(at handle: AgentHandle, _ body: (inout AgentState) -> Result) -> Result? {
        guard taken[handle.index] else { return nil }
        return body(&slots[handle.index])
    }

    /// Adds an agent under a new id, at a freed handle if there is one; returns its handle.
    @discardableResult
    mutating func insert(_ agent: AgentState) -> AgentHandle {
        precondition(handles[agent.id] == nil, "agent \(agent.id) is already in the table")
        let handle: AgentHandle
        if let free = freeHandles.popLast() {
            handle = free
            slots[handle.index] = agent
            taken[handle.index] = true
        } else {
            handle = AgentHandle(index: slots.count)
            slots.append(agent)
            taken.append(true)
        }
        handles[agent.id] = handle
        return handle
    }

    /// Removes the agent with this id; its handle is given to the next agent inserted.
    mutating func remove(_ id: AgentID) {
        guard let handle = handles.removeValue(forKey: id) else { return }
        taken[handle.index] = false
        freeHandles.append(handle)
    }

    // MARK: By id, in place

    /// The agent with an id the caller knows is present, read and changed where it is stored.
    subscript(existing id: AgentID) -> AgentState {
        get {
            guard let handle = handles[id] else { preconditionFailure("no agent \(id)") }
            return slots[handle.index]
        }
        _modify {
            guard let handle = handles[id] else { preconditionFailure("no agent \(id)") }
            yield &slots[handle.index]
        }
    }

    /// Runs `body` on the agent with this id where it is stored; nil when there is none.
    mutating func withExisting<Result>(_ id: AgentID, _ body: (inout AgentState) -> Result) -> Result? {
        guard let handle = handles[id] else { return nil }
        return body(&slots[handle.index])
    }
}
