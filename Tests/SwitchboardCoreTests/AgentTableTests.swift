import Testing
@testable import SwitchboardCore

@Suite("The agent table: dense handles, ids at the edge")
struct AgentTableTests {
    private func agent(_ id: AgentID) -> AgentState {
        AgentState(profile: AgentProfile(id: id), at: Timestamp(milliseconds: 0))
    }

    /// Every id maps to the agent stored at its handle, and `keys`, `values` and `count` agree.
    private func expectConsistent(_ table: AgentTable, holds ids: Set<AgentID>, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(table.count == ids.count, sourceLocation: sourceLocation)
        #expect(Set(table.keys) == ids, sourceLocation: sourceLocation)
        #expect(Set(table.values.map(\.id)) == ids, sourceLocation: sourceLocation)
        for id in ids {
            #expect(table[id]?.id == id, sourceLocation: sourceLocation)
            if let handle = table.handle(of: id) {
                #expect(table[handle].id == id, sourceLocation: sourceLocation)
            } else {
                Issue.record("no handle for \(id)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func handlesAreDenseAndAFreedOneIsGivenOutAgain() {
        var table = AgentTable()
        let a = table.insert(agent("a"))
        let b = table.insert(agent("b"))
        let c = table.insert(agent("c"))
        #expect([a.index, b.index, c.index] == [0, 1, 2])
        table.remove("b")
        #expect(table["b"] == nil && table.handle(of: "b") == nil)
        #expect(table.withAgent(at: b) { $0.id } == nil, "a freed handle reaches nobody")
        expectConsistent(table, holds: ["a", "c"])
        let d = table.insert(agent("d"))
        #expect(d == b, "the freed handle is reused rather than the table grown")
        #expect(table.withAgent(at: d) { $0.id } == "d")
        expectConsistent(table, holds: ["a", "c", "d"])
        #expect(table.insert(agent("e")).index == 3)
    }

    @Test func removedAndAddedAgainUnderTheSameId() {
        var table = AgentTable()
        for id in ["a", "b", "c"] as [AgentID] { table.insert(agent(id)) }
        table.remove("a")
        table.remove("c")
        table.insert(agent("c"))
        table.insert(agent("a"))
        expectConsistent(table, holds: ["a", "b", "c"])
        table[existing: "a"].restReason = "lunch"
        #expect(table["a"]?.restReason == "lunch" && table["c"]?.restReason == nil)
        #expect(table.mapValues(\.id) == ["a": "a", "b": "b", "c": "c"])
    }

    @Test func aStaleEntryOfARemovedAgentNeverOffersToTheAgentGivenItsHandle() {
        var h = Harness()
        h.group("g1")
        h.group("g2")
        h.agent("a1", in: ["g1"])
        // a1 is ranked in g1's index, then leaves: its entry there is stale, and its handle free.
        let handle = h.machine.agents.handle(of: "a1")
        h.ok(.offline("a1"))
        h.ok(.removeAgent("a1"))
        h.agent("b1", in: ["g2"])
        #expect(h.machine.agents.handle(of: "b1") == handle, "b1 takes the handle a1 left")
        let waiting = h.create(in: "g1")
        #expect(h.state(waiting) == .queued, "b1 does not serve g1, whatever g1's index still holds")
        let served = h.create(in: "g2")
        #expect(h.state(served)?.agent == "b1")
    }

    @Test func anAgentAddedAgainUnderItsIdIsRankedAfresh() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"])
        h.ok(.offline("a1"))
        h.ok(.removeAgent("a1"))
        h.advance(seconds: 1)
        h.agent("a3", in: ["g"])
        h.advance(seconds: 1)
        h.agent("a1", in: ["g"])
        #expect(Set(h.machine.agents.keys) == ["a1", "a2", "a3"])
        _ = h.take()
        // Longest idle: a2 (free first), then a3, then a1 (free as long as a2 is since its
        // offer, and first by id); no stale entry of the first a1 is passed over or offered.
        var offered: [AgentID] = []
        for _ in 0..<3 {
            let session = h.create(in: "g")
            guard case .ringing(let agent, _) = h.state(session) else {
                Issue.record("session \(session) was not offered")
                return
            }
            offered.append(agent)
            for entry in h.history(session) {
                if case .offered(_, let reason) = entry { #expect(reason.passedOver.isEmpty) }
            }
        }
        #expect(offered == ["a2", "a3", "a1"])
        let restored = RoutingStateMachine(snapshot: h.machine.snapshot)
        #expect(restored.snapshot == h.machine.snapshot)
    }
}
