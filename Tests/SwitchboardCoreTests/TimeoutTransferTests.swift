import Testing
@testable import SwitchboardCore

/// TCCC's "timeout transfer" switch: on (the default), an offer that rings out moves on to the
/// next agent; off, it keeps ringing at the same agent until answered or withdrawn.
@Suite("Timeout transfer")
struct TimeoutTransferTests {
    func setUp(timeoutTransfer: Bool = false) -> (Harness, SessionID) {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 10, queueTimeoutSeconds: 30, timeoutTransfer: timeoutTransfer)))
        h.agent("a1", in: ["g"])
        h.advance(seconds: 1)
        h.agent("a2", in: ["g"])
        let s = h.create(.phone, in: "g")
        #expect(h.state(s)?.agent == "a1")
        _ = h.take()
        return (h, s)
    }

    @Test func offTheSessionRingsOnAtTheSameAgentWithNoDeadline() {
        var (h, s) = setUp()
        h.advance(seconds: 10)
        #expect(h.state(s) == .ringing(agent: "a1", deadline: nil))
        #expect(h.told("a1").isEmpty, "no autoTransfer, no missed-offer status")
        #expect(h.status("a1") == .free)
        #expect(h.machine.sessions[s]?.excludedAgents.isEmpty == true)
        #expect(h.history(s) == [.overdue(agent: "a1")])
        h.advance(seconds: 600)
        #expect(h.state(s)?.agent == "a1", "its queue timeout does not run while it rings")
        #expect(h.machine.nextDeadline == nil, "nothing left to time out")
        h.ok(.accept("a1", s))
        #expect(h.state(s) == .accepted(agent: "a1"))
    }

    @Test func offAWithdrawalStillMovesItOn() {
        var (h, s) = setUp()
        h.advance(seconds: 10)
        h.ok(.setStatus("a1", status: "notReady", restReason: nil))
        #expect(h.told("a1").contains(.autoTransfer(sessionId: s)))
        #expect(h.state(s)?.agent == "a2", "the agent left: the next one is rung, with a deadline again")
        if case .ringing(_, let deadline) = h.state(s) { #expect(deadline != nil) }
    }

    @Test func onIsTodaysBehaviour() {
        var (h, s) = setUp(timeoutTransfer: true)
        h.advance(seconds: 10)
        #expect(h.told("a1").first == .autoTransfer(sessionId: s))
        #expect(h.status("a1") == .notReady)
        #expect(h.state(s)?.agent == "a2")
        #expect(SkillGroup(id: "x").timeoutTransfer, "on by default")
    }

    @Test func turningItBackOnMovesOverdueOffersOnAtOnce() {
        var (h, s) = setUp()
        h.advance(seconds: 10)
        let other = h.create(.im, in: "g")
        #expect(h.state(other)?.agent == "a2")
        _ = h.take()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 10, queueTimeoutSeconds: 30, timeoutTransfer: true)))
        #expect(h.told("a1").first == .autoTransfer(sessionId: s), "it rang past its timeout: a miss, now")
        #expect(h.status("a1") == .notReady)
        #expect(h.history(s).prefix(2) == [.missed(agent: "a1"), .queued(skillGroupId: "g")])
        #expect(h.state(other)?.agent == "a2", "an offer still within its timeout is left alone")
    }

    @Test func aCallToANamedColleagueStillEndsWhenItRingsOut() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 10, timeoutTransfer: false)))
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"])
        guard case .sessionCreated(let call) = h.ok(.startInternalCall("a1", calleeUserId: "a2", skillGroupId: nil)) else { return }
        h.advance(seconds: 10)
        #expect(h.machine.sessions[call] == nil, "nobody else would be called: it ends, as with timeout transfer on")
    }
}
