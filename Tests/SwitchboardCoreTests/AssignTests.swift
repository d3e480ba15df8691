import Testing
@testable import SwitchboardCore

/// A supervisor hands a waiting session to a chosen agent (the admin API's assign).
@Suite("Assigning a waiting session")
struct AssignTests {
    /// Group sales with a1 (resting, so sessions wait) and b1 in support only; two waiting sessions.
    func setUp() -> (Harness, SessionID, SessionID) {
        var h = Harness()
        h.group("sales", offerTimeout: 20)
        h.group("support")
        h.agent("a1", in: ["sales"])
        h.agent("b1", in: ["support"])
        h.ok(.setStatus("a1", status: "rest", restReason: nil))
        let first = h.create(in: "sales", nickname: "Ann")
        h.advance(seconds: 5)
        let second = h.create(in: "sales", nickname: "Ben")
        _ = h.take()
        return (h, first, second)
    }

    @Test func theChosenAgentIsRungNowOutOfTheQueuesOrderEvenFromAnotherGroup() {
        var (h, first, second) = setUp()
        h.ok(.adminAssign(second, agent: "b1"))
        #expect(h.state(second) == .ringing(agent: "b1", deadline: h.machine.clock.adding(seconds: 20)))
        #expect(h.state(first) == .queued, "the first in line still waits")
        let offer = h.told("b1").compactMap { if case .callIn(let offer) = $0 { offer } else { nil } }.first
        #expect(offer?.sessionId == second && offer?.skillGroupId == "sales", "it stays a sales session")
        let reasons = h.history(second).compactMap { if case .offered(_, let reason) = $0 { reason } else { nil } }
        #expect(reasons.count == 1 && reasons[0].assigned && reasons[0].strategy == nil)
        #expect(h.shown(second).contains(.ringing))
        #expect(h.machine.waitingCount(of: "sales") == 1)
        h.ok(.accept("b1", second))
        #expect(h.status("b1") == .busy)
    }

    @Test func unansweredItGoesBackToItsQueueAndKeepsItsWait() {
        var (h, first, second) = setUp()
        let deadline = h.machine.sessions[second]?.queueDeadline
        h.ok(.adminAssign(second, agent: "b1"))
        _ = h.take()
        h.advance(seconds: 21)
        #expect(h.state(second) == .queued)
        #expect(h.history(second).contains(.missed(agent: "b1")))
        #expect(h.machine.sessions[second]?.queueDeadline == deadline)
        #expect(h.state(first) == .queued)
        // The supervisor may ask again: an agent it rang out at is rung once more when chosen.
        h.ok(.setStatus("b1", status: "free", restReason: nil))
        h.ok(.adminAssign(second, agent: "b1"))
        #expect(h.state(second)?.agent == "b1")
    }

    /// (The harness checks that each refusal leaves the state and the events as they were.)
    @Test func onlyAWaitingSessionToAnAgentWhoCanTakeItIsAssignedAndARefusalChangesNothing() {
        var (h, first, second) = setUp()
        h.agent("c1", in: ["sales"], online: false)
        #expect(h.refuse(.adminAssign(second, agent: "c1"), .transferTargetUnavailable) == "agent c1 is offline and cannot be assigned session \(second)")
        #expect(h.refuse(.adminAssign(second, agent: "a1"), .transferTargetUnavailable) == "agent a1 is rest and cannot be assigned session \(second)")
        #expect(h.refuse(.adminAssign(second, agent: "nobody"), .unknownAgent).contains("nobody"))
        #expect(h.refuse(.adminAssign("s-999", agent: "b1"), .unknownSession).contains("s-999"))
        h.ok(.adminAssign(first, agent: "b1"))
        #expect(h.refuse(.adminAssign(first, agent: "b1"), .notWaiting) == "session \(first) is ringing at agent b1: only a session waiting in its queue can be assigned")
        h.ok(.accept("b1", first))
        #expect(h.refuse(.adminAssign(first, agent: "b1"), .notWaiting).contains("held by agent b1"))
        #expect(h.state(second) == .queued)
    }

    @Test func anAgentWithoutRoomForIsRefused() {
        var (h, _, second) = setUp()
        h.ok(.upsertAgent(AgentProfile(id: "b1", name: "Agent b1", memberships: ["support": .init()], imCapacity: 1)))
        let other = h.create(in: "support", nickname: "Cy")
        #expect(h.state(other)?.agent == "b1")
        #expect(h.refuse(.adminAssign(second, agent: "b1"), .transferTargetUnavailable) == "agent b1 has no free capacity for a im session")
    }
}
