import Testing
@testable import SwitchboardCore

/// `MaxConcurrency`: the im sessions an agent may have from one group; its own capacity still
/// bounds the total.
@Suite("A skill group's maxConcurrency")
struct GroupConcurrencyTests {
    func setUp(maxConcurrency: Int = 2) -> Harness {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales", maxConcurrency: maxConcurrency)))
        h.ok(.upsertSkillGroup(SkillGroup(id: "support")))
        h.agent("a1", in: ["sales", "support"], imCapacity: 4)
        _ = h.take()
        return h
    }

    @Test func anAgentGetsNoMoreThanTheGroupsLimitFromThatGroup() throws {
        var h = setUp()
        let chats = (0..<3).map { _ in h.create(.im, in: "sales") }
        #expect(chats.map { h.state($0)?.agent } == ["a1", "a1", nil], "ringing offers count against the limit")
        h.ok(.accept("a1", chats[0]))
        #expect(h.state(chats[2]) == .queued, "held sessions count too")
        // Another group's chats still come, up to the agent's own capacity of 4.
        let other = (0..<3).map { _ in h.create(.im, in: "support") }
        #expect(other.map { h.state($0)?.agent } == ["a1", "a1", nil])
        // Room in the group again: the waiting chat rings at once.
        h.ok(.end("a1", chats[0]))
        #expect(h.state(chats[2])?.agent == "a1")
    }

    @Test func theReasonSaysWhyAnAgentAtTheLimitWasPassedOver() throws {
        var h = setUp()
        h.advance(seconds: 1)
        h.agent("a2", in: ["sales"])
        // Both ring at a1 (idle longest, then first by id).
        _ = h.create(.im, in: "sales")
        _ = h.create(.im, in: "sales")
        let third = h.create(.im, in: "sales")
        let offered = h.history(third).compactMap { if case .offered(_, let reason) = $0 { reason } else { nil } }
        #expect(h.state(third)?.agent == "a2")
        #expect(try #require(offered.first).passedOver == [.init(agent: "a1", why: "has 2 im sessions of this group, its maxConcurrency")])
    }

    @Test func voiceSessionsAreNotCounted() {
        var h = Harness(configuration: RoutingConfiguration(allowVoiceWithIm: true))
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales", maxConcurrency: 1)))
        h.agent("a1", in: ["sales"])
        let call = h.create(.phone, in: "sales")
        h.ok(.accept("a1", call))
        let chat = h.create(.im, in: "sales")
        #expect(h.state(chat)?.agent == "a1", "a call held in the group leaves room for one chat")
        let second = h.create(.im, in: "sales")
        #expect(h.state(second) == .queued)
    }

    @Test func zeroLeavesOnlyTheAgentsOwnCapacity() {
        var h = setUp(maxConcurrency: 0)
        let chats = (0..<5).map { _ in h.create(.im, in: "sales") }
        #expect(chats.map { h.state($0)?.agent } == ["a1", "a1", "a1", "a1", nil])
    }

    @Test func aTransferToAnAgentAtTheGroupsLimitIsRefused() {
        var h = setUp(maxConcurrency: 1)
        h.agent("a2", in: ["sales", "support"])
        let held = h.create(.im, in: "sales")
        let atA1 = h.state(held)!.agent!
        h.ok(.accept(atA1, held))
        let other: AgentID = atA1 == "a1" ? "a2" : "a1"
        let busy = h.create(.im, in: "sales")
        #expect(h.state(busy)?.agent == other)
        h.ok(.accept(other, busy))
        let message = h.refuse(.transfer(atA1, held, skillGroupId: nil, userId: other), .transferTargetUnavailable)
        #expect(message.contains("maxConcurrency"), "\(message)")
        // To the other group the limit does not apply.
        h.ok(.transfer(atA1, held, skillGroupId: "support", userId: other))
    }

    @Test func raisingTheLimitRoutesTheWaitingAtOnce() {
        var h = setUp(maxConcurrency: 1)
        let chats = (0..<2).map { _ in h.create(.im, in: "sales") }
        #expect(h.state(chats[1]) == .queued)
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales", maxConcurrency: 2)))
        #expect(h.state(chats[1])?.agent == "a1")
        // Lowering it keeps what the agent has and stops new offers.
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales", maxConcurrency: 1)))
        #expect(h.machine.agents["a1"]?.ringing.count == 2)
        let third = h.create(.im, in: "sales")
        #expect(h.state(third) == .queued)
    }

    @Test func outOfRangeIsRefused() {
        var h = setUp()
        for bad in [-1, 101] {
            let message = h.refuse(.upsertSkillGroup(SkillGroup(id: "sales", maxConcurrency: bad)), .invalidConfiguration)
            #expect(message.contains("maxConcurrency"))
        }
        #expect(h.machine.skillGroups["sales"]?.maxConcurrency == 2)
    }
}
