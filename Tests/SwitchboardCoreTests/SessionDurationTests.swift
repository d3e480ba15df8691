import Foundation
import Testing
@testable import SwitchboardCore

/// A skill group's maximum session duration: accepted sessions end with `closeBy: 'timer'`.
@Suite("Maximum session duration")
struct SessionDurationTests {
    func setUp(limit: Int = 60) -> Harness {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 0, maxSessionSeconds: limit)))
        h.ok(.upsertSkillGroup(SkillGroup(id: "long", offerTimeoutSeconds: 0, maxSessionSeconds: 600)))
        h.agent("a1", in: ["g", "long"])
        h.agent("a2", in: ["g", "long"])
        _ = h.take()
        return h
    }

    @Test func anAcceptedSessionEndsByTimerWhenTheLimitRunsOut() {
        var h = setUp()
        let s = h.create(.im, in: "g")
        let agent = h.state(s)!.agent!
        h.advance(seconds: 30)
        h.ok(.accept(agent, s))
        h.advance(seconds: 59.999)
        #expect(h.state(s) == .accepted(agent: agent), "the limit counts from the accept, not from the start")
        _ = h.take()
        h.advance(seconds: 0.001)
        #expect(h.machine.sessions[s] == nil)
        #expect(h.told(agent).first == .sessionEnded(SessionEnd(
            sessionId: s, closeBy: .timer, mainReason: nil, subReason: nil, type: .im, duration: 60, endStatus: nil)))
        #expect(h.shown(s) == [.ended(closeBy: .timer)])
        #expect(h.history(s).last == .ended(closeBy: .timer, agent: agent, mainReason: nil, subReason: nil,
                                            why: "the skill group's maximum session duration (60 s) ran out"))
    }

    @Test func waitingAndRingingSessionsAreNotLimited() {
        var h = setUp()
        h.ok(.setStatus("a1", status: "notReady", restReason: nil))
        h.ok(.setStatus("a2", status: "notReady", restReason: nil))
        let chat = h.create(.im, in: "g")
        h.ok(.setStatus("a1", status: "free", restReason: nil))
        let call = h.create(.phone, in: "g")
        h.advance(seconds: 3600)
        #expect(h.state(chat)?.agent == "a1", "still ringing")
        #expect(h.state(call) == .queued, "a1 has a chat ringing; the call still waits")
        #expect(h.machine.nextDeadline == nil)
    }

    @Test func aTransferKeepsTheFirstAcceptAndTakesTheNewGroupsLimit() {
        var h = setUp()
        let s = h.create(.phone, in: "g")
        let first = h.state(s)!.agent!
        let other: AgentID = first == "a1" ? "a2" : "a1"
        h.ok(.accept(first, s))
        h.advance(seconds: 50)
        h.ok(.transfer(first, s, skillGroupId: "long", userId: other))
        h.ok(.accept(other, s))
        h.advance(seconds: 20)
        #expect(h.state(s) == .accepted(agent: other), "the 60 s of the first group no longer apply")
        h.advance(seconds: 529.999)
        #expect(h.machine.sessions[s] != nil)
        h.advance(seconds: 0.001)
        #expect(h.machine.sessions[s] == nil, "600 s after the first accept")
    }

    @Test func changingTheLimitAppliesToSessionsAlreadyAccepted() {
        var h = setUp(limit: 0)
        let short = h.create(.im, in: "g")
        h.ok(.accept(h.state(short)!.agent!, short))
        h.advance(seconds: 100)
        let recent = h.create(.im, in: "g")
        h.ok(.accept(h.state(recent)!.agent!, recent))
        #expect(h.machine.nextDeadline == nil, "no limit yet")
        _ = h.take()

        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 0, maxSessionSeconds: 90)))
        #expect(h.machine.sessions[short] == nil, "already over the new limit: ended by the change")
        #expect(h.shown(short) == [.ended(closeBy: .timer)])
        h.advance(seconds: 89.999)
        #expect(h.machine.sessions[recent] != nil, "90 s after its own accept")
        h.advance(seconds: 0.001)
        #expect(h.machine.sessions[recent] == nil)

        // Lifting the limit again leaves sessions alone.
        let third = h.create(.im, in: "g")
        h.ok(.accept(h.state(third)!.agent!, third))
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 0, maxSessionSeconds: 0)))
        h.advance(seconds: 3600)
        #expect(h.machine.sessions[third] != nil)
    }

    @Test func anOutboundCallCountsFromTheAnswer() {
        var h = setUp()
        guard case .sessionCreated(let call) = h.ok(.startOutboundCall("a1", OutboundCall(phoneNumber: "+4930555", skillGroupId: "g"))) else { return }
        h.advance(seconds: 120)
        #expect(h.machine.sessions[call] != nil, "ringing at the callee is not talking")
        h.ok(.calleeAnswered(call))
        h.advance(seconds: 60)
        #expect(h.machine.sessions[call] == nil)
    }

    @Test func aRestoredCoreEndsItAtTheSameTime() throws {
        var h = setUp()
        let s = h.create(.im, in: "g")
        h.ok(.accept(h.state(s)!.agent!, s))
        let data = try JSONEncoder().encode(h.machine.snapshot)
        var restored = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        let later = h.now.adding(seconds: 60)
        #expect(restored.handle(.tick, at: later).events == h.machine.handle(.tick, at: later).events)
        #expect(restored.sessions[s] == nil)
    }

    @Test func outOfRangeIsRefused() {
        var h = setUp()
        let message = h.refuse(.upsertSkillGroup(SkillGroup(id: "g", maxSessionSeconds: -5)), .invalidConfiguration)
        #expect(message.contains("maxSessionSeconds"))
        h.refuse(.upsertSkillGroup(SkillGroup(id: "g", maxSessionSeconds: 604_801)), .invalidConfiguration)
    }
}
