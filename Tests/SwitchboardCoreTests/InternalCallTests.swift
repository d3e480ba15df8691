import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Internal calls")
struct InternalCallTests {
    /// A group with three agents, all free.
    func setUp(offerTimeout: Int = 20) -> Harness {
        var h = Harness()
        h.group("desk", offerTimeout: offerTimeout)
        h.agent("a1", in: ["desk"])
        h.agent("a2", in: ["desk"])
        h.agent("a3", in: ["desk"])
        _ = h.take()
        return h
    }

    func place(_ h: inout Harness, from caller: AgentID, to callee: AgentID? = nil, group: SkillGroupID? = nil) -> SessionID {
        guard case .sessionCreated(let id) = h.ok(.startInternalCall(caller, calleeUserId: callee, skillGroupId: group)) else {
            return SessionID("none")
        }
        return id
    }

    @Test func aCallToAnAgentRingsItWithTheCallerAsPeer() {
        var h = setUp()
        let s = place(&h, from: "a1", to: "a3")
        #expect(h.state(s).map(SessionState.ringing("a3")) == true)
        let offer = h.told("a3").compactMap { if case .callIn(let offer) = $0 { offer } else { nil } }.first
        #expect(offer?.type == .internal)
        #expect(offer?.customer.peerUserId == "a1")
        #expect(h.told("a1").first == .callOuted(sessionId: s, calleeUserId: "a3", skillGroupId: "desk"))
        // The caller's voice capacity is taken: a customer call goes to someone else.
        #expect(h.machine.agents["a1"]?.voiceLoad == 1)
        _ = h.take()
        let customerCall = h.create(.voip, in: "desk")
        #expect(h.state(customerCall)?.agent == "a2")

        h.ok(.accept("a3", s))
        #expect(h.told("a1").contains(.calloutAccepted(sessionId: s)))
        #expect(h.status("a3") == .busy)
        #expect(h.status("a1") == .free, "the caller's own status is left as it chose")
    }

    @Test func whoeverEndsItBothHearAndTheCallerIsFreedForCalls() {
        var h = setUp()
        let s = place(&h, from: "a1", to: "a2")
        h.ok(.accept("a2", s))
        _ = h.take()
        h.ok(.callerHungUp("a1", s))
        let toCaller = h.told("a1").compactMap { if case .sessionEnded(let end) = $0 { end } else { nil } }.first
        let toCallee = h.told("a2").compactMap { if case .sessionEnded(let end) = $0 { end } else { nil } }.first
        #expect(toCaller?.closeBy == .client && toCallee?.closeBy == .client)
        #expect(h.machine.agents["a1"]?.voiceLoad == 0)

        let t = place(&h, from: "a1", to: "a2")
        h.ok(.accept("a2", t))
        _ = h.take()
        h.ok(.end("a2", t))
        #expect(h.told("a1").contains { if case .sessionEnded(let end) = $0 { end.closeBy == .seat } else { false } })
    }

    @Test func anUnansweredCallToAnAgentEndsWithoutPenalty() {
        var h = setUp(offerTimeout: 5)
        let s = place(&h, from: "a1", to: "a2")
        _ = h.take()
        h.advance(seconds: 6)
        #expect(h.machine.sessions[s] == nil)
        #expect(h.told("a1").contains { if case .sessionEnded(let end) = $0 { end.closeBy == .timer } else { false } })
        #expect(h.status("a2") == .free)
        #expect(h.offers().isEmpty, "nobody else is rung")
    }

    @Test func aCallToAGroupSkipsTheCaller() {
        var h = setUp()
        let s = place(&h, from: "a1", group: "desk")
        let ringing = h.state(s)?.agent
        #expect(ringing == "a2" || ringing == "a3")
        h.refuse(.accept("a1", s), .notRinging)
    }

    @Test func refusalsChangeNothing() {
        var h = setUp()
        h.refuse(.startInternalCall("a1", calleeUserId: nil, skillGroupId: nil), .invalidSession)
        h.refuse(.startInternalCall("a1", calleeUserId: "a1", skillGroupId: nil), .transferTargetUnavailable)
        h.refuse(.startInternalCall("a1", calleeUserId: "ghost", skillGroupId: nil), .unknownAgent)
        h.refuse(.startInternalCall("a1", calleeUserId: nil, skillGroupId: "nowhere"), .unknownSkillGroup)
        h.ok(.setStatus("a2", status: "rest", restReason: "lunch"))
        h.refuse(.startInternalCall("a1", calleeUserId: "a2", skillGroupId: nil), .transferTargetUnavailable)
        let s = place(&h, from: "a1", to: "a3")
        h.refuse(.startInternalCall("a1", calleeUserId: "a3", skillGroupId: nil), .inUse)
        h.refuse(.callerHungUp("a2", s), .notHeld)
    }

    @Test func goingOfflineHangsUpTheCallsAnAgentPlaced() {
        var h = setUp()
        let s = place(&h, from: "a1", to: "a2")
        h.ok(.accept("a2", s))
        _ = h.take()
        h.ok(.offline("a1"))
        #expect(h.machine.sessions[s] == nil)
        #expect(h.told("a2").contains { if case .sessionEnded(let end) = $0 { end.closeBy == .client } else { false } })
    }

    @Test func aTransferredCallRingsAgainForTheCaller() {
        var h = setUp()
        let s = place(&h, from: "a1", to: "a2")
        h.ok(.accept("a2", s))
        _ = h.take()
        h.ok(.transfer("a2", s, skillGroupId: nil, userId: "a3"))
        #expect(h.told("a1") == [.callOuted(sessionId: s, calleeUserId: "a3", skillGroupId: "desk")])
        h.ok(.accept("a3", s))
        #expect(h.told("a1").last == .calloutAccepted(sessionId: s))
    }

    @Test func aCallerWhoseConnectionIsGoneHangsUp() {
        var h = setUp()
        let s = place(&h, from: "a1", group: "desk")
        _ = h.take()
        for connection in h.machine.agents["a1"]!.connections { h.ok(.disconnect("a1", connection)) }
        h.advance(seconds: Double(h.machine.configuration.reconnectGraceSeconds + 1))
        #expect(h.machine.sessions[s] == nil)
        #expect(h.machine.agents["a1"]?.voiceLoad == 0)
    }

    @Test func placedCallsSurviveASnapshot() throws {
        var h = setUp()
        let s = place(&h, from: "a1", to: "a2")
        let data = try JSONEncoder().encode(h.machine.snapshot)
        let restored = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        #expect(restored.sessions[s]?.caller == "a1")
        #expect(restored.sessions[s]?.directedTo == "a2")
        #expect(restored.callsPlaced(by: "a1").map(\.id) == [s])
    }
}
