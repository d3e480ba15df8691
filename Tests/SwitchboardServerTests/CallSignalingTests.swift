import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// WebRTC signalling over the sockets: relayed between the two sides of an answered call and
/// refused to everybody else; call control (hold, digits) and internal calls.
@Suite("Call signalling", .serialized)
struct CallSignalingTests {
    static let line = SkillGroup(id: "line", name: "Help line", offerTimeoutSeconds: 30)

    static func signal(_ session: String, _ body: String) -> String {
        #"{"v":1,"type":"signal","sessionId":"\#(session)","signal":\#(body)}"#
    }

    @Test func signalsGoOnlyBetweenTheTwoSidesOfAnAnsweredCall() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(Self.line, agents: ["alice", "bob"])
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let customer = try await TestCustomer.connect(port: server.port)
            try await customer.start(group: "line", nickname: "Cal", extra: #","sessionType":"voip","userId":"u-77""#)
            let session = customer.sessionId

            let callIn = try await alice.event("callIn", session: session)
            #expect(callIn["data"]?["type"]?.string == "voip")
            #expect(callIn["data"]?["userId"]?.string == "u-77")
            #expect(callIn["data"]?["callee"]?.string == "Help line")
            _ = try await customer.next("ringing")

            // Before the answer nothing is relayed, either way.
            customer.socket.send(#"{"v":1,"type":"signal","signal":{"kind":"offer","sdp":"v=0 early"}}"#)
            let early = try await customer.next("error")
            #expect(early["message"]?.string?.contains("not been answered") == true)
            alice.socket.send(Self.signal(session, #"{"kind":"answer","sdp":"v=0 early"}"#))
            _ = try await alice.socket.next("error") { $0["type"]?.string == "error" }

            try await alice.call("Call.accept", ["sessionId": .string(session)])
            _ = try await customer.next("agentJoined")

            // Customer → agent and agent → customer.
            customer.socket.send(#"{"v":1,"type":"signal","signal":{"kind":"offer","sdp":"v=0 offer"}}"#)
            let offer = try await alice.socket.next("offer") { $0["type"]?.string == "signal" }
            #expect(offer["sessionId"]?.string == session)
            #expect(offer["signal"]?["sdp"]?.string == "v=0 offer")
            #expect(offer["seq"] == nil)
            alice.socket.send(Self.signal(session, #"{"kind":"candidate","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}}"#))
            let candidate = try await customer.next("signal")
            #expect(candidate["signal"]?["candidate"]?["sdpMid"]?.string == "0")
            // A reloaded page asks the other side to start over.
            alice.socket.send(Self.signal(session, #"{"kind":"restart"}"#))
            #expect(try await customer.next("signal")["signal"]?["kind"]?.string == "restart")

            // Another agent (logged in, even in the same group) cannot signal into the call, and
            // does not hear it.
            let bob = try await server.agent("bob")
            try await bob.call("Agent.online")
            bob.socket.send(Self.signal(session, #"{"kind":"answer","sdp":"v=0 intruder"}"#))
            let refused = try await bob.socket.next("error") { $0["type"]?.string == "error" }
            #expect(refused["message"]?.string?.contains("not a call agent bob is in") == true)
            #expect(try await customer.socket.expectNone { $0["signal"]?["sdp"]?.string == "v=0 intruder" })
            #expect(try await bob.request("Call.hold", ["sessionId": .string(session)])["status"]?.string == "error")
            #expect(try await bob.request("Call.sendDigits", ["sessionId": .string(session), "dtmfText": "1"])["status"]?.string == "error")

            // A customer cannot send the server's own kinds, nor malformed ones.
            customer.socket.send(#"{"v":1,"type":"signal","signal":{"kind":"hold"}}"#)
            #expect(try await customer.next("error")["message"]?.string?.contains("agent's side only") == true)
            customer.socket.send(#"{"v":1,"type":"signal","signal":{"kind":"offer"}}"#)
            #expect(try await customer.next("error")["message"]?.string?.contains("sdp") == true)

            // Hold, digits and unhold reach the customer as signals.
            try await alice.call("Call.hold", ["sessionId": .string(session)])
            #expect(try await customer.next("signal")["signal"]?["kind"]?.string == "hold")
            try await alice.call("Call.sendDigits", ["sessionId": .string(session), "dtmfText": "42#"])
            #expect(try await customer.next("signal")["signal"]?["digits"]?.string == "42#")
            try await alice.call("Call.unHold", ["sessionId": .string(session)])
            #expect(try await customer.next("signal")["signal"]?["kind"]?.string == "unhold")
            let bad = try await alice.request("Call.sendDigits", ["sessionId": .string(session), "dtmfText": "1; DROP"])
            #expect(bad["errorMsg"]?.string?.contains("may hold 0-9") == true)

            // The customer hangs up: closeBy client; later signals are refused.
            customer.leave()
            let ended = try await alice.event("sessionEnded", session: session)
            #expect(ended["data"]?["closeBy"]?.string == "client")
            #expect(ended["data"]?["type"]?.string == "voip")
            alice.socket.send(Self.signal(session, #"{"kind":"answer","sdp":"v=0 late"}"#))
            let late = try await alice.socket.next("error") { $0["type"]?.string == "error" }
            #expect(late["message"]?.string?.contains("not live") == true)

            // The hold is in the call's record, and its clock in the reports (docs/reports.md).
            let history = try await server.components.store.history(of: SessionID(session)).map(\.kind)
            #expect(history.contains("held") && history.contains("resumed"), "\(history)")
            let from = Timestamp(milliseconds: 0)
            let to = Timestamp(milliseconds: ReportInterval.milliseconds * 10_000_000)
            let counts = try await server.components.store.reportCounts(.agent, from: from, to: to, slots: ReportSlots(offset: 0, length: to.milliseconds))
            #expect(counts.first { $0.subject == "alice" }?.counts[.holds] == 1)
        }
    }

    @Test func internalCallsRingTheCalleeAndRelayBetweenTheTwoAgents() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(Self.line, agents: ["alice", "bob", "carol"])
            let alice = try await server.agent("alice")
            let bob = try await server.agent("bob")
            let carol = try await server.agent("carol")
            for agent in [alice, bob, carol] { try await agent.call("Agent.online") }

            let started = try await alice.call("Call.startInternalCall", ["calleeUserId": "bob"])
            let session = try #require(started?["sessionId"]?.string)
            let outed = try await alice.event("callOuted", session: session)
            #expect(outed["data"]?["calleeUserId"]?.string == "bob")
            let callIn = try await bob.event("callIn", session: session)
            #expect(callIn["data"]?["type"]?.string == "internal")
            #expect(callIn["data"]?["peerUserId"]?.string == "alice")

            // The caller is on a call: a second one is refused.
            let second = try await alice.request("Call.startInternalCall", ["calleeUserId": "carol"])
            #expect(second["errorMsg"]?.string?.contains("already on a call") == true)

            try await bob.call("Call.accept", ["sessionId": .string(session)])
            _ = try await alice.event("calloutAccepted", session: session)
            alice.socket.send(Self.signal(session, #"{"kind":"offer","sdp":"v=0 from alice"}"#))
            let offer = try await bob.socket.next("offer") { $0["type"]?.string == "signal" }
            #expect(offer["signal"]?["sdp"]?.string == "v=0 from alice")
            bob.socket.send(Self.signal(session, #"{"kind":"answer","sdp":"v=0 from bob"}"#))
            let answer = try await alice.socket.next("answer") { $0["type"]?.string == "signal" }
            #expect(answer["signal"]?["sdp"]?.string == "v=0 from bob")
            carol.socket.send(Self.signal(session, #"{"kind":"offer","sdp":"v=0 carol"}"#))
            _ = try await carol.socket.next("error") { $0["type"]?.string == "error" }

            // The callee ends it: closeBy seat for both; the caller is free to call again.
            try await bob.call("Call.hungUp", ["sessionId": .string(session)])
            #expect(try await alice.event("sessionEnded", session: session)["data"]?["closeBy"]?.string == "seat")
            let again = try await alice.call("Call.startInternalCall", ["skillGroupId": "line"])
            let toGroup = try #require(again?["sessionId"]?.string)
            // Offered to someone in the group, never back to the caller.
            #expect(try await alice.socket.expectNone(.milliseconds(500)) { $0["name"]?.string == "callIn" })
            try await alice.call("Call.hungUp", ["sessionId": .string(toGroup)])
        }
    }

    @Test func aCallWhosePageIsGoneIsHungUpForTheCustomerButAChatIsNot() async throws {
        try await TestServer.run(configure: { $0.callerGraceSeconds = 1 }) { server in
            try await server.givenGroup(Self.line, agents: ["alice"])
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let caller = try await TestCustomer.connect(port: server.port)
            try await caller.start(group: "line", nickname: "Gone", extra: #","sessionType":"voip""#)
            try await alice.call("Call.accept", ["sessionId": .string(caller.sessionId)])
            let chat = try await TestCustomer.connect(port: server.port)
            try await chat.start(group: "line", nickname: "Stays")
            caller.socket.close()
            chat.socket.close()
            let ended = try await alice.event("sessionEnded", session: caller.sessionId, timeout: .seconds(10))
            #expect(ended["data"]?["closeBy"]?.string == "client")
            #expect(try await alice.socket.expectNone(.seconds(2)) { $0["name"]?.string == "sessionEnded" })
            let record = try await server.admin(.get, "/api/v1/sessions/\(chat.sessionId)")
            #expect((record.body as? [String: Any])?["state"] as? String != "ended")
        }
    }

    @Test func customersGetRelayLoginsOnlyOnceTheCallIsAnswered() async throws {
        try await TestServer.run(configure: { configuration in
            configuration.ice.urls = ["turn:turn.example.com:3478"]
            configuration.ice.turnSecret = "a-turn-secret-of-some-length"
        }) { server in
            try await server.givenGroup(Self.line, agents: ["alice"])
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let caller = try await TestCustomer.connect(port: server.port)
            caller.socket.send(#"{"v":1,"type":"start","sessionType":"voip","skillGroupId":"line","nickname":"Tom"}"#)
            let started = try await caller.next("started")
            #expect(started["iceServers"] == nil)
            let session = try #require(started["sessionId"]?.string)
            try await alice.call("Call.accept", ["sessionId": .string(session)])
            let joined = try await caller.next("agentJoined")
            #expect(joined["iceServers"]?[0]?["username"]?.string?.hasSuffix(":customer-\(session)") == true)
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            // A chat never gets them.
            let chat = try await server.customer(group: "line", nickname: "Ann")
            _ = try await alice.event("callIn", session: chat.sessionId)
            try await alice.call("Chat.accept", ["sessionId": .string(chat.sessionId)])
            #expect(try await chat.next("agentJoined")["iceServers"] == nil)
        }
    }

    @Test func anUnansweredCallToAnAgentEndsAndOutboundCallsNeedATrunk() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "quick", name: "Quick", offerTimeoutSeconds: 1), agents: ["alice", "bob"])
            let alice = try await server.agent("alice")
            let bob = try await server.agent("bob")
            try await alice.call("Agent.online")
            try await bob.call("Agent.online")
            let started = try await alice.call("Call.startInternalCall", ["calleeUserId": "bob"])
            let session = try #require(started?["sessionId"]?.string)
            _ = try await bob.event("callIn", session: session)
            let ended = try await alice.event("sessionEnded", session: session, timeout: .seconds(5))
            #expect(ended["data"]?["closeBy"]?.string == "timer")
            _ = try await bob.event("sessionEnded", session: session)
            // A colleague's unanswered call does not put bob in notReady.
            #expect(try await bob.call("Agent.getStatus")?["status"]?.string == "free")

            let outbound = try await alice.request("Call.startOutboundCall", ["phoneNumber": "+15550100"])
            #expect(outbound["errorMsg"]?.string?.contains("no phone trunk is configured") == true)
            let offline = try await alice.request("Call.startInternalCall", ["calleeUserId": "nobody"])
            #expect(offline["errorMsg"]?.string?.contains("nobody") == true)
        }
    }
}
