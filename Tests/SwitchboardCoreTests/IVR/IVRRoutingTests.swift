import Foundation
import Testing
@testable import SwitchboardCore

/// Flows as configuration of the routing core, numbers bound to them, and the record of calls
/// that ended inside one.
@Suite("IVR flows in the routing core")
struct IVRRoutingTests {
    func withGroups() -> Harness {
        var h = Harness()
        for group: SkillGroupID in ["sales", "billing", "tech"] { h.group(group) }
        return h
    }

    @Test func aFlowIsSavedBoundToANumberAndKeptInSnapshots() {
        var h = withGroups()
        h.ok(.upsertIVRFlow(IVRFixtures.mainFlow()))
        h.ok(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", ivrFlowId: "main")))
        #expect(h.machine.ivrFlows["main"] == IVRFixtures.mainFlow())
        #expect(h.machine.phoneNumbers["+4930100"]?.ivrFlowId == "main")
        let restored = RoutingStateMachine(snapshot: h.machine.snapshot)
        #expect(restored.ivrFlows == h.machine.ivrFlows)
        #expect(restored.snapshot == h.machine.snapshot)
    }

    @Test func anInvalidFlowIsRefusedAndChangesNothing() {
        var h = withGroups()
        h.ok(.removeSkillGroup("tech"))
        let message = h.refuse(.upsertIVRFlow(IVRFixtures.mainFlow()), .unknownSkillGroup)
        #expect(message == "flow main: node tech: skillGroupId names skill group tech, which does not exist")
        #expect(h.machine.ivrFlows.isEmpty)
    }

    @Test func whatAFlowUsesCannotBeRemovedUnderIt() {
        var h = withGroups()
        h.ok(.upsertIVRFlow(IVRFixtures.mainFlow()))
        #expect(h.refuse(.removeSkillGroup("billing"), .inUse) == "skill group billing is where IVR flow main queues calls; change the flow first")
        h.ok(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", ivrFlowId: "main")))
        #expect(h.refuse(.removeIVRFlow("main"), .inUse) == "IVR flow main answers phone number +4930100; bind the number elsewhere or remove it first")
        h.ok(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "sales")))
        h.ok(.removeIVRFlow("main"))
        h.ok(.removeSkillGroup("billing"))
        #expect(h.refuse(.removeIVRFlow("main"), .unknownIVRFlow) == "IVR flow main does not exist")
    }

    @Test func aNumberNamesExactlyOneOfAGroupAndAFlow() {
        var h = withGroups()
        h.ok(.upsertIVRFlow(IVRFixtures.mainFlow()))
        let both = h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "sales", ivrFlowId: "main")), .invalidConfiguration)
        #expect(both == "phone number +4930100 must be bound to a skill group or to an IVR flow: give exactly one of skillGroupId and ivrFlowId")
        h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100")), .invalidConfiguration)
        h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", ivrFlowId: "nope")), .unknownIVRFlow)
        let ringing = h.refuse(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", ivrFlowId: "main", answerWhenAccepted: true)), .invalidConfiguration)
        #expect(ringing.contains("answerWhenAccepted cannot be used with an IVR flow"))
    }

    @Test func aCallerWhoHangsUpInTheMenuIsRecordedAsIvrGiveUp() throws {
        var h = withGroups()
        h.ok(.upsertIVRFlow(IVRFixtures.mainFlow()))
        let entered = h.now
        h.advance(seconds: 12)
        _ = h.take()
        let customer = CustomerDetails(calleePhoneNumber: "+4930100", callerPhoneNumber: "+4917000", ivrPath: [IVRStep(key: "2", label: "support")], serverType: "staffSeat")
        let reply = h.ok(.ivrEnded(IVREnding(flowId: "main", customer: customer, keys: "72", enteredAt: entered, endStatus: "ivrGiveUp")))
        guard case .sessionRecorded(let id) = reply else { Issue.record("\(reply)"); return }
        #expect(h.machine.sessions[id] == nil, "never live")
        let events = h.events.filter { if case .history(id, _) = $0.effect { true } else { false } }
        #expect(events.first?.at == entered, "the record starts when the call entered the flow")
        #expect(h.history(id) == [
            .created(type: .phone, skillGroupId: RoutingStateMachine.noSkillGroup, priority: 0, customer: customer),
            .digits("72"),
            .ended(closeBy: .client, agent: nil, mainReason: nil, subReason: nil, why: "the caller hung up in IVR flow main", endStatus: "ivrGiveUp"),
        ])
        #expect(h.events.allSatisfy { if case .agent = $0.effect { false } else { true } }, "no agent hears of it")
    }

    @Test func aFlowThatHangsUpIsTheSystemsDoing() {
        var h = withGroups()
        let reply = h.ok(.ivrEnded(IVREnding(flowId: "main", customer: CustomerDetails(), keys: "", enteredAt: h.now, endStatus: "notWorkTime")))
        guard case .sessionRecorded(let id) = reply else { Issue.record("\(reply)"); return }
        #expect(h.history(id).last == .ended(closeBy: .admin, agent: nil, mainReason: "notWorkTime", subReason: nil, why: "IVR flow main ended the call", endStatus: "notWorkTime"))
        #expect(!h.history(id).contains(.digits("")), "no keys, no digits line")
    }

    @Test func aBadEndingIsRefused() {
        var h = withGroups()
        h.refuse(.ivrEnded(IVREnding(flowId: "main", customer: CustomerDetails(), keys: "", enteredAt: h.now, endStatus: "ok")), .invalidSession)
        h.refuse(.ivrEnded(IVREnding(flowId: "main", customer: CustomerDetails(), keys: "1x", enteredAt: h.now, endStatus: "ivrGiveUp")), .invalidSession)
        h.refuse(.ivrEnded(IVREnding(flowId: "main", customer: CustomerDetails(), keys: "", enteredAt: h.now, endStatus: "ivrGiveUp", type: .im)), .invalidSession)
    }

    /// A call the flow queues arrived when it was answered: its record starts then, its queue
    /// (and its timeouts) when it is queued.
    @Test func aCallQueuedByAFlowIsCreatedWhenItArrivedAndQueuedNow() {
        var h = withGroups()
        let arrived = h.now
        h.advance(seconds: 9)
        let customer = CustomerDetails(calleePhoneNumber: "+4930100", ivrPath: [IVRStep(key: "1", label: "sales")])
        _ = h.take()
        let reply = h.ok(.createSession(NewSession(type: .phone, skillGroupId: "sales", customer: customer, arrivedAt: arrived)))
        guard case .sessionCreated(let id) = reply else { Issue.record("\(reply)"); return }
        let lines = h.events.compactMap { event -> (Timestamp, SessionHistoryEntry)? in
            if case .history(id, let entry) = event.effect { (event.at, entry) } else { nil }
        }
        #expect(lines.first?.0 == arrived && lines.first?.1 == .created(type: .phone, skillGroupId: "sales", priority: 0, customer: customer))
        #expect(lines.contains { $0.0 == h.now && $0.1 == .queued(skillGroupId: "sales") }, "queued now: \(lines)")
        #expect(h.machine.sessions[id]?.createdAt == h.now, "the queue's clock starts when it is queued")

        // A gateway's clock a little ahead of the core's never dates a record in the future.
        let ahead = h.ok(.createSession(NewSession(type: .phone, skillGroupId: "sales", arrivedAt: h.now.adding(seconds: 5))))
        guard case .sessionCreated(let later) = ahead else { Issue.record("\(ahead)"); return }
        #expect(h.events.first { if case .history(later, .created) = $0.effect { true } else { false } }?.at == h.now)

        // Turned away after the flow: recorded from the arrival too.
        var closed = Harness()
        closed.ok(.upsertSkillGroup(SkillGroup(id: "night", endWhenNoSeatOnline: true)))
        let start = closed.now
        closed.advance(seconds: 4)
        let refused = closed.ok(.createSession(NewSession(type: .phone, skillGroupId: "night", arrivedAt: start)))
        guard case .sessionTurnedAway(let away, "noSeatOnline", _) = refused else { Issue.record("\(refused)"); return }
        #expect(closed.events.first { if case .history(away, .created) = $0.effect { true } else { false } }?.at == start)
    }

    /// Journals written before `arrivedAt` existed replay as they did: the session arrives as it is queued.
    @Test func aCreateSessionFromAnOlderJournalStillLoads() throws {
        let old = #"{"createSession":{"_0":{"type":"phone","skillGroupId":"sales","priority":2,"customer":{"callerPhoneNumber":"+4917000"}}}}"#
        let command = try JSONDecoder().decode(RoutingCommand.self, from: Data(old.utf8))
        guard case .createSession(let request) = command else { Issue.record("\(command)"); return }
        #expect(request.arrivedAt == nil && request.priority == 2 && request.customer.callerPhoneNumber == "+4917000")
        // And a new one without an arrival writes no field an older server would trip on.
        let written = String(decoding: try JSONEncoder().encode(RoutingCommand.createSession(NewSession(type: .im, skillGroupId: "sales"))), as: UTF8.self)
        #expect(!written.contains("arrivedAt"), "\(written)")
        let withArrival = RoutingCommand.createSession(NewSession(type: .phone, skillGroupId: "sales", arrivedAt: Timestamp(seconds: 5)))
        #expect(try JSONDecoder().decode(RoutingCommand.self, from: JSONEncoder().encode(withArrival)) == withArrival)

        var h = withGroups()
        _ = h.take()
        let reply = h.ok(command)
        guard case .sessionCreated(let id) = reply else { Issue.record("\(reply)"); return }
        #expect(h.events.first { if case .history(id, .created) = $0.effect { true } else { false } }?.at == h.now)
    }

    /// A web call from the widget walks a flow too: its record is a voip session.
    @Test func aWebCallThatGivesUpInTheMenuIsRecordedAsVoip() {
        var h = withGroups()
        let customer = CustomerDetails(nickname: "Ann", ivrPath: [IVRStep(key: "1", label: "sales")])
        let reply = h.ok(.ivrEnded(IVREnding(flowId: "main", customer: customer, keys: "1", enteredAt: h.now, endStatus: "ivrGiveUp", type: .voip)))
        guard case .sessionRecorded(let id) = reply else { Issue.record("\(reply)"); return }
        #expect(h.history(id).first == .created(type: .voip, skillGroupId: RoutingStateMachine.noSkillGroup, priority: 0, customer: customer))
    }

    /// Journals written before web calls had flows carry no type: those endings were phone calls.
    @Test func anEndingWithoutATypeDecodesAsAPhoneCall() throws {
        let old = #"{"flowId":"main","customer":{},"keys":"","enteredAt":1,"endStatus":"ivrGiveUp"}"#
        let ending = try JSONDecoder().decode(IVREnding.self, from: Data(old.utf8))
        #expect(ending.type == nil)
        var h = withGroups()
        guard case .sessionRecorded(let id) = h.ok(.ivrEnded(ending)) else { Issue.record("not recorded"); return }
        if case .created(let type, _, _, _)? = h.history(id).first { #expect(type == .phone) } else { Issue.record("no created line") }
    }

    @Test func aQueuedCallCarriesItsPathToTheAgent() {
        var h = withGroups()
        h.agent("a1", in: ["tech"])
        let path = [IVRStep(key: "2", label: "support"), IVRStep(key: "2", label: "tech")]
        _ = h.create(.phone, in: "tech", customer: CustomerDetails(calleePhoneNumber: "+4930100", ivrPath: path))
        let callIn = h.events.compactMap { if case .agent("a1", .callIn(let offer)) = $0.effect { offer } else { nil } }.first
        #expect(callIn?.customer.ivrPath == path)
    }
}
