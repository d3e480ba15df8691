import Testing
@testable import SwitchboardCore

@Suite("Session lifecycle: queued → ringing → accepted → ended")
struct SessionLifecycleTests {
    @Test func aNewSessionRingsAtAFreeAgentWithTheCallInFields() throws {
        var h = Harness()
        h.group("support", offerTimeout: 15)
        h.agent("a1", in: ["support"])
        _ = h.take()
        let details = CustomerDetails(nickname: "Ann", avatar: "https://x/a.png", remark: "VIP", peerSource: "web",
                                      channelName: "shop", clientData: "{\"cart\":3}")
        let reply = h.ok(.createSession(NewSession(type: .im, skillGroupId: "support", customer: details)))
        guard case .sessionCreated(let s) = reply else { Issue.record("no session id"); return }
        let offers = h.told("a1").compactMap { if case .callIn(let offer) = $0 { offer } else { nil } }
        let offer = try #require(offers.first)
        #expect(offer.sessionId == s)
        #expect(offer.type == .im)
        #expect(offer.timeout == 15)
        #expect(offer.customer == details)
        #expect(offer.reason.strategy == .longestIdle)
        #expect(h.shown(s) == [.queued(skillGroupId: "support"), .ringing])
        #expect(h.status("a1") == .free, "ringing does not make an agent busy")
    }

    @Test func sessionIdsAreUnique() {
        var h = Harness()
        h.group("support")
        let ids = (0..<50).map { _ in h.create(in: "support") }
        #expect(Set(ids).count == 50)
    }

    @Test func acceptTellsTheAgentAndTheCustomer() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        _ = h.take()
        h.ok(.accept("a1", s))
        #expect(h.told("a1").first == .userAccessed(sessionId: s))
        #expect(h.shown(s) == [.agentJoined(agentId: "a1", name: "Agent a1")])
        #expect(h.state(s) == .accepted(agent: "a1"))
        #expect(h.history(s) == [.accepted(agent: "a1")])
    }

    @Test func acceptIsIdempotentForTheAgentThatAccepted() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        h.ok(.accept("a1", s))
        _ = h.take()
        h.ok(.accept("a1", s))
        #expect(h.take().isEmpty)
    }

    @Test func acceptIsOnlyForTheOfferedAgentWhileRinging() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        h.agent("a2", in: ["support"])
        let s = h.create(in: "support")
        let ringingAt: AgentID = h.state(s).map(SessionState.ringing("a1"))! ? "a1" : "a2"
        let other: AgentID = ringingAt == "a1" ? "a2" : "a1"
        #expect(h.refuse(.accept(other, s), .notRinging) == "session \(s) is not ringing at agent \(other)")
        h.refuse(.accept(ringingAt, "s-999"), .unknownSession)
        h.refuse(.accept("ghost", s), .unknownAgent)
        h.ok(.accept(ringingAt, s))
        h.refuse(.accept(other, s), .notRinging)
        // A queued session can't be accepted either.
        h.ok(.setStatus(other, status: "rest", restReason: nil))
        let queued = h.create(.phone, in: "support")
        #expect(h.state(queued) == .queued)
        h.refuse(.accept(ringingAt, queued), .notRinging)
    }

    @Test func endBySeatTellsEveryoneWithDuration() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        h.ok(.accept("a1", s))
        h.advance(seconds: 42)
        _ = h.take()
        h.ok(.end("a1", s))
        #expect(h.told("a1").first == .sessionEnded(SessionEnd(sessionId: s, closeBy: .seat, mainReason: nil, subReason: nil, type: .im, duration: 42)))
        #expect(h.shown(s) == [.ended(closeBy: .seat)])
        #expect(h.machine.sessions[s] == nil)
    }

    @Test func endIsOnlyForTheHolder() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        h.agent("a2", in: ["support"], online: true)
        let s = h.create(in: "support")
        let ringingAt: AgentID = h.state(s).map(SessionState.ringing("a1"))! ? "a1" : "a2"
        let other: AgentID = ringingAt == "a1" ? "a2" : "a1"
        #expect(h.refuse(.end(ringingAt, s), .sessionRinging).contains("accept it"))
        h.ok(.accept(ringingAt, s))
        #expect(h.refuse(.end(other, s), .notHeld) == "session \(s) is not held by agent \(other): only the agent that accepted it can end it")
        h.ok(.end(ringingAt, s))
        h.refuse(.end(ringingAt, s), .unknownSession)
    }

    @Test func theCustomerLeavingEndsItWithCloseByClient() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        _ = h.take()
        // While ringing: the ringing agent is told.
        h.ok(.customerLeft(s))
        #expect(h.told("a1") == [.sessionEnded(SessionEnd(sessionId: s, closeBy: .client, type: .im, duration: 0))])
        #expect(h.machine.agents["a1"]?.ringing.isEmpty == true)
        #expect(h.status("a1") == .free)
        // While accepted.
        let s2 = h.create(in: "support")
        h.ok(.accept("a1", s2))
        _ = h.take()
        h.ok(.customerLeft(s2))
        #expect(h.told("a1").first == .sessionEnded(SessionEnd(sessionId: s2, closeBy: .client, type: .im, duration: 0)))
        // While queued: nobody to tell but the record.
        h.ok(.setStatus("a1", status: "rest", restReason: nil))
        let s3 = h.create(in: "support")
        _ = h.take()
        h.ok(.customerLeft(s3))
        #expect(h.told("a1").isEmpty)
        #expect(h.machine.waitingCount(of: "support") == 0)
        h.refuse(.customerLeft(s3), .unknownSession)
    }

    @Test func theAdminEndsWithReasons() {
        var h = Harness()
        h.group("support")
        h.agent("a1", in: ["support"])
        let s = h.create(.phone, in: "support")
        h.ok(.accept("a1", s))
        _ = h.take()
        h.ok(.adminEnd(s, mainReason: "abuse", subReason: "spam caller"))
        #expect(h.told("a1").first == .sessionEnded(SessionEnd(sessionId: s, closeBy: .admin, mainReason: "abuse", subReason: "spam caller", type: .phone, duration: 0)))
        #expect(h.history(s).last == .ended(closeBy: .admin, agent: "a1", mainReason: "abuse", subReason: "spam caller", why: nil))
    }

    @Test func badSessionRequestsAreRefused() {
        var h = Harness()
        h.group("support")
        h.refuse(.createSession(NewSession(type: .im, skillGroupId: "nope", customer: CustomerDetails(nickname: "x"))), .unknownSkillGroup)
        h.refuse(.createSession(NewSession(type: .im, skillGroupId: "support", customer: CustomerDetails())), .invalidSession)
        h.refuse(.createSession(NewSession(type: .im, skillGroupId: "support", priority: 1000, customer: CustomerDetails(nickname: "x"))), .invalidSession)
        h.refuse(.createSession(NewSession(type: .im, skillGroupId: "support", customer: CustomerDetails(nickname: String(repeating: "n", count: 5000)))), .invalidSession)
        h.refuse(.activity("s-1"), .unknownSession)
        h.refuse(.adminEnd("s-1", mainReason: nil, subReason: nil), .unknownSession)
    }

    @Test func queueOrderIsPriorityThenArrival() {
        var h = Harness()
        h.group("support")
        let low1 = h.create(in: "support", priority: 0)
        let high = h.create(in: "support", priority: 5)
        let low2 = h.create(in: "support", priority: 0)
        let mid = h.create(in: "support", priority: 1)
        #expect(h.machine.queue(of: "support") == [high, mid, low1, low2])
        #expect(h.machine.queuePosition(of: low1) == 3)
        h.agent("a1", in: ["support"], imCapacity: 1)
        #expect(h.state(high).map(SessionState.ringing("a1")) == true)
    }

    @Test func aSessionThatRangOutKeepsItsTurn() {
        var h = Harness()
        h.group("support", offerTimeout: 10)
        h.agent("a1", in: ["support"], imCapacity: 1)
        let first = h.create(in: "support")
        let second = h.create(in: "support")
        #expect(h.state(first).map(SessionState.ringing("a1")) == true)
        h.advance(seconds: 10)  // a1 misses first and goes notReady
        #expect(h.machine.queue(of: "support") == [first, second])
        h.agent("a2", in: ["support"], imCapacity: 1)
        #expect(h.state(first).map(SessionState.ringing("a2")) == true)
    }

    @Test func imInactivityEndsTheSessionByTimer() {
        var h = Harness()
        h.group("support", imInactivity: 60)
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        h.ok(.accept("a1", s))
        h.advance(seconds: 50)
        h.ok(.activity(s))
        h.advance(seconds: 50)
        #expect(h.machine.sessions[s] != nil, "activity restarted the timer")
        _ = h.take()
        h.advance(seconds: 10)
        #expect(h.told("a1").first == .sessionEnded(SessionEnd(sessionId: s, closeBy: .timer, type: .im, duration: 110)))
    }

    @Test func offersRecordWhyThisAgent() throws {
        var h = Harness()
        h.group("support", offerTimeout: 5)
        h.agent("a1", in: ["support"])
        h.advance(seconds: 1)
        h.agent("a2", in: ["support"])
        h.advance(seconds: 1)
        let s = h.create(in: "support")
        #expect(h.state(s).map(SessionState.ringing("a1")) == true)
        _ = h.take()
        h.advance(seconds: 5)  // a1 misses; a2 is next, a1 passed over
        let offered = h.history(s).compactMap { if case .offered(let agent, let reason) = $0 { (agent, reason) } else { nil } }
        let (agent, reason) = try #require(offered.first)
        #expect(agent == "a2")
        #expect(reason.strategy == .longestIdle)
        #expect(reason.skillLevel == 3)
        #expect(reason.idleMilliseconds == 6000)
        #expect(h.history(s).contains(.missed(agent: "a1")))
    }
}
