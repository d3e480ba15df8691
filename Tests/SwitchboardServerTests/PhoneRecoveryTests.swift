import Foundation
import SwitchboardCore
import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// The phone channel when things go wrong: the server killed mid-call, rtpengine dying, a carrier
/// that never ACKs, an INVITE flood.
@Suite("Phone recovery", .serialized)
struct PhoneRecoveryTests {
    static func invite(number: String, from peer: UDPPeer, callId: String, branch: String, to sipPort: Int) -> String {
        let sdp = "v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        return [
            "INVITE sip:\(number)@127.0.0.1:\(sipPort) SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=\(branch);rport",
            "From: <sip:+4917012345@127.0.0.1:\(peer.port)>;tag=t-\(callId)", "To: <sip:\(number)@127.0.0.1:\(sipPort)>",
            "Call-ID: \(callId)", "CSeq: 1 INVITE", "Contact: <sip:c@127.0.0.1:\(peer.port)>", "Max-Forwards: 70",
            "Content-Type: application/sdp", "Content-Length: \(sdp.utf8.count)", "", sdp,
        ].joined(separator: "\r\n")
    }

    @Test func a200IsRetransmittedUntilTheCarrierAcksIt() async throws {
        try await PhoneGatewayTests.withPhoneServer { server, sipPort in
            let peer = try UDPPeer()
            peer.send(Self.invite(number: "+4930100", from: peer, callId: "no-ack-1", branch: "z9hG4bK-noack", to: sipPort), to: sipPort)
            // T1 = 500 ms: the 200 goes at 0, 0.5, 1.5 and 3.5 s while no ACK comes. Read until
            // the third (however late a loaded machine answers the INVITE), then ACK at once: the
            // next retransmission is 2 s away, so none can be in flight when the ACK lands.
            var answers: [String] = []
            let deadline = ContinuousClock.now + .seconds(15)
            while answers.filter({ $0.hasPrefix("SIP/2.0 200") }).count < 3 && ContinuousClock.now < deadline {
                answers += await peer.receive(for: .milliseconds(50))
            }
            let oks = answers.filter { $0.hasPrefix("SIP/2.0 200") }
            #expect(oks.count >= 3, "\(answers.map { $0.prefix(20) })")
            #expect(Set(oks).count == 1, "retransmissions are the same message")
            let toTag = try #require(oks.first?.split(separator: "\r\n").first { $0.hasPrefix("To:") })
            peer.send([
                "ACK sip:switchboard@127.0.0.1:\(sipPort) SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK-ack1;rport",
                "From: <sip:+4917012345@127.0.0.1:\(peer.port)>;tag=t-no-ack-1", String(toTag), "Call-ID: no-ack-1", "CSeq: 1 ACK",
                "Max-Forwards: 70", "Content-Length: 0", "", "",
            ].joined(separator: "\r\n"), to: sipPort)
            let afterAck = await peer.receive(for: .milliseconds(2500))
            #expect(afterAck.filter { $0.hasPrefix("SIP/2.0 200") }.isEmpty, "the ACK stops the retransmissions")
            #expect(try await server.api(.get, "/api/v1/sessions?live=true").json["items"].array.count == 1)
        }
    }

    @Test func anInviteFloodGets503WithRetryAfterAndQueuesNoMoreThanAdmitted() async throws {
        try await PhoneGatewayTests.withPhoneServer(inviteRate: 5) { server, sipPort in
            let peer = try UDPPeer()
            let started = ContinuousClock.now
            for index in 0..<40 {
                peer.send(Self.invite(number: "+4930100", from: peer, callId: "flood-\(index)", branch: "z9hG4bK-flood-\(index)", to: sipPort), to: sipPort)
            }
            // Every INVITE's first final answer, however slowly a loaded machine gets through them.
            var finals: [String: String] = [:]
            while finals.count < 40 && ContinuousClock.now < started + .seconds(30) {
                for answer in await peer.receive(for: .milliseconds(100)) {
                    guard let callId = answer.split(separator: "\r\n").first(where: { $0.hasPrefix("Call-ID:") }),
                          let code = Int(answer.dropFirst("SIP/2.0 ".count).prefix(3)), code >= 200 else { continue }
                    finals[String(callId), default: answer] = finals[String(callId)] ?? answer
                }
            }
            let elapsed = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
            #expect(finals.count == 40, "every INVITE is answered: \(finals.count) of 40")
            let refused = finals.values.filter { $0.hasPrefix("SIP/2.0 503") }
            let admitted = finals.values.filter { $0.hasPrefix("SIP/2.0 200") }
            // The bucket holds 10 (twice the rate) and refills 5 a second while the flood is read.
            let allowed = 10 + Int((5 * elapsed).rounded(.up))
            #expect(finals.count - refused.count <= allowed, "\(refused.count) refused, \(admitted.count) admitted in \(elapsed) s")
            #expect(refused.count >= 40 - allowed)
            #expect(refused.allSatisfy { $0.contains("Retry-After: 5") })
            let live = try await server.api(.get, "/api/v1/sessions?live=true").json["items"].array.count
            #expect(live == admitted.count)
        }
    }

    @Test func rtpengineDyingEndsTheCallsCleanlyAndIsReplaced() async throws {
        try await PhoneGatewayTests.withPhoneServer { server, sipPort in
            let sipp = try Sipp.start(SippScenario.calleeHangsUp, arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            var session: String?
            for _ in 0..<100 where session == nil {
                session = try await server.api(.get, "/api/v1/sessions?live=true").json["items"].array.first?["id"].string
                try await Task.sleep(for: .milliseconds(50))
            }
            let live = try #require(session)
            let pidFile = (server.components.configuration.dataDirectory as NSString).appendingPathComponent("rtpengine/rtpengine.pid")
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            kill(pid, SIGKILL)
            // The carrier gets its BYE; the session ends as a system fault with the reason.
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            let record = try await PhoneGatewayTests.record(server, live)
            #expect(record["closeBy"].string == "admin" && record["mainReason"].string == "mediaFailure", "\(record)")
            // A new rtpengine takes the next calls.
            var ready = false
            for _ in 0..<100 where !ready {
                ready = try await server.http(.get, "/readyz").json["phone"]["ready"].bool == true
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(ready)
            let again = try Sipp.start(SippScenario.callerHangsUp(after: 300), arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
            #expect(await again.finish() == 0, "\(again.log)")
        }
    }

    @Test func aServerKilledMidCallHangsUpTheCarrierWhenItStartsAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-phone-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sipPort = freeUDPPort()
        let ports = Int.random(in: 0..<200) * 40 + 32_000
        let arguments = [
            "--sip-listen", "127.0.0.1:\(sipPort)", "--trunk-allow", "127.0.0.1", "--phone-number", "+4930100=sales",
            "--rtp-ports", "\(ports)-\(ports + 39)",
        ]
        var server = try await ServerProcess.start(dataDirectory: directory, arguments: arguments)
        let admin = AdminClient(port: server.port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales"}"#)
        let sipp = try Sipp.start(SippScenario.calleeHangsUp, arguments: ["-s", "+4930100", "127.0.0.1:\(sipPort)"])
        var session: String?
        for _ in 0..<200 where session == nil {
            let page = try JSONSerialization.jsonObject(with: try await admin.expect(200, .get, "/api/v1/sessions?live=true")) as? [String: Any]
            session = ((page?["items"] as? [[String: Any]])?.first?["id"]) as? String
            try await Task.sleep(for: .milliseconds(50))
        }
        let live = try #require(session)
        let pidFile = (directory as NSString).appendingPathComponent("rtpengine/rtpengine.pid")
        let rtpengine = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))

        server.kill()
        // rtpengine goes with the server that started it, not orphaned.
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(rtpengine, 0) != 0 || (try? String(contentsOfFile: "/proc/\(rtpengine)/stat", encoding: .utf8))?.contains(") Z ") == true
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(gone, "rtpengine \(rtpengine) outlived the killed server")

        server = try await ServerProcess.start(dataDirectory: directory, arguments: arguments)
        #expect(await sipp.finish() == 0, "the carrier got no BYE: \(sipp.log)")
        let record = try JSONSerialization.jsonObject(with: try await AdminClient(port: server.port).expect(200, .get, "/api/v1/sessions/\(live)")) as? [String: Any]
        #expect(record?["closeBy"] as? String == "admin")
        #expect(record?["mainReason"] as? String == "serverRestart")
        #expect(try await server.terminate() == 0)
    }

    @Test func malformedSIPIsRefusedOrDroppedAndTheEndpointCarriesOn() async throws {
        try await PhoneGatewayTests.withPhoneServer { server, sipPort in
            let peer = try UDPPeer()
            func request(_ lines: [String]) -> String { (lines + ["", ""]).joined(separator: "\r\n") }
            let via = "Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK-bad"
            let malformed = [
                // RFC 4475-style: CSeq method differs from the request's (mismatch01).
                request(["INVITE sip:+4930100@127.0.0.1 SIP/2.0", via + "1", "From: <sip:a@127.0.0.1>;tag=1", "To: <sip:+4930100@127.0.0.1>",
                         "Call-ID: bad-1", "CSeq: 1 OPTIONS", "Max-Forwards: 70", "Content-Length: 0"]),
                // Content-Length larger than the body (clerr).
                request(["INVITE sip:+4930100@127.0.0.1 SIP/2.0", via + "2", "From: <sip:a@127.0.0.1>;tag=1", "To: <sip:+4930100@127.0.0.1>",
                         "Call-ID: bad-2", "CSeq: 1 INVITE", "Max-Forwards: 70", "Content-Type: application/sdp", "Content-Length: 9999"]) + "v=0",
                // No Call-ID (insuf).
                request(["INVITE sip:+4930100@127.0.0.1 SIP/2.0", via + "3", "From: <sip:a@127.0.0.1>;tag=1", "To: <sip:+4930100@127.0.0.1>",
                         "CSeq: 1 INVITE", "Max-Forwards: 70", "Content-Length: 0"]),
                // An unknown SIP version (badvers): 505.
                request(["OPTIONS sip:x@127.0.0.1 SIP/7.0", via + "4", "From: <sip:a@127.0.0.1>;tag=1", "To: <sip:x@127.0.0.1>",
                         "Call-ID: bad-4", "CSeq: 1 OPTIONS", "Max-Forwards: 70", "Content-Length: 0"]),
                // Unbalanced quotes in a display name (quotbal).
                request(["INVITE sip:+4930100@127.0.0.1 SIP/2.0", via + "5", "From: \"Bob <sip:a@127.0.0.1>;tag=1", "To: <sip:+4930100@127.0.0.1>",
                         "Call-ID: bad-5", "CSeq: 1 INVITE", "Max-Forwards: 70", "Content-Length: 0"]),
                // Not SIP at all.
                "\u{0}\u{1}GET / HTTP/1.1\r\n\r\n",
                String(repeating: "A", count: 60_000),
            ]
            for message in malformed { peer.send(message, to: sipPort) }
            let answers = await peer.receive(for: .seconds(1))
            let statuses = answers.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
            #expect(statuses.filter { $0 == "400" }.count == 4, "\(statuses)")
            #expect(statuses.filter { $0 == "505" }.count == 1, "\(statuses)")
            #expect(!statuses.contains("200") && !statuses.contains("100"), "nothing malformed was taken as a call")
            // The endpoint is still there and nothing was queued.
            let options = try Sipp.start(SippScenario.options, arguments: ["-s", "switchboard", "127.0.0.1:\(sipPort)"])
            #expect(await options.finish() == 0, "\(options.log)")
            #expect(try await server.api(.get, "/api/v1/sessions").json["items"].array.isEmpty)
        }
    }

    @Test func phoneSettingsItCannotUseAreRefusedAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-phone-flags-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cases: [(arguments: [String], says: String)] = [
            (["--trunk", "127.0.0.1:5070"], "--trunk needs --sip-listen"),
            (["--sip-listen", "nonsense:port"], "--sip-listen must be HOST[:PORT]"),
            (["--sip-listen", "0.0.0.0:5060"], "set --sip-advertise"),
            (["--sip-listen", "127.0.0.1:0", "--trunk", "127.0.0.1:70000"], "--trunk must be HOST[:PORT]"),
            (["--sip-listen", "127.0.0.1:0", "--phone-number", "+4930100"], "--phone-number must be NUMBER=SKILLGROUP"),
            (["--sip-listen", "127.0.0.1:0", "--phone-number", "sip:x=sales"], "--phone-number"),
            (["--sip-listen", "127.0.0.1:0", "--dial-allow", "+49;*"], "--dial-allow pattern"),
            (["--sip-listen", "127.0.0.1:0", "--trunk-allow", "example.com"], "is not an IP address or CIDR"),
            (["--sip-listen", "127.0.0.1:0", "--rtp-ports", "40000-30000"], "--rtp-ports must be LOW-HIGH"),
            (["--sip-listen", "127.0.0.1:0", "--rtp-ports", "80-90"], "--rtp-ports must be a range within 1024-65535"),
            (["--sip-listen", "127.0.0.1:0", "--caller-id", "anonymous"], "--caller-id"),
            (["--sip-listen", "127.0.0.1:0", "--trunk", "127.0.0.1", "--trunk-username", "u"], "SWITCHBOARD_TRUNK_PASSWORD"),
            (["--sip-listen", "127.0.0.1:0", "--queue-audio", "/nonexistent.wav"], "--queue-audio file '/nonexistent.wav' does not exist"),
        ]
        for (arguments, says) in cases {
            let refused = try await ServerProcess.refusal(dataDirectory: directory, arguments: arguments)
            #expect(refused.status != 0, "\(arguments)")
            #expect(refused.output.contains(says), "\(arguments) should say \"\(says)\"; it said: \(refused.output)")
        }
    }
}
