import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// The phone channel against real peers: sipp as the carrier, a real rtpengine started by the
/// server, agents over the agent socket. The agents' "browser" offers a plain SDP; rtpengine turns
/// it into the carrier's side and answers with the WebRTC side, which these tests only read.
@Suite("Phone gateway", .serialized)
struct PhoneGatewayTests {
    static let desk = SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 30)
    static let trunkUser = "trunkuser"
    static let trunkPassword = "trunk-secret"

    /// A WebRTC offer as a browser makes it (ICE credentials and a host candidate, a DTLS
    /// fingerprint, rtcp-mux, Opus and G.711); nothing answers on its port, which these tests
    /// do not need: they check the signalling and the SIP side.
    static let browserOffer = [
        "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=audio \(freeUDPPort()) UDP/TLS/RTP/SAVPF 111 0 126", "c=IN IP4 127.0.0.1",
        "a=candidate:1 1 udp 2122260223 127.0.0.1 9 typ host generation 0",
        "a=ice-ufrag:Wn4x", "a=ice-pwd:BvHaMXvdvSQ5N1y9k9cMYv4R",
        "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F",
        "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:126 telephone-event/8000", "",
    ].joined(separator: "\r\n")

    /// A server with phone calls on: SIP on a free port, its own rtpengine, `+4930100` queueing in
    /// `sales`, `+4930200` ringing until accepted, outbound calls to `+49…` through `trunkPort`.
    static func withPhoneServer(
        trunkPort: Int = 9, allowedSources: [String] = ["127.0.0.1"], dataDirectory: String? = nil, inviteRate: Double = 200,
        _ body: @Sendable (TestServer, Int) async throws -> Void
    ) async throws {
        let ports = Int.random(in: 0..<200) * 40 + 32_000
        try await TestServer.run(dataDirectory: dataDirectory, configure: { configuration in
            var phone = PhoneConfiguration()
            phone.sipHost = "127.0.0.1"
            phone.sipPort = 0
            phone.trunk = HostPort(host: "127.0.0.1", port: trunkPort)
            phone.trunkUsername = trunkUser
            phone.trunkPassword = trunkPassword
            phone.allowedSources = allowedSources
            phone.dialAllow = ["+49*"]
            phone.rtpPorts = ports...(ports + 39)
            phone.outboundRingSeconds = 10
            phone.inviteRate = inviteRate
            configuration.phone = phone
        }) { server in
            try await server.givenGroup(desk, agents: ["alice", "bob"])
            try await server.given(
                .upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "sales")),
                .upsertPhoneNumber(PhoneNumberBinding(number: "+4930200", skillGroupId: "sales", answerWhenAccepted: true)))
            let phone = try #require(server.components.phone)
            let deadline = ContinuousClock.now + .seconds(15)
            while !phone.currentStatus.ready {
                if ContinuousClock.now > deadline { throw TestFailure("the phone channel did not start: \(phone.currentStatus.problem ?? "?")") }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await body(server, try #require(phone.currentStatus.sipPort))
        }
    }

    static func signal(_ session: String, _ signal: String) -> String {
        #"{"v":1,"type":"signal","sessionId":"\#(session)","signal":\#(signal)}"#
    }

    /// Sends the agent's browser's offer.
    static func sendOffer(_ agent: TestAgent, _ session: String) {
        let sdp = browserOffer.replacingOccurrences(of: "\r\n", with: "\\r\\n")
        agent.socket.send(signal(session, #"{"kind":"offer","sdp":"\#(sdp)"}"#))
    }

    /// Sends the agent's offer and returns rtpengine's answer for the browser.
    static func offerMedia(_ agent: TestAgent, _ session: String) async throws -> String {
        sendOffer(agent, session)
        let answer = try await agent.socket.next("the answer to the agent's offer") {
            $0["type"]?.string == "signal" && $0["signal"]?["kind"]?.string == "answer"
        }
        return answer["signal"]?["sdp"]?.string ?? ""
    }

    /// The session's record once it has ended: the carrier's BYE is answered (and sipp done)
    /// before the ending is committed, so wait for it rather than read a live session.
    static func record(_ server: TestServer, _ session: String) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(10)
        var record = try await server.api(.get, "/api/v1/sessions/\(session)").json
        while record["endedAt"].isNull || !record["endedAt"].exists, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            record = try await server.api(.get, "/api/v1/sessions/\(session)").json
        }
        return record
    }

    @Test func anInboundCallQueuesWithThePhoneFieldsAndEndsWhenTheCallerHangsUp() async throws {
        try await Self.withPhoneServer { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(SippScenario.callerHangsUp(after: 2500), arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            let callIn = try await alice.event("callIn")
            let data = try #require(callIn["data"])
            #expect(data["type"]?.string == "phone")
            #expect(data["calleePhoneNumber"]?.string == "+4930100")
            #expect(data["callerPhoneNumber"]?.string == "+4917012345")
            #expect(data["serverType"]?.string == "staffSeat")
            let session = try #require(data["sessionId"]?.string)
            // The caller gives up while it rings at alice.
            let ended = try await alice.event("sessionEnded", session: session)
            #expect(ended["data"]?["closeBy"]?.string == "client")
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let record = try await Self.record(server, session)
            #expect(record["type"].string == "phone" && record["direction"].string == "inbound")
            #expect(record["endStatus"].string == "ringingGiveUp")
            #expect(record["customer"]["callerPhoneNumber"].string == "+4917012345")
            #expect(record["hangUpSide"].string == "user")
            #expect(record["waitSeconds"].int == 0 && record["ringSeconds"].int.map { $0 >= 2 } == true, "\(record)")
        }
    }

    @Test func theAgentTakesTheCallHoldsSendsDigitsAndHangsUpWithABye() async throws {
        try await Self.withPhoneServer { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(SippScenario.calleeHangsUp, arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            let session = try #require(try await alice.event("callIn")["data"]?["sessionId"]?.string)
            try await alice.call("Call.accept", ["sessionId": .string(session)])
            let answer = try await Self.offerMedia(alice, session)
            // The browser's side is WebRTC: ICE and DTLS-SRTP with rtcp-mux.
            #expect(answer.contains("UDP/TLS/RTP/SAVPF"), "\(answer)")
            #expect(answer.contains("a=ice-ufrag") && answer.contains("a=fingerprint") && answer.contains("a=rtcp-mux"), "\(answer)")
            // rtpengine's counters for both legs, for operators (and the browser tests' third proof).
            let media = try await server.api(.get, "/api/v1/sessions/\(session)/media")
            #expect(media.status == .ok && media.json["legs"].array.compactMap { $0["leg"].string } == ["carrier", "agent"], "\(media.json)")
            try await alice.call("Call.hold", ["sessionId": .string(session)])
            try await alice.call("Call.unHold", ["sessionId": .string(session)])
            try await alice.call("Call.sendDigits", ["sessionId": .string(session), "dtmfText": "12#"])
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let record = try await Self.record(server, session)
            #expect(record["closeBy"].string == "seat" && record["endStatus"].string == "ok")
            #expect(record["agentId"].string == "alice")
            #expect(record["hangUpSide"].string == "seat")
        }
    }

    @Test func infoDigitsAreRecordedAndSessionRefreshesAnswered() async throws {
        try await Self.withPhoneServer { server, sipPort in
            let sipp = try Sipp.start(SippScenario.callerSendsInfoAndRefreshes, arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let session = try #require(try await server.api(.get, "/api/v1/sessions").json["items"].array.first?["id"].string)
            let record = try await Self.record(server, session)
            #expect(record["digits"].string == "5", "\(record)")
            // The refresh was answered as RFC 4028 says: the interval echoed with the refresher.
            #expect(sipp.messages.contains("Session-Expires: 1800;refresher=uac"), "\(sipp.messages)")
            #expect(record["closeBy"].string == "client")
        }
    }

    @Test func aCallerWhoCancelsWhileRingingEndsTheSession() async throws {
        try await Self.withPhoneServer { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(SippScenario.callerCancels, arguments: ["-s", "+4930200", "127.0.0.1:\(sipPort)"])
            let session = try #require(try await alice.event("callIn")["data"]?["sessionId"]?.string)
            let ended = try await alice.event("sessionEnded", session: session)
            #expect(ended["data"]?["closeBy"]?.string == "client")
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            #expect(try await Self.record(server, session)["endStatus"].string == "ringingGiveUp")
        }
    }

    @Test func aNumberThatRingsIsAnsweredWhenTheAgentAccepts() async throws {
        try await Self.withPhoneServer { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(SippScenario.calleeHangsUp, arguments: ["-s", "+4930200", "127.0.0.1:\(sipPort)"])
            let session = try #require(try await alice.event("callIn")["data"]?["sessionId"]?.string)
            // Answered only once the caller has heard it ring, so the 180 is there to check.
            try await waitUntil("the caller hears ringing") { sipp.messages.contains("SIP/2.0 180") }
            try await alice.call("Call.accept", ["sessionId": .string(session)])
            _ = try await Self.offerMedia(alice, session)
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            #expect(sipp.messages.contains("SIP/2.0 180"))
        }
    }

    @Test func strangersUnknownNumbersAndOptions() async throws {
        try await Self.withPhoneServer(allowedSources: ["10.9.9.9"]) { server, sipPort in
            let forbidden = try Sipp.start(SippScenario.refused(403), arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            #expect(await forbidden.finish() == 0, "\(forbidden.log)")
            let sessions = try await server.api(.get, "/api/v1/sessions").json
            #expect(sessions["items"].array.isEmpty, "a refused call queued nothing")
        }
        try await Self.withPhoneServer { server, sipPort in
            let unknown = try Sipp.start(SippScenario.refused(404), arguments: ["-s", "+4930999", "127.0.0.1:\(sipPort)"])
            #expect(await unknown.finish() == 0, "\(unknown.log)")
            let options = try Sipp.start(SippScenario.options, arguments: ["-s", "switchboard", "127.0.0.1:\(sipPort)"])
            #expect(await options.finish() == 0, "\(options.log)")
            #expect(options.messages.contains("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE"), "\(options.messages)")
        }
    }

    @Test func aGroupThatTurnsCallsAwayAnswers480AndRecordsWhy() async throws {
        try await Self.withPhoneServer { server, sipPort in
            // alice and bob are members, but neither is online.
            try await server.given(.upsertSkillGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 30, endWhenNoSeatOnline: true)))
            let nobody = try Sipp.start(SippScenario.refused(480), arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            #expect(await nobody.finish() == 0, "\(nobody.log)")
            #expect(nobody.messages.contains("480 Temporarily Unavailable (no agent online)"), "\(nobody.messages)")

            _ = try await TestAgent.online("alice", password: "pw-alice", port: server.port)
            try await server.given(.upsertSkillGroup(SkillGroup(
                id: "sales", name: "Sales", offerTimeoutSeconds: 30, endWhenNoSeatOnline: true,
                workingHours: WorkingHours(timeZone: "UTC", weekly: [:]))))
            let closed = try Sipp.start(SippScenario.refused(480), arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            #expect(await closed.finish() == 0, "\(closed.log)")
            #expect(closed.messages.contains("480 Temporarily Unavailable (outside working hours)"), "\(closed.messages)")

            let records = try await server.api(.get, "/api/v1/sessions").json["items"].array
            #expect(records.compactMap { $0["endStatus"].string } == ["notWorkTime", "noSeatOnline"], "\(records)")
            #expect(records.allSatisfy { $0["type"].string == "phone" && $0["customer"]["callerPhoneNumber"].string == "+4917012345" })
        }
    }

    @Test func anOutboundCallAnswersTheDigestChallengeAndConnects() async throws {
        let trunkPort = freeUDPPort()
        let trunk = try Sipp.start(SippScenario.trunkChallengesThenAnswers(username: Self.trunkUser, password: Self.trunkPassword), port: trunkPort)
        try await Self.withPhoneServer(trunkPort: trunkPort) { server, _ in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let started = try #require(try await alice.call("Call.startOutboundCall", ["phoneNumber": "+4930555", "uui": "order=1207"]))
            let session = try #require(started["sessionId"]?.string)
            #expect(started["calleePhoneNumber"]?.string == "+4930555" && started["serverType"]?.string == "staffSeat")
            let outed = try await alice.event("callOuted", session: session)
            #expect(outed["data"]?["type"]?.string == "phone" && outed["data"]?["calleePhoneNumber"]?.string == "+4930555")
            let status = try await alice.event("statusChanged")
            #expect(status["data"]?["status"]?.string == "busy")
            let answer = try await Self.offerMedia(alice, session)
            #expect(answer.contains("a=ice-ufrag"))
            _ = try await alice.event("calloutAccepted", session: session)
            // A second tab (or a reloaded page) learns the call was dialled, and its group.
            let welcome = try await TestAgent.connect(port: server.port).login(userId: "alice", password: "pw-alice")
            let listed = welcome["sessions"]?[0]
            #expect(listed?["sessionId"]?.string == session)
            #expect(listed?["direction"]?.string == "outbound" && listed?["skillGroupId"]?.string == "sales", "\(welcome)")
            #expect(listed?["acceptedAt"]?.int != nil)
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            #expect(await trunk.finish() == 0, "\(trunk.log)")
            // TCCC's uui reached the trunk as RFC 7433 User-to-User, hex-encoded.
            #expect(trunk.messages.contains("User-to-User: 6f726465723d31323037;encoding=hex"), "\(trunk.messages)")
            let record = try await Self.record(server, session)
            #expect(record["direction"].string == "outbound" && record["endStatus"].string == "ok")
            #expect(record["closeBy"].string == "seat" && record["acceptedAt"].int != nil)
        }
    }

    @Test func aBusyCalleeEndsTheOutboundCallWithItsStatus() async throws {
        let trunkPort = freeUDPPort()
        let trunk = try Sipp.start(SippScenario.trunkRefuses(486, "Busy Here"), port: trunkPort)
        try await Self.withPhoneServer(trunkPort: trunkPort) { server, _ in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let session = try #require(try await alice.call("Call.startOutboundCall", ["phoneNumber": "+4930555"])?["sessionId"]?.string)
            Self.sendOffer(alice, session)
            let ended = try await alice.event("sessionEnded", session: session)
            #expect(ended["data"]?["endStatus"]?.string == "busy")
            #expect(ended["data"]?["closeBy"]?.string == "client")
            #expect(await trunk.finish() == 0, "\(trunk.log)")
            #expect(try await Self.record(server, session)["endStatus"].string == "busy")
        }
    }

    @Test func destinationsOutsideTheAllowListAreRefused() async throws {
        try await Self.withPhoneServer { server, _ in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let refused = try await alice.request("Call.startOutboundCall", ["phoneNumber": "+1900555"])
            #expect(refused["status"]?.string == "error")
            #expect(refused["errorMsg"]?.string?.contains("--dial-allow") == true, "\(refused)")
            // Presenting someone else's number is refused too.
            let spoofed = try await alice.request("Call.startOutboundCall", ["phoneNumber": "+4930555", "callerPhoneNumber": "+4969910"])
            #expect(spoofed["errorMsg"]?.string?.contains("cannot present +4969910") == true, "\(spoofed)")
            let sessions = try await server.api(.get, "/api/v1/sessions").json
            #expect(sessions["items"].array.isEmpty)
            #expect(await server.components.routing.read { $0.agents["alice"]?.status } == .free)

            // A tenant's own number may be presented; until the callee answers there is nothing to
            // hold or send digits to.
            let dialling = try #require(try await alice.call(
                "Call.startOutboundCall", ["phoneNumber": "+4930555", "callerPhoneNumber": "+4930100"])?["sessionId"]?.string)
            for method in ["Call.hold", "Call.sendDigits"] {
                let refused = try await alice.request(method, ["sessionId": .string(dialling), "dtmfText": "1"])
                #expect(refused["errorMsg"]?.string?.contains("has not answered yet") == true, "\(method): \(refused)")
            }
            try await alice.call("Call.hungUp", ["sessionId": .string(dialling)])
            #expect(try await Self.record(server, dialling)["endStatus"].string == "callerCancel")
        }
    }
}
