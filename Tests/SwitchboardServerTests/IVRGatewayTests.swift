import Foundation
import SwitchboardCore
import SwitchboardProtocol
@testable import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// IVR flows against real peers: sipp as the caller pressing keys (RFC 4733 events from
/// sip-tester's pcaps, or SIP INFO), the server's own rtpengine playing the prompts espeak-ng
/// speaks and reporting the keys, agents over the agent socket.
@Suite("IVR flows on the phone gateway", .serialized)
struct IVRGatewayTests {
    static let support = SkillGroup(id: "support", name: "Support", offerTimeoutSeconds: 30)

    /// Press 1 for sales, 2 for support; a second menu-less wait of 1 s, one retry, then goodbye.
    static let flow = IVRFlow(id: "main", name: "Main line", start: "menu", nodes: [
        IVRNode(id: "menu", .menu(.init(
            prompt: IVRPrompt(text: "Press 1 for sales, 2 for support."),
            choices: [IVRChoice(digits: "1", label: "sales", next: "sales"), IVRChoice(digits: "2", label: "support", next: "support")],
            timeoutSeconds: 1, interDigitSeconds: 2, retries: 1, onFailure: "bye"))),
        IVRNode(id: "sales", .queue(skillGroupId: "sales", priority: 0)),
        IVRNode(id: "support", .queue(skillGroupId: "support", priority: 2)),
        IVRNode(id: "bye", .hangUp(prompt: IVRPrompt(text: "Goodbye."), endStatus: "ivrEnd")),
    ])

    static func withFlowServer(_ body: @Sendable (TestServer, Int) async throws -> Void) async throws {
        try await PhoneGatewayTests.withPhoneServer { server, sipPort in
            try await server.givenGroup(support, agents: ["carol"])
            try await server.given(.upsertIVRFlow(flow), .upsertPhoneNumber(PhoneNumberBinding(number: "+4930300", ivrFlowId: "main")))
            try await body(server, sipPort)
        }
    }

    /// The record of the one call to the flow's number, once it has ended.
    static func flowRecord(_ server: TestServer) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let items = try await server.api(.get, "/api/v1/sessions").json["items"].array
            if let record = items.first(where: { $0["customer"]["calleePhoneNumber"].string == "+4930300" }), record["endedAt"].int != nil {
                return try await server.api(.get, "/api/v1/sessions/\(record["id"].string ?? "")").json
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no ended record of the call to +4930300")
    }

    /// The caller waits for the prompt, presses `digit` as RFC 4733 events, then hangs up later.
    static func callerPresses(_ digit: Int, after milliseconds: Int, thenHangsUpAfter hangUp: Int) -> String {
        SippScenario.scenario("caller presses \(digit)", SippScenario.invite() + """
              <recv response="100" optional="true"/>
              <recv response="180" optional="true"/>
              <recv response="200"/>
            """ + SippScenario.ack + """
              <pause milliseconds="\(milliseconds)"/>
              <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_\(digit).pcap"/></action></nop>
              <pause milliseconds="\(hangUp)"/>
            """ + SippScenario.byeFromCaller)
    }

    @Test func aCallerPressesTwoAndReachesSupportWithItsPath() async throws {
        try await Self.withFlowServer { server, sipPort in
            let carol = try await server.onlineAgent("carol", password: "pw-carol")
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            // The caller stays on 10 s after its key: long enough for carol to be offered the call on a loaded machine.
            let sipp = try Sipp.start(Self.callerPresses(2, after: 1000, thenHangsUpAfter: 10000), arguments: ["-s", "+4930300", "127.0.0.1:\(sipPort)"])
            let callIn = try await carol.event("callIn", timeout: .seconds(15))
            let data = try #require(callIn["data"])
            #expect(data["type"]?.string == "phone" && data["calleePhoneNumber"]?.string == "+4930300")
            #expect(data["ivrPath"] == [["key": "2", "label": "support"]], "\(data)")
            let session = try #require(data["sessionId"]?.string)
            _ = try await carol.event("sessionEnded", session: session, timeout: .seconds(15))
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let record = try await PhoneGatewayTests.record(server, session)
            #expect(record["skillGroupId"].string == "support" && record["digits"].string == "2", "\(record)")
            #expect(record["customer"]["ivrPath"][0]["label"].string == "support")
            #expect(record["endStatus"].string == "ringingGiveUp")
            _ = alice
        }
    }

    /// The caller presses 1 as SIP INFO (`application/dtmf-relay`) while the menu plays.
    static let callerSendsInfoOne = SippScenario.scenario("caller presses 1 by INFO", SippScenario.invite() + """
          <recv response="100" optional="true"/>
          <recv response="180" optional="true"/>
          <recv response="200"/>
        """ + SippScenario.ack + """
          <pause milliseconds="700"/>
        """ + SippScenario.infoDigit("1", cseq: 2) + """
          <recv response="200"/>
          <pause milliseconds="4000"/>
        """ + SippScenario.byeFromCaller.replacingOccurrences(of: "CSeq: 2 BYE", with: "CSeq: 3 BYE"))

    @Test func aKeySentAsSIPInfoChoosesToo() async throws {
        try await Self.withFlowServer { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(Self.callerSendsInfoOne, arguments: ["-s", "+4930300", "127.0.0.1:\(sipPort)"])
            let callIn = try await alice.event("callIn", timeout: .seconds(15))
            #expect(callIn["data"]?["ivrPath"] == [["key": "1", "label": "sales"]], "\(callIn)")
            #expect(await sipp.finish() == 0, "\(sipp.log)")
        }
    }

    @Test func noKeysRepeatTheMenuThenTheFlowSaysGoodbyeAndHangsUp() async throws {
        try await Self.withFlowServer { server, sipPort in
            let started = ContinuousClock.now
            let sipp = try Sipp.start(SippScenario.calleeHangsUp, arguments: ["-s", "+4930300", "127.0.0.1:\(sipPort)"])
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            // Twice the menu prompt (about 2 s each) and its 1 s wait, then "Goodbye.", then BYE.
            #expect(ContinuousClock.now - started > .seconds(5), "the BYE came before two menus and the goodbye could have played")
            let record = try await Self.flowRecord(server)
            #expect(record["endStatus"].string == "ivrEnd", "\(record)")
            #expect(record["hangUpSide"].string == "system" && record["closeBy"].string == "admin")
            #expect(record["skillGroupId"].string == "" && record["waitSeconds"].isNull, "it never queued")
        }
    }

    @Test func aCallerWhoHangsUpInTheMenuIsRecordedAsIvrGiveUp() async throws {
        try await Self.withFlowServer { server, sipPort in
            let carol = try await server.onlineAgent("carol", password: "pw-carol")
            let sipp = try Sipp.start(SippScenario.callerHangsUp(after: 1200), arguments: ["-s", "+4930300", "127.0.0.1:\(sipPort)"])
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let record = try await Self.flowRecord(server)
            #expect(record["endStatus"].string == "ivrGiveUp", "\(record)")
            #expect(record["closeBy"].string == "client" && record["hangUpSide"].string == "user")
            #expect(record["customer"]["callerPhoneNumber"].string == "+4917012345")
            #expect((record["durationSeconds"].int ?? 0) == 0 && record["acceptedAt"].int == nil)
            let offered = try? await carol.event("callIn", timeout: .seconds(1))
            #expect(offered == nil, "nobody was offered a call that never left the menu")
        }
    }

    /// TCCC's `DescribeCallInMetrics` counts callers still in a menu (`IvrCount`): in the totals
    /// and under the number they called, in no skill group (they have chosen none yet).
    @Test func callersInAMenuAreCountedAsInTheIVR() async throws {
        try await Self.withFlowServer { server, sipPort in
            let sipp = try Sipp.start(SippScenario.callerHangsUp(after: 3000), arguments: ["-s", "+4930300", "127.0.0.1:\(sipPort)"])
            let parameters = try CloudAPIParameters(["SdkAppId": .integer(server.components.configuration.sdkAppId), "EnabledNumber": true])
            let call = CloudAPICall(parameters: parameters, server: server.components, sdkAppId: server.components.configuration.sdkAppId, baseURL: "")
            var during: [String: JSONValue] = [:]
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                during = try await CloudAPIActions.describeCallInMetrics(call)
                if during["TotalMetrics"]?["IvrCount"] == .integer(1) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(during["TotalMetrics"]?["IvrCount"] == .integer(1), "\(during)")
            #expect(during["NumberMetrics"]?[0]?["Number"] == .string("+4930300") && during["NumberMetrics"]?[0]?["Metrics"]?["IvrCount"] == .integer(1), "\(during)")
            #expect(during["SkillGroupMetrics"] == .array([]), "\(during)")
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            _ = try await Self.flowRecord(server)
            #expect(try await CloudAPIActions.describeCallInMetrics(call)["TotalMetrics"]?["IvrCount"] == .integer(0))
        }
    }

    /// Press 1 for sales, 2 for the night desk; patient waits (5 s), two retries.
    static let patientFlow = IVRFlow(id: "patient", name: "Patient line", start: "menu", nodes: [
        IVRNode(id: "menu", .menu(.init(
            prompt: IVRPrompt(text: "Press 1 for sales, 2 for the night desk."),
            choices: [IVRChoice(digits: "1", label: "sales", next: "sales"), IVRChoice(digits: "2", label: "night", next: "night")],
            timeoutSeconds: 5, interDigitSeconds: 2, retries: 2, onFailure: "bye"))),
        IVRNode(id: "sales", .queue(skillGroupId: "sales", priority: 0)),
        IVRNode(id: "night", .queue(skillGroupId: "night", priority: 0)),
        IVRNode(id: "bye", .hangUp(prompt: IVRPrompt(text: "Goodbye."), endStatus: "ivrEnd")),
    ])

    /// The night desk turns callers away when none of its agents is online.
    static var night: SkillGroup {
        var group = SkillGroup(id: "night", name: "Night desk", offerTimeoutSeconds: 30)
        group.endWhenNoSeatOnline = true
        return group
    }

    static func withPatientFlow(_ body: @Sendable (TestServer, Int) async throws -> Void) async throws {
        try await PhoneGatewayTests.withPhoneServer { server, sipPort in
            try await server.givenGroup(night, agents: ["dave"])
            try await server.given(.upsertIVRFlow(patientFlow), .upsertPhoneNumber(PhoneNumberBinding(number: "+4930301", ivrFlowId: "patient")))
            try await body(server, sipPort)
        }
    }

    /// The caller presses each of `digits` as RFC 4733 events, `gap` ms apart, then `ending`.
    static func callerPresses(_ digits: [Int], gap: Int, then ending: String) -> String {
        SippScenario.scenario("caller presses \(digits)", SippScenario.invite() + """
              <recv response="100" optional="true"/>
              <recv response="180" optional="true"/>
              <recv response="200"/>
            """ + SippScenario.ack + digits.map { digit in """
              <pause milliseconds="\(gap)"/>
              <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_\(digit).pcap"/></action></nop>
            """ }.joined() + ending)
    }

    @Test func aWrongKeyRepeatsTheMenuAndTheRetryChoosesSales() async throws {
        try await Self.withPatientFlow { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let scenario = Self.callerPresses([3, 1], gap: 1500, then: "<pause milliseconds=\"8000\"/>\n" + SippScenario.byeFromCaller)
            let sipp = try Sipp.start(scenario, arguments: ["-s", "+4930301", "127.0.0.1:\(sipPort)"])
            let callIn = try await alice.event("callIn", timeout: .seconds(15))
            let data = try #require(callIn["data"])
            #expect(data["ivrPath"] == [["key": "1", "label": "sales"]], "only the valid choice is in the path: \(data)")
            let session = try #require(data["sessionId"]?.string)
            _ = try await alice.event("sessionEnded", session: session, timeout: .seconds(15))
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let record = try await PhoneGatewayTests.record(server, session)
            #expect(record["skillGroupId"].string == "sales" && record["digits"].string == "31", "every key pressed is kept: \(record)")
            #expect(record["endStatus"].string == "ringingGiveUp", "\(record)")
            // Arrived when answered, queued after the two keys (3 s in): the menu's time is in
            // the record, and not in the queue's wait.
            let arrived = record["createdAt"].int ?? 0, queued = record["queuedAt"].int ?? 0
            #expect(queued - arrived >= 2500, "arrived \(arrived), queued \(queued): \(record)")
            #expect(record["firstRingAt"].int.map { $0 >= queued } == true && (record["waitSeconds"].int ?? 99) <= 1, "\(record)")
            let csv = try await server.download("/api/v1/sessions.csv?type=phone")
            let row = try parseCSVWithPython(String(decoding: csv.bytes, as: UTF8.self)).first { $0["SessionId"] == session }
            #expect(row?["StartTimestamp"] == String(arrived / 1000) && row?["QueuedTimestamp"] == String(queued / 1000), "\(String(describing: row))")
        }
    }

    @Test func aGroupThatTurnsCallersAwayEndsTheFlowsCallWithNoSeatOnline() async throws {
        try await Self.withPatientFlow { server, sipPort in
            // Dave, the night desk's only agent, is offline: the group refuses the call the flow queues.
            let sipp = try Sipp.start(Self.callerPresses([2], gap: 1000, then: SippScenario.answerBye), arguments: ["-s", "+4930301", "127.0.0.1:\(sipPort)"])
            #expect(await sipp.finish() == 0, "the server hangs up the answered call: \(sipp.log)")
            var record = JSON(nil)
            try await waitUntil("the turned-away call's record", timeout: .seconds(10)) {
                let items = try await server.api(.get, "/api/v1/sessions").json["items"].array
                guard let found = items.first(where: { $0["customer"]["calleePhoneNumber"].string == "+4930301" && $0["endedAt"].int != nil }) else { return false }
                record = found
                return true
            }
            #expect(record["endStatus"].string == "noSeatOnline", "\(record)")
            #expect(record["skillGroupId"].string == "night", "\(record)")
            let path = record["customer"]["ivrPath"].array
            #expect(path.count == 1 && path.first?["key"].string == "2" && path.first?["label"].string == "night", "the choice that led there: \(record)")
            #expect(record["acceptedAt"].int == nil && record["agentId"].string.map(\.isEmpty) ?? true, "\(record)")
        }
    }
}
