import Foundation
import Testing
@testable import SwitchboardCore

/// `RingAll`: a waiting session rings at every eligible agent at once; the first accept wins.
@Suite("Ring all")
struct RingAllTests {
    /// A ring-all group with three free agents and a fourth who is not ready.
    func setUp(offerTimeout: Int = 20, missed: AgentStatus = .notReady, timeoutTransfer: Bool = true) -> Harness {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: offerTimeout, missedOfferStatus: missed,
                                          ringAll: true, timeoutTransfer: timeoutTransfer)))
        for id in ["a1", "a2", "a3"] {
            h.agent(AgentID(id), in: ["g"])
            h.advance(seconds: 1)
        }
        h.agent("away", in: ["g"])
        h.ok(.setStatus("away", status: "notReady", restReason: nil))
        _ = h.take()
        return h
    }

    @Test func aWaitingSessionRingsAtEveryEligibleAgentAtOnce() throws {
        var h = setUp()
        let s = h.create(.phone, in: "g")
        #expect(h.offers().map(\.0) == ["a1", "a2", "a3"], "best first by the strategy; the not-ready agent is not rung")
        #expect(h.state(s)?.agent == "a1")
        #expect(h.machine.sessions[s]?.ringingAgents == ["a1", "a2", "a3"])
        #expect(h.shown(s) == [.queued(skillGroupId: "g"), .ringing], "the customer hears ringing once")
        for agent in ["a1", "a2", "a3"] as [AgentID] {
            #expect(h.machine.agents[agent]?.ringing == [s])
            #expect(h.machine.agents[agent]?.voiceLoad == 1, "each ringing agent's capacity is taken")
        }
        let reasons = h.history(s).compactMap { if case .offered(_, let reason) = $0 { reason } else { nil } }
        #expect(reasons.count == 3 && reasons.allSatisfy(\.ringAll))
        #expect(h.machine.tally.ringing == 1, "still one ringing session")
        let second = h.create(.phone, in: "g")
        #expect(h.state(second) == .queued, "every agent's voice capacity is taken by the first")
    }

    @Test func theFirstAcceptWinsAndTheOthersAreWithdrawnWithoutAMiss() {
        var h = setUp()
        let s = h.create(.im, in: "g")
        _ = h.take()
        h.ok(.accept("a2", s))
        #expect(h.state(s) == .accepted(agent: "a2"))
        #expect(h.machine.sessions[s]?.alsoRinging == nil)
        #expect(h.told("a1") == [.autoTransfer(sessionId: s)])
        #expect(h.told("a3") == [.autoTransfer(sessionId: s)])
        #expect(h.told("a2").first == .userAccessed(sessionId: s))
        #expect(h.history(s) == [
            .accepted(agent: "a2"),
            .withdrawn(agent: "a1", why: "agent a2 accepted it first"),
            .withdrawn(agent: "a3", why: "agent a2 accepted it first"),
        ])
        #expect(h.status("a1") == .free && h.status("a3") == .free, "losing the race is not a miss")
        #expect(h.machine.agents["a1"]?.ringing.isEmpty == true && h.machine.agents["a1"]?.imLoad == 0)
        #expect(h.machine.sessions[s]?.excludedAgents.isEmpty == true)

        // Too late: refused, and nothing changes; the winner accepting again is idempotent.
        let message = h.refuse(.accept("a1", s), .notRinging)
        #expect(message.contains("not ringing at agent a1"))
        h.ok(.accept("a2", s))
        h.refuse(.accept("away", s), .notRinging)
    }

    @Test func theNextSessionRingsAtTheAgentsTheFirstLeftFree() {
        var h = setUp()
        let first = h.create(.phone, in: "g")
        let second = h.create(.phone, in: "g")
        #expect(h.state(second) == .queued)
        h.ok(.accept("a3", first))
        #expect(h.machine.sessions[second]?.ringingAgents == ["a1", "a2"], "a3 is on the first call")
    }

    @Test func nobodyAcceptingIsOneMissForEachOfThem() {
        var h = setUp(offerTimeout: 10)
        let s = h.create(.im, in: "g")
        _ = h.take()
        h.advance(seconds: 10)
        for agent in ["a1", "a2", "a3"] as [AgentID] {
            #expect(h.told(agent) == [
                .autoTransfer(sessionId: s),
                .statusChanged(StatusChange(status: .notReady, restReason: nil, cause: .missedOffer)),
            ], "\(agent)")
        }
        #expect(h.history(s) == [.missed(agent: "a1"), .missed(agent: "a2"), .missed(agent: "a3"), .queued(skillGroupId: "g")])
        #expect(h.state(s) == .queued)
        #expect(h.machine.sessions[s]?.excludedAgents == ["a1", "a2", "a3"])
        // Missed agents that come back are not rung with it again; a new agent is.
        h.ok(.setStatus("a1", status: "free", restReason: nil))
        #expect(h.state(s) == .queued)
        h.ok(.setStatus("away", status: "free", restReason: nil))
        #expect(h.machine.sessions[s]?.ringingAgents == ["away"])
    }

    @Test func aMissWithTheFreeMissedStatusLeavesThemFree() {
        var h = setUp(offerTimeout: 10, missed: .free)
        let s = h.create(.im, in: "g")
        h.advance(seconds: 10)
        #expect([h.status("a1"), h.status("a2"), h.status("a3")] == [.free, .free, .free])
        let next = h.create(.im, in: "g")
        #expect(h.machine.sessions[next]?.ringingAgents == ["a1", "a2", "a3"], "they still get other sessions")
        #expect(h.state(s) == .queued)
    }

    @Test func anAgentLeavingStopsRingingOnlyForItself() {
        var h = setUp()
        let s = h.create(.im, in: "g")
        _ = h.take()
        // The state's own agent leaves: the next one takes its place, the deadline is kept.
        let deadline: Timestamp? = if case .ringing(_, let d) = h.state(s) { d } else { nil }
        h.ok(.setStatus("a1", status: "rest", restReason: "lunch"))
        #expect(h.told("a1").contains(.autoTransfer(sessionId: s)))
        #expect(h.state(s) == .ringing(agent: "a2", deadline: deadline))
        #expect(h.machine.sessions[s]?.ringingAgents == ["a2", "a3"])
        #expect(h.history(s) == [.withdrawn(agent: "a1", why: "agent became rest")])
        #expect(h.machine.agents["a1"]?.ringing.isEmpty == true)
        // Another leaves: one is left.
        h.ok(.offline("a3"))
        #expect(h.machine.sessions[s]?.ringingAgents == ["a2"])
        #expect(h.machine.sessions[s]?.alsoRinging == nil)
        // The last one leaves: back to the queue, with nobody excluded.
        _ = h.take()
        h.ok(.setStatus("a2", status: "notReady", restReason: nil))
        #expect(h.state(s) == .queued)
        #expect(h.history(s).prefix(2) == [.withdrawn(agent: "a2", why: "agent became notReady"), .queued(skillGroupId: "g")])
        #expect(h.machine.sessions[s]?.excludedAgents.isEmpty == true)
    }

    @Test func theCustomerLeavingEndsItAtEveryRingingAgent() {
        var h = setUp()
        let s = h.create(.phone, in: "g")
        _ = h.take()
        h.ok(.customerLeft(s))
        for agent in ["a1", "a2", "a3"] as [AgentID] {
            guard case .sessionEnded(let end)? = h.told(agent).first else {
                Issue.record("\(agent) was told \(h.told(agent))")
                continue
            }
            #expect(end.sessionId == s && end.closeBy == .client)
            #expect(h.machine.agents[agent]?.voiceLoad == 0 && h.machine.agents[agent]?.ringing.isEmpty == true)
        }
        #expect(h.history(s).last == .ended(closeBy: .client, agent: "a1", mainReason: nil, subReason: nil, why: nil))
        #expect(h.machine.tally.ringing == 0)
    }

    @Test func aRingingAgentCannotEndIt() {
        var h = setUp()
        let s = h.create(.im, in: "g")
        let message = h.refuse(.end("a3", s), .sessionRinging)
        #expect(message.contains("still ringing at agent a3"))
    }

    @Test func withTimeoutTransferOffItRingsOnAtEveryone() {
        var h = setUp(offerTimeout: 10, timeoutTransfer: false)
        let s = h.create(.im, in: "g")
        _ = h.take()
        h.advance(seconds: 10)
        #expect(h.state(s) == .ringing(agent: "a1", deadline: nil))
        #expect(h.machine.sessions[s]?.ringingAgents == ["a1", "a2", "a3"])
        #expect(h.history(s) == [.overdue(agent: "a1"), .overdue(agent: "a2"), .overdue(agent: "a3")])
        #expect(h.told("a1").isEmpty && h.told("a2").isEmpty, "nobody is told anything")
        h.ok(.accept("a3", s))
        #expect(h.state(s) == .accepted(agent: "a3"))
    }

    @Test func turningRingAllOffAffectsOnlyTheNextOffers() {
        var h = setUp()
        let s = h.create(.im, in: "g")
        h.ok(.upsertSkillGroup(SkillGroup(id: "g")))
        #expect(h.machine.sessions[s]?.ringingAgents == ["a1", "a2", "a3"], "the offer already ringing rings on")
        let next = h.create(.im, in: "g")
        #expect(h.machine.sessions[next]?.ringingAgents.count == 1)
    }

    @Test func aRestoredSnapshotDecidesTheRaceAsTheOriginal() throws {
        var h = setUp(offerTimeout: 10)
        let s = h.create(.im, in: "g")
        let data = try JSONEncoder().encode(h.machine.snapshot)
        var restored = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        #expect(restored.snapshot == h.machine.snapshot)
        let original = h.machine.handle(.accept("a3", s), at: h.now)
        let copy = restored.handle(.accept("a3", s), at: h.now)
        #expect(original.events == copy.events)
        #expect(restored.snapshot == h.machine.snapshot)
    }
}
