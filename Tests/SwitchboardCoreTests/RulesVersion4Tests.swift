import Testing
@testable import SwitchboardCore

/// What routing rules version 4 changed, found by restoring the core at random points of random
/// traffic (InvariantTests): a restored core must decide as the one that kept running.
@Suite("Routing rules version 4")
struct RulesVersion4Tests {
    /// Alice, in `sales`, has no connection and is put online (as the admin API does) under a
    /// reconnect grace of 0; then a customer arrives.
    func onlineWithoutAConnection(rules: Int) -> (Harness, SessionID) {
        var h = Harness(configuration: RoutingConfiguration(reconnectGraceSeconds: 0))
        h.machine.rules = rules
        h.group("sales")
        h.ok(.upsertAgent(AgentProfile(id: "alice", memberships: ["sales": Membership()])))
        h.ok(.online("alice"))
        let s = h.create(in: "sales")
        return (h, s)
    }

    @Test func anAgentOnlineWithNoConnectionAndNoGraceIsNotOffered() throws {
        let (h, s) = onlineWithoutAConnection(rules: 4)
        #expect(h.status("alice") == .free, "online, as asked")
        #expect(h.machine.agents["alice"]?.reachable == false, "but nothing to ring")
        #expect(h.state(s) == .queued)
        // A restored core decides the same: that is how the defect was found.
        var restored = RoutingStateMachine(snapshot: h.machine.snapshot)
        _ = restored.handle(.tick, at: h.now)
        #expect(restored.snapshot == h.machine.snapshot)
    }

    @Test func underRules3TheGraceTimerWasDroppedAndTheOfferRang() {
        let (h, s) = onlineWithoutAConnection(rules: 3)
        #expect(h.machine.agents["alice"]?.reachable == true)
        #expect(h.state(s)?.agent == "alice", "rung with no connection to ring")
    }

    @Test func theCurrentRulesAreVersion5() {
        #expect(RoutingStateMachine.rulesVersion == 5)
        #expect(RoutingStateMachine().snapshot.rulesVersion == 5)
    }
}
