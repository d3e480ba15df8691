import Foundation
import Testing
@testable import SwitchboardCore

/// `UsingLastSeat`: a returning customer is offered first to the agent who last served them.
@Suite("Using the last seat")
struct LastSeatTests {
    static let ann = CustomerDetails(nickname: "Ann", userId: "site-user-17")

    /// A group whose strategy always prefers a1 (the better skill level), with a2 having served
    /// Ann before.
    func setUp(usingLastSeat: Bool = true, ringAll: Bool = false) -> Harness {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", strategy: .skillLevel, offerTimeoutSeconds: 10, missedOfferStatus: .free,
                                          ringAll: ringAll, usingLastSeat: usingLastSeat)))
        h.agent("a1", in: ["g"], levels: ["g": 1])
        h.agent("a2", in: ["g"], levels: ["g": 5])
        serve(&h, Self.ann, by: "a2")
        h.advance(seconds: 1)
        _ = h.take()
        return h
    }

    /// Routes a session for `customer` to `agent` (the only one free), who accepts and ends it.
    func serve(_ h: inout Harness, _ customer: CustomerDetails, type: SessionType = .im, by agent: AgentID) {
        let others = h.machine.agents.keys.filter { $0 != agent && h.status($0) == .free }.sorted()
        for other in others { h.ok(.setStatus(other, status: "notReady", restReason: nil)) }
        let s = h.create(type, in: "g", customer: customer)
        #expect(h.state(s)?.agent == agent)
        h.ok(.accept(agent, s))
        h.ok(.end(agent, s))
        for other in others { h.ok(.setStatus(other, status: "free", restReason: nil)) }
    }

    @Test func aReturningCustomerRingsFirstAtTheAgentWhoServedThem() throws {
        var h = setUp()
        #expect(h.machine.lastSeats.agent(for: "user:site-user-17") == "a2")
        let again = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.state(again)?.agent == "a2")
        let reason = try #require(h.history(again).compactMap { if case .offered(_, let r) = $0 { r } else { nil } }.first)
        #expect(reason.lastSeat && reason.passedOver.isEmpty)
        let stranger = h.create(.im, in: "g", customer: CustomerDetails(nickname: "Bo", userId: "someone-else"))
        #expect(h.state(stranger)?.agent == "a1", "the strategy picks for customers nobody served")
    }

    @Test func withTheSettingOffTheStrategyDecides() {
        var h = setUp(usingLastSeat: false)
        let again = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.state(again)?.agent == "a1", "remembered, but not used")
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", strategy: .skillLevel, offerTimeoutSeconds: 10, missedOfferStatus: .free, usingLastSeat: true)))
        let later = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.state(later)?.agent == "a2", "memory kept while the setting was off is used once it is on")
    }

    @Test func whenTheLastAgentIsNotEligibleNowTheStrategyApplies() {
        var h = setUp()
        h.ok(.setStatus("a2", status: "rest", restReason: "coffee"))
        let again = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.state(again)?.agent == "a1", "the customer does not wait for their last agent")
        h.ok(.setStatus("a2", status: "free", restReason: nil))
        #expect(h.state(again)?.agent == "a1", "an offer already made is not taken back")
    }

    @Test func aLastAgentWhoMissesItIsPassedOverAsAnyOther() {
        var h = setUp()
        let again = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.state(again)?.agent == "a2")
        h.advance(seconds: 10)
        #expect(h.state(again)?.agent == "a1")
    }

    @Test func theLastSeatIsTheAgentWhoLastAcceptedAfterATransfer() {
        var h = setUp()
        h.agent("a3", in: ["g"])
        let again = h.create(.im, in: "g", customer: Self.ann)
        h.ok(.accept("a2", again))
        h.ok(.transfer("a2", again, skillGroupId: nil, userId: "a3"))
        h.ok(.accept("a3", again))
        #expect(h.machine.lastSeats.agent(for: "user:site-user-17") == "a3")
    }

    @Test func customersAreKnownByClientDataWithoutAUserIdAndCallersByTheirNumber() {
        var h = setUp()
        let byData = CustomerDetails(nickname: "Cy", clientData: "crm=4711")
        serve(&h, byData, by: "a1")
        h.advance(seconds: 1)
        let callerCustomer = CustomerDetails(callerPhoneNumber: "+4930123456")
        serve(&h, callerCustomer, type: .phone, by: "a2")
        #expect(h.machine.lastSeats.agent(for: "data:crm=4711") == "a1")
        #expect(h.machine.lastSeats.agent(for: "phone:+4930123456") == "a2")

        // The strategy prefers a1; each returning customer still gets its own agent.
        let call = h.create(.phone, in: "g", customer: callerCustomer)
        #expect(h.state(call)?.agent == "a2")
        let chat = h.create(.im, in: "g", customer: byData)
        #expect(h.state(chat)?.agent == "a1")
    }

    @Test func customersWhoGiveNothingAreNotRemembered() {
        var h = setUp()
        let before = h.machine.lastSeats.count
        serve(&h, CustomerDetails(nickname: "Anonymous"), by: "a1")
        serve(&h, CustomerDetails(callerPhoneNumber: "anonymous"), type: .phone, by: "a1")
        #expect(h.machine.lastSeats.count == before)
        let internalCall = h.ok(.startInternalCall("a1", calleeUserId: "a2", skillGroupId: nil))
        guard case .sessionCreated(let call) = internalCall else { return }
        h.ok(.accept("a2", call))
        #expect(h.machine.lastSeats.count == before, "colleagues are not customers")
    }

    @Test func anOutboundCallAnsweredMakesTheCalleeTheAgentsReturningCustomer() {
        var h = setUp()
        let reply = h.ok(.startOutboundCall("a2", OutboundCall(phoneNumber: "+4989777", callerPhoneNumber: "+4930100")))
        guard case .sessionCreated(let dialled) = reply else { return }
        h.ok(.calleeAnswered(dialled))
        h.ok(.end("a2", dialled))
        #expect(h.machine.lastSeats.agent(for: "phone:+4989777") == "a2", "the callee, not the number shown as the caller")
        #expect(h.machine.lastSeats.agent(for: "phone:+4930100") == nil)
        let callback = h.create(.phone, in: "g", customer: CustomerDetails(callerPhoneNumber: "+4989777"))
        #expect(h.state(callback)?.agent == "a2")
    }

    @Test func inARingAllGroupTheLastAgentRingsAloneFirst() {
        var h = setUp(ringAll: true)
        let again = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.machine.sessions[again]?.ringingAgents == ["a2"])
        h.advance(seconds: 10)
        #expect(h.machine.sessions[again]?.ringingAgents == ["a1"], "after its miss, all the others ring (here only a1)")
        let stranger = h.create(.im, in: "g", customer: CustomerDetails(nickname: "Bo"))
        #expect(h.machine.sessions[stranger]?.ringingAgents == ["a1", "a2"])
    }

    @Test func aRemovedAgentIsForgotten() {
        var h = setUp()
        h.ok(.offline("a2"))
        h.ok(.removeAgent("a2"))
        #expect(h.machine.lastSeats.agent(for: "user:site-user-17") == nil)
        h.agent("a2", in: ["g"])
        let again = h.create(.im, in: "g", customer: Self.ann)
        #expect(h.state(again)?.agent == "a1", "a new agent under the old id does not inherit its customers")
    }

    @Test func theMemoryForgetsTheLeastRecentlyServedBeyondItsBound() {
        var seats = LastSeats(capacity: 3)
        seats.remember("a1", for: "c1")
        seats.remember("a2", for: "c2")
        seats.remember("a3", for: "c3")
        seats.remember("a4", for: "c1")  // served again: now the most recent
        seats.remember("a5", for: "c4")
        #expect(seats.count == 3)
        #expect(seats.agent(for: "c2") == nil, "the least recently served is forgotten first")
        #expect(seats.agent(for: "c1") == "a4" && seats.agent(for: "c3") == "a3" && seats.agent(for: "c4") == "a5")
        // Many updates of the same customers never grow it.
        for round in 0..<1_000 { seats.remember(AgentID("a\(round % 7)"), for: "c\(round % 3)") }
        #expect(seats.count == 3)
        // The last round served c0 by a5 (999), c2 by a4 (998), c1 by a3 (997).
        #expect([seats.agent(for: "c0"), seats.agent(for: "c1"), seats.agent(for: "c2")] == ["a5", "a3", "a4"])
        seats.forget("a5")
        #expect(seats.count == 2 && seats.agent(for: "c0") == nil)
        seats.remember("a9", for: "c9")
        seats.remember("a8", for: "c8")
        #expect(seats.count == 3 && seats.agent(for: "c1") == nil, "c1 (997) was the least recently served left")
        #expect(LastSeats.defaultCapacity == 100_000)
    }

    @Test func theMemoryIsInTheSnapshotAndOldSnapshotsLoadWithout() throws {
        var h = setUp()
        let data = try JSONEncoder().encode(h.machine.snapshot)
        var restored = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        #expect(restored.lastSeats == h.machine.lastSeats)
        let command = RoutingCommand.createSession(NewSession(type: .im, skillGroupId: "g", customer: Self.ann))
        #expect(restored.handle(command, at: h.now).events == h.machine.handle(command, at: h.now).events)
        #expect(restored.snapshot == h.machine.snapshot)

        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["lastSeats"] = nil
        let old = try JSONDecoder().decode(RoutingSnapshot.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(RoutingStateMachine(snapshot: old).lastSeats.count == 0)
    }

    @Test func longIdentitiesAreKeptAsADigest() {
        let long = String(repeating: "x", count: 4000)
        let key = Session.bounded(long)
        #expect(key.hasPrefix("#") && key.count <= 17)
        #expect(Session.bounded(long) == key, "the same in every process")
        #expect(Session.bounded(long + "y") != key)
        #expect(Session.bounded("short") == "short")
    }
}
