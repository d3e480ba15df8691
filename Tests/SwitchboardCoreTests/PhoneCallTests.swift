import Testing
@testable import SwitchboardCore

@Suite("Phone calls")
struct PhoneCallTests {
    func setUp() -> Harness {
        var h = Harness()
        h.group("desk")
        h.group("sales")
        h.agent("a1", in: ["desk", "sales"])
        h.agent("a2", in: ["desk"])
        _ = h.take()
        return h
    }

    func dial(_ h: inout Harness, from agent: AgentID = "a1", _ number: String = "+4930123456", group: SkillGroupID? = nil) -> SessionID {
        guard case .sessionCreated(let id) = h.ok(.startOutboundCall(agent, OutboundCall(phoneNumber: number, skillGroupId: group))) else {
            return SessionID("none")
        }
        return id
    }

    @Test func anInboundCallIsAPhoneSessionMarkedInbound() {
        var h = setUp()
        let s = h.create(.phone, in: "desk")
        #expect(h.machine.sessions[s]?.direction == .inbound)
        let im = h.create(.im, in: "desk")
        #expect(h.machine.sessions[im]?.direction == nil)
    }

    @Test func dialingHoldsTheCallAndMakesTheAgentBusy() {
        var h = setUp()
        let s = dial(&h)
        let session = h.machine.sessions[s]
        #expect(session?.type == .phone)
        #expect(session?.direction == .outbound)
        #expect(session?.state == .accepted(agent: "a1"))
        #expect(session?.isDialling == true)
        #expect(session?.acceptedAt == nil)
        #expect(session?.customer.calleePhoneNumber == "+4930123456")
        #expect(session?.skillGroupId == "desk")  // the agent's first group by name
        #expect(h.status("a1") == .busy)
        let told = h.told("a1")
        #expect(told.contains(.callOuted(sessionId: s, calleeUserId: nil, skillGroupId: "desk", phoneNumber: "+4930123456")))
        #expect(told.contains(.statusChanged(StatusChange(status: .busy, restReason: nil, cause: .callPlaced))))
        #expect(h.history(s).contains(.dialled(agent: "a1", phoneNumber: "+4930123456")))
        // The agent's voice capacity is taken: an inbound call goes to the other agent.
        let inbound = h.create(.phone, in: "desk")
        #expect(h.state(inbound)?.agent == "a2")
    }

    @Test func aCallTheServerAPIPlacesSaysSoInCallOuted() {
        var h = setUp()
        guard case .sessionCreated(let s) = h.ok(.startOutboundCall("a1", OutboundCall(phoneNumber: "+4930123456", uui: "order=1", placedByServerAPI: true))) else {
            Issue.record("no session")
            return
        }
        // None of the agent's pages dialled it: the notification says so, so that one offers.
        #expect(h.told("a1").contains(.callOuted(sessionId: s, calleeUserId: nil, skillGroupId: "desk", phoneNumber: "+4930123456", byServerAPI: true)))
        #expect(h.machine.sessions[s]?.customer.clientData == "order=1")
    }

    @Test func theAnswerCountsAsTheAccept() {
        var h = setUp()
        let s = dial(&h, group: "sales")
        h.advance(seconds: 7)
        _ = h.take()
        h.ok(.calleeAnswered(s))
        #expect(h.machine.sessions[s]?.isDialling == false)
        #expect(h.told("a1") == [.calloutAccepted(sessionId: s)])
        #expect(h.history(s) == [.accepted(agent: "a1")])
        h.refuse(.calleeAnswered(s), .invalidSession)
        h.refuse(.outboundCallFailed(s, .busy, detail: nil), .invalidSession)
        h.advance(seconds: 30)
        h.ok(.end("a1", s))
        let ended = h.told("a1").compactMap { if case .sessionEnded(let end) = $0 { end } else { nil } }
        #expect(ended == [SessionEnd(sessionId: s, closeBy: .seat, type: .phone, duration: 30)])
    }

    @Test func aFailedCallEndsWithItsStatusAndFreesTheAgent() {
        var h = setUp()
        let s = dial(&h)
        _ = h.take()
        h.ok(.outboundCallFailed(s, .busy, detail: "486 Busy Here"))
        #expect(h.machine.sessions[s] == nil)
        #expect(h.told("a1").first == .sessionEnded(SessionEnd(sessionId: s, closeBy: .client, type: .phone, duration: 0, endStatus: "busy")))
        #expect(h.history(s).last == .ended(closeBy: .client, agent: "a1", mainReason: nil, subReason: nil, why: "486 Busy Here", endStatus: "busy"))
        #expect(h.status("a1") == .free)
        #expect(h.machine.agents["a1"]?.voiceLoad == 0)
    }

    @Test func hangingUpBeforeTheAnswerIsACallerCancel() {
        var h = setUp()
        let s = dial(&h)
        _ = h.take()
        h.ok(.end("a1", s))
        #expect(h.history(s).last == .ended(closeBy: .seat, agent: "a1", mainReason: nil, subReason: nil, why: nil, endStatus: "callerCancel"))
    }

    @Test func anUnansweredCallCannotBeTransferred() {
        var h = setUp()
        let s = dial(&h)
        h.refuse(.transfer("a1", s, skillGroupId: "desk", userId: nil), .invalidSession)
        h.ok(.calleeAnswered(s))
        h.ok(.transfer("a1", s, skillGroupId: nil, userId: "a2"))
        #expect(h.state(s).map(SessionState.ringing("a2")) == true)
    }

    @Test func dialingFromRestReturnsToRestAfterwards() {
        var h = setUp()
        h.ok(.setStatus("a1", status: "rest", restReason: "lunch"))
        let s = dial(&h)
        #expect(h.status("a1") == .busy)
        h.ok(.calleeAnswered(s))
        h.ok(.end("a1", s))
        #expect(h.status("a1") == .rest)
        #expect(h.machine.agents["a1"]?.restReason == "lunch")
    }

    @Test func badDialsAreRefusedAndChangeNothing() {
        var h = setUp()
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: "")), .invalidSession)
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: "12;3")), .invalidSession)
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: "1+2")), .invalidSession)
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: String(repeating: "1", count: 33))), .invalidSession)
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: "123", callerPhoneNumber: "abc")), .invalidSession)
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: "123", skillGroupId: "nope")), .unknownSkillGroup)
        h.refuse(.startOutboundCall("ghost", OutboundCall(phoneNumber: "123")), .unknownAgent)
        h.agent("a3", in: [], online: false)
        h.refuse(.startOutboundCall("a3", OutboundCall(phoneNumber: "123")), .agentOffline)
        h.agent("a4", in: [])
        h.refuse(.startOutboundCall("a4", OutboundCall(phoneNumber: "123")), .unknownSkillGroup)
        _ = dial(&h)
        h.refuse(.startOutboundCall("a1", OutboundCall(phoneNumber: "123")), .inUse)
        let chat = h.create(.im, in: "desk")
        h.refuse(.callerDigits(chat, "1"), .invalidSession)
        h.refuse(.calleeAnswered(chat), .invalidSession)
        h.refuse(.outboundCallFailed(chat, .busy, detail: nil), .invalidSession)
    }

    @Test func callerDigitsAreKeptInTheHistory() {
        var h = setUp()
        let s = h.create(.phone, in: "desk")
        h.ok(.callerDigits(s, "12#"))
        #expect(h.history(s).last == .digits("12#"))
        h.refuse(.callerDigits(s, ""), .invalidSession)
        h.refuse(.callerDigits(s, "1x"), .invalidSession)
        h.refuse(.callerDigits(SessionID("s-404"), "1"), .unknownSession)
    }

    @Test func anOutboundCallSurvivesASnapshot() {
        var h = setUp()
        let s = dial(&h)
        let restored = RoutingStateMachine(snapshot: h.machine.snapshot)
        #expect(restored.sessions[s] == h.machine.sessions[s])
        #expect(restored.sessions[s]?.isDialling == true)
    }
}

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test func aNumberIsBoundToAnExistingGroupAndKeptInSnapshots() {
        var h = Harness()
        h.group("desk")
        h.group("sales")
        h.ok(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "desk")))
        h.ok(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "sales", priority: 5)))
        #expect(h.machine.phoneNumbers["+4930100"] == PhoneNumberBinding(number: "+4930100", skillGroupId: "sales", priority: 5))
        let restored = RoutingStateMachine(snapshot: h.machine.snapshot)
        #expect(restored.phoneNumbers == h.machine.phoneNumbers)
        h.refuse(.removeSkillGroup("sales"), .inUse)
        h.ok(.removePhoneNumber("+4930100"))
        h.ok(.removeSkillGroup("sales"))
    }

    @Test func badBindingsAreRefused() {
        var h = Harness()
        h.group("desk")
        h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "nope")), .unknownSkillGroup)
        h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "sip:x", skillGroupId: "desk")), .invalidConfiguration)
        h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "100", skillGroupId: "desk", priority: 1000)), .invalidConfiguration)
        h.refuse(.removePhoneNumber("100"), .invalidConfiguration)
    }
}

@Suite("Phone calls when the agent's connection is lost")
struct PhoneAgentLostTests {
    @Test func anInboundCallReturnsToTheQueueAndAnOutboundOneEnds() {
        var h = Harness()
        h.group("desk")
        h.agent("a1", in: ["desk"])
        h.agent("a2", in: ["desk"], online: false)
        let inbound = h.create(.phone, in: "desk")
        h.ok(.accept("a1", inbound))
        _ = h.take()
        // a1 loses every connection; the grace period runs out.
        let connections = h.machine.agents["a1"]!.connections
        for connection in connections.sorted() { h.ok(.disconnect("a1", connection)) }
        h.advance(seconds: Double(h.machine.configuration.reconnectGraceSeconds) + 1)
        #expect(h.state(inbound) == .queued)
        #expect(h.told("a1").contains(.autoTransfer(sessionId: inbound)))
        #expect(h.shown(inbound).contains(.queued(skillGroupId: "desk")))
        #expect(h.history(inbound).contains { if case .returnedToQueue(agent: "a1", _) = $0 { true } else { false } })
        #expect(h.machine.agents["a1"]?.voiceLoad == 0)
        // The next agent gets it.
        h.ok(.online("a2"))
        #expect(h.state(inbound).map(SessionState.ringing("a2")) == true)
    }

    @Test func anOutboundCallEndsAsAnAdminEndWithTheReason() {
        var h = Harness()
        h.group("desk")
        h.agent("a1", in: ["desk"])
        guard case .sessionCreated(let call) = h.ok(.startOutboundCall("a1", OutboundCall(phoneNumber: "+4930555"))) else { return }
        h.ok(.calleeAnswered(call))
        _ = h.take()
        for connection in h.machine.agents["a1"]!.connections.sorted() { h.ok(.disconnect("a1", connection)) }
        h.advance(seconds: Double(h.machine.configuration.reconnectGraceSeconds) + 1)
        #expect(h.machine.sessions[call] == nil)
        let ended = h.history(call).last
        #expect(ended.map { if case .ended(.admin, "a1", "agentConnectionLost", _, _, _) = $0 { true } else { false } } == true)
    }
}
