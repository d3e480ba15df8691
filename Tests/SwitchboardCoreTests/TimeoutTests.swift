import Testing
@testable import SwitchboardCore

@Suite("Offer and queue timeouts, driven by the test clock")
struct TimeoutTests {
    @Test func aMissedOfferMovesOnAndTheAgentGoesNotReady() {
        var h = Harness()
        h.group("g", offerTimeout: 20)
        h.agent("a1", in: ["g"])
        h.advance(seconds: 1)
        h.agent("a2", in: ["g"])
        let s = h.create(in: "g")
        #expect(h.state(s)?.agent == "a1")
        h.advance(seconds: 19.999)
        #expect(h.state(s)?.agent == "a1")
        _ = h.take()
        h.advance(seconds: 0.001)
        #expect(h.told("a1") == [
            .autoTransfer(sessionId: s),
            .statusChanged(StatusChange(status: .notReady, restReason: nil, cause: .missedOffer)),
        ])
        #expect(h.state(s)?.agent == "a2")
        #expect(h.machine.sessions[s]?.excludedAgents == ["a1"])
    }

    @Test func aMissedOfferIsNotOfferedAgainToTheSameAgent() {
        var h = Harness()
        h.group("g", offerTimeout: 10, missed: .free)
        h.agent("a1", in: ["g"])
        let s = h.create(in: "g")
        h.advance(seconds: 10)
        #expect(h.status("a1") == .free, "the group keeps missed agents free")
        #expect(h.state(s) == .queued, "a1 missed it: it waits for someone else")
        let other = h.create(in: "g")
        #expect(h.state(other)?.agent == "a1", "a1 still gets other sessions")
        h.agent("a2", in: ["g"])
        #expect(h.state(s)?.agent == "a2")
    }

    @Test func missedOfferStatusRest() {
        var h = Harness()
        h.group("g", offerTimeout: 10, missed: .rest)
        h.agent("a1", in: ["g"])
        _ = h.create(in: "g")
        h.advance(seconds: 10)
        #expect(h.status("a1") == .rest)
        #expect(h.machine.agents["a1"]?.restReason == "missed an offer")
    }

    @Test func aBusyAgentThatMissesAnOfferWindsDown() {
        var h = Harness()
        h.group("g", offerTimeout: 10)
        h.agent("a1", in: ["g"])
        let first = h.create(in: "g")
        h.ok(.accept("a1", first))
        let second = h.create(in: "g")
        #expect(h.state(second)?.agent == "a1")
        h.advance(seconds: 10)
        #expect(h.status("a1") == .busy)
        #expect(h.machine.agents["a1"]?.pendingStatus == .notReady)
        h.ok(.end("a1", first))
        #expect(h.status("a1") == .notReady)
    }

    @Test func noTimeoutRingsUntilAccepted() {
        var h = Harness()
        h.group("g", offerTimeout: 0)
        h.agent("a1", in: ["g"])
        let s = h.create(in: "g")
        h.advance(seconds: 3600)
        #expect(h.state(s) == .ringing(agent: "a1", deadline: nil))
        #expect(h.machine.nextDeadline == nil)
    }

    @Test func queueTimeoutEndsTheSessionByTimer() {
        var h = Harness()
        h.group("g", queueTimeout: 60)
        let s = h.create(in: "g")
        h.advance(seconds: 59)
        #expect(h.state(s) == .queued)
        _ = h.take()
        h.advance(seconds: 1)
        #expect(h.machine.sessions[s] == nil)
        #expect(h.shown(s) == [.ended(closeBy: .timer)])
        #expect(h.history(s).last == .ended(closeBy: .timer, agent: nil, mainReason: nil, subReason: nil, why: "queue timeout"))
        #expect(h.machine.waitingCount(of: "g") == 0)
    }

    @Test func queueTimeoutOverflowsToAnotherGroup() {
        var h = Harness()
        h.group("backup", queueTimeout: 30)
        h.group("front", queueTimeout: 60, overflow: "backup")
        h.agent("b1", in: ["backup"], online: false)
        let s = h.create(in: "front")
        h.advance(seconds: 60)
        #expect(h.machine.sessions[s]?.skillGroupId == "backup")
        #expect(h.history(s).contains(.overflowed(from: "front", to: "backup")))
        #expect(h.shown(s).last == .queued(skillGroupId: "backup"))
        h.ok(.online("b1"))
        #expect(h.state(s)?.agent == "b1")
    }

    @Test func overflowThenTimeoutInTheOverflowGroup() {
        var h = Harness()
        h.group("backup", queueTimeout: 30)
        h.group("front", queueTimeout: 60, overflow: "backup")
        let s = h.create(in: "front")
        h.advance(seconds: 89)
        #expect(h.machine.sessions[s] != nil)
        h.advance(seconds: 1)
        #expect(h.machine.sessions[s] == nil)
    }

    @Test func theQueueTimeoutDoesNotRestartWhenAnOfferRingsOut() {
        var h = Harness()
        h.group("g", offerTimeout: 20, queueTimeout: 30)
        h.agent("a1", in: ["g"])
        let s = h.create(in: "g")
        h.advance(seconds: 20)  // missed at 20 s, back in the queue with 10 s left
        #expect(h.state(s) == .queued)
        h.advance(seconds: 10)
        #expect(h.machine.sessions[s] == nil)
    }

    @Test func aSessionBackInTheQueueAfterItsDeadlineEndsAtOnce() {
        var h = Harness()
        h.group("g", offerTimeout: 40, queueTimeout: 30)
        h.agent("a1", in: ["g"])
        let s = h.create(in: "g")
        h.advance(seconds: 40)
        #expect(h.machine.sessions[s] == nil)
        #expect(h.history(s).last == .ended(closeBy: .timer, agent: nil, mainReason: nil, subReason: nil, why: "queue timeout"))
    }

    @Test func overflowLoopsAreRefused() {
        var h = Harness()
        h.group("a")
        h.group("b", overflow: "a")
        let message = h.refuse(.upsertSkillGroup(SkillGroup(id: "a", queueTimeoutSeconds: 10, overflowGroupId: "b")), .invalidConfiguration)
        #expect(message.contains("a → b → a"))
        h.refuse(.upsertSkillGroup(SkillGroup(id: "c", overflowGroupId: "c")), .invalidConfiguration)
        h.refuse(.upsertSkillGroup(SkillGroup(id: "c", overflowGroupId: "zzz")), .unknownSkillGroup)
    }

    @Test func timersFireAtTheirDeadlineEvenWhenTickedLate() {
        var h = Harness()
        h.group("g", offerTimeout: 10)
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"])
        let s = h.create(in: "g")
        _ = h.take()
        h.advance(seconds: 25)  // one late tick: the miss at 10 s, then a2's miss at 20 s
        let misses = h.events.filter { if case .history(_, .missed) = $0.effect { true } else { false } }
        #expect(misses.map(\.at.milliseconds) == [h.now.milliseconds - 15000, h.now.milliseconds - 5000])
        #expect(h.state(s) == .queued)
    }
}
