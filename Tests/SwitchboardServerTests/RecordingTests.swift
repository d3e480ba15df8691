import Foundation
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// Call recording against real peers: sipp as the carrier playing a 440 Hz tone (a pcap it
/// plays as the caller's RTP), the server's own rtpengine capturing the call, an agent over the
/// agent socket. The agent's "browser" offers SDP but sends no audio (it speaks no DTLS-SRTP), so
/// the agent's channel is checked for audio by the browser suite (Tests/browser/test_phone.py);
/// here the caller's side shows the recording starts at the answer, pauses on hold and ends.
@Suite("Call recording", .serialized)
struct RecordingTests {
    static let number = "+4930100"

    static func withRecordingServer(
        dataDirectory: String, retentionDays: Int? = nil, _ body: @Sendable (TestServer, Int) async throws -> Void
    ) async throws {
        let ports = Int.random(in: 0..<200) * 40 + 32_000
        try await TestServer.run(dataDirectory: dataDirectory, configure: { configuration in
            var phone = PhoneConfiguration()
            phone.sipHost = "127.0.0.1"
            phone.sipPort = 0
            phone.trunk = HostPort(host: "127.0.0.1", port: 9)
            phone.allowedSources = ["127.0.0.1"]
            phone.rtpPorts = ports...(ports + 39)
            phone.recordingRetentionDays = retentionDays
            configuration.phone = phone
        }) { server in
            if await server.components.routing.read({ $0.skillGroups[PhoneGatewayTests.desk.id] == nil }) {
                try await server.givenGroup(PhoneGatewayTests.desk, agents: ["alice"])
                // Through the API, as an operator turns recording on.
                let bound = try await server.api(.put, "/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"sales","record":true}"#)
                #expect(bound.status == .created && bound.json["record"].bool == true, "\(bound.json)")
            }
            let phone = try #require(server.components.phone)
            try await waitUntil("the phone channel is ready", timeout: .seconds(15)) { phone.currentStatus.ready }
            try await body(server, try #require(phone.currentStatus.sipPort))
        }
    }

    /// The caller answers, plays `pcap` as its audio and waits for Switchboard's BYE.
    static func callerPlaying(_ pcap: String) -> String {
        SippScenario.scenario("caller plays a tone", SippScenario.invite() + """
              <recv response="100" optional="true"/>
              <recv response="180" optional="true"/>
              <recv response="200"/>
            """ + SippScenario.ack + """
              <nop><action><exec play_pcap_audio="\(pcap)"/></action></nop>
            """ + SippScenario.answerBye)
    }

    /// The session's record once its recording is no longer being made.
    static func finishedRecording(_ server: TestServer, _ session: String) async throws -> JSON {
        var record = JSON(nil)
        try await waitUntil("the recording is finished", timeout: .seconds(15)) {
            record = try await server.api(.get, "/api/v1/sessions/\(session)").json
            return record["recording"]["status"].string.map { $0 != "recording" } ?? false
        }
        return record
    }

    /// A fresh data directory and a tone of `toneSeconds` for the carrier to play; `remove`
    /// deletes both.
    static func scratch(toneSeconds: Int) throws -> (directory: String, tone: URL, remove: @Sendable () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-recording-\(UUID().uuidString)").path
        let tone = FileManager.default.temporaryDirectory.appendingPathComponent("tone-\(UUID().uuidString).pcap")
        try Data(RecordingProbe.tonePcap(seconds: toneSeconds)).write(to: tone)
        return (directory, tone, {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(at: tone)
        })
    }

    @Test func aRecordedCallKeepsTheCallerWithAGapForTheHoldServesRangesSurvivesARestartAndExpires() async throws {
        // A tone longer than the call, however long a loaded machine stretches the test's waits:
        // the recording's length is the caller's audio it holds.
        let (directory, tone, remove) = try Self.scratch(toneSeconds: 40)
        defer { remove() }
        let sessionBox = SessionBox()
        try await Self.withRecordingServer(dataDirectory: directory) { server, sipPort in
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(Self.callerPlaying(tone.path), arguments: ["-s", Self.number, "127.0.0.1:\(sipPort)"])
            let session = try #require(try await alice.event("callIn")["data"]?["sessionId"]?.string)
            sessionBox.set(session)
            // Ringing is not recorded: the recording starts when the agent answers.
            try await Task.sleep(for: .seconds(1))
            let beforeAnswer = ContinuousClock.now
            try await alice.call("Call.accept", ["sessionId": .string(session)])
            _ = try await PhoneGatewayTests.offerMedia(alice, session)
            let answered = ContinuousClock.now
            let live = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(live["recording"]["status"].string == "recording", "\(live)")
            try await Task.sleep(for: .seconds(2))
            let holdAsked = ContinuousClock.now
            try await alice.call("Call.hold", ["sessionId": .string(session)])
            try await Task.sleep(for: .seconds(2))
            try await alice.call("Call.unHold", ["sessionId": .string(session)])
            // The gap can be no longer than from asking for the hold to the unhold's answer.
            let holdWindows = Int((ContinuousClock.now - holdAsked) / .milliseconds(250)) + 1
            try await Task.sleep(for: .seconds(2))
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            let hungUp = ContinuousClock.now
            #expect(await sipp.finish() == 0, "\(sipp.log)")

            let record = try await Self.finishedRecording(server, session)
            #expect(record["recording"]["status"].string == "ready", "\(record)")
            // The record's hold time: the 2 s this test held (at most as long as it timed the hold).
            let hold = record["holdSeconds"].int ?? -1
            #expect(hold >= 2 && hold <= holdWindows / 4 + 1, "\(record)")
            #expect(record["talkSeconds"].int.map { $0 + hold } == record["durationSeconds"].int, "\(record)")
            let url = try #require(record["recording"]["url"].string)
            #expect(url == "/api/v1/sessions/\(session)/recording")

            let whole = try await server.download(url)
            #expect(whole.status == .ok && whole.headers[.contentType] == "audio/wav" && whole.headers[.acceptRanges] == "bytes")
            #expect(whole.bytes.count == record["recording"]["bytes"].int)
            let (rate, channels) = try RecordingProbe.energy(ofWAV: whole.bytes)
            #expect(rate == 8000 && channels.count == 2)
            // The caller (left): the tone, then about 2 s of nothing for the hold, then the tone again.
            let caller = channels[0]
            let loud = caller.map { $0 > 1000 }
            let firstLoud = try #require(loud.firstIndex(of: true), "no audio from the caller: \(caller)")
            let lastLoud = try #require(loud.lastIndex(of: true))
            var longestGap = 0
            var gap = 0
            for window in firstLoud...lastLoud {
                gap = loud[window] ? 0 : gap + 1
                longestGap = max(longestGap, gap)
            }
            #expect(longestGap >= 6 && longestGap <= max(12, holdWindows + 1),
                    "the hold should leave a gap of about 2 s (8 windows of 250 ms; at most \(holdWindows + 1) as this test timed it): \(caller.map { Int($0) })")
            #expect(loud.filter { $0 }.count >= 12, "about 4 s of the caller's tone: \(caller.map { Int($0) })")
            #expect(caller[(firstLoud + 1)..<(lastLoud - 1)].filter { $0 > 1000 }.allSatisfy { $0 < 12_000 }, "a 440 Hz tone at 8000 peak")
            // Length: the talk and the hold (6 s of the test's own waits, longer on a loaded
            // machine), from the answer to the hang-up as this test saw them, never the second of
            // ringing before the answer.
            let seconds = record["recording"]["durationSeconds"].value as? Double ?? 0
            let latest = Double((hungUp - beforeAnswer).components.seconds) + 1
            let earliest = Double((hungUp - answered).components.seconds) - 1
            #expect(seconds > 5 && seconds >= earliest && seconds <= latest, "\(seconds) s recorded; the call was answered for \(earliest + 1)...\(latest - 1) s")

            // A browser seeking: one range, the end, and a range past the end.
            let head = try await server.download(url, range: "bytes=0-11")
            #expect(head.status == .partialContent && head.headers[.contentRange] == "bytes 0-11/\(whole.bytes.count)")
            #expect(head.bytes == Array(whole.bytes[0..<12]) && String(decoding: head.bytes[8..<12], as: UTF8.self) == "WAVE")
            let middle = try await server.download(url, range: "bytes=1000-")
            #expect(middle.status == .partialContent && middle.bytes == Array(whole.bytes[1000...]))
            let tail = try await server.download(url, range: "bytes=-4")
            #expect(tail.status == .partialContent && tail.bytes == Array(whole.bytes.suffix(4)))
            let past = try await server.download(url, range: "bytes=\(whole.bytes.count)-")
            #expect(past.status == .rangeNotSatisfiable && past.headers[.contentRange] == "bytes */\(whole.bytes.count)")

            // The phone record's export links the recording.
            let csv = try await server.download("/api/v1/sessions.csv?type=phone")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let rows = try parseCSVWithPython(String(decoding: csv.bytes, as: UTF8.self))
            #expect(rows.count == 1 && rows.first?["SessionId"] == session, "\(rows)")
            #expect(rows.first?["RecordingStatus"] == "ready" && rows.first?["RecordURL"] == url, "\(rows)")
            #expect(rows.first?["SeatUserIds"] == "alice" && rows.first?["HungUpSide"] == "seat" && rows.first?["EndStatusString"] == "ok", "\(rows)")

            let listed = try await server.api(.get, "/api/v1/recordings?status=ready").json
            #expect(listed["items"].array.map { $0["sessionId"].string } == [session], "\(listed)")
            let wrong = try await server.api(.get, "/api/v1/recordings?status=lost")
            #expect(wrong.status == .badRequest && wrong.json.errorMessage.contains("status"), "\(wrong.json)")
        }
        let session = sessionBox.get()

        // After a restart (retention 30 days) the recording is still listed and served.
        try await Self.withRecordingServer(dataDirectory: directory, retentionDays: 30) { server, _ in
            let record = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(record["recording"]["status"].string == "ready", "\(record)")
            #expect(try await server.download("/api/v1/sessions/\(session)/recording").status == .ok)
        }

        // Its call ended 40 days ago (as far as the library knows): a 30-day retention deletes it.
        let entry = URL(fileURLWithPath: directory).appendingPathComponent("recordings/\(session)/recording.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: entry)) as? [String: Any])
        json["endedAt"] = Int64(Date().timeIntervalSince1970 * 1000) - 40 * 86_400_000
        try JSONSerialization.data(withJSONObject: json).write(to: entry)
        try await Self.withRecordingServer(dataDirectory: directory, retentionDays: 30) { server, _ in
            try await waitUntil("retention deletes the recording", timeout: .seconds(10)) {
                try await server.api(.get, "/api/v1/sessions/\(session)/recording").status == .notFound
            }
            let gone = try await server.api(.get, "/api/v1/sessions/\(session)/recording")
            #expect(gone.json.errorCode == "noRecording", "\(gone.json)")
            #expect(!FileManager.default.fileExists(atPath: entry.deletingLastPathComponent().path))
            let record = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(record["recording"].isNull && record["endStatus"].string == "ok", "the session's record stays: \(record)")
        }
    }

    /// One call to `number` that alice answers and hangs up after two seconds; its session id.
    static func answeredCall(to number: String, tone: URL, server: TestServer, sipPort: Int, alice: TestAgent) async throws -> String {
        let sipp = try Sipp.start(Self.callerPlaying(tone.path), arguments: ["-s", number, "127.0.0.1:\(sipPort)"])
        let session = try #require(try await alice.event("callIn")["data"]?["sessionId"]?.string)
        try await alice.call("Call.accept", ["sessionId": .string(session)])
        _ = try await PhoneGatewayTests.offerMedia(alice, session)
        try await Task.sleep(for: .seconds(2))
        try await alice.call("Call.hungUp", ["sessionId": .string(session)])
        #expect(await sipp.finish() == 0, "\(sipp.log)")
        _ = try await alice.event("sessionEnded", session: session)
        return session
    }

    @Test func aGroupRecordsItsCallsItsAgentPlaysThemAndANumberCanSayNo() async throws {
        let (directory, tone, remove) = try Self.scratch(toneSeconds: 30)
        defer { remove() }
        try await Self.withRecordingServer(dataDirectory: directory) { server, sipPort in
            try await server.givenGroup(SkillGroup(id: "elsewhere"), agents: ["bob"])
            // The group records; the number says nothing, so the group decides.
            let group = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"name":"Sales","recordCalls":true}"#)
            #expect(group.status == .ok && group.json["recordCalls"].bool == true, "\(group.json)")
            let bound = try await server.api(.put, "/api/v1/phone-numbers/%2B4930200", #"{"skillGroupId":"sales"}"#)
            #expect(bound.status == .created && bound.json["record"].isNull, "\(bound.json)")
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let session = try await Self.answeredCall(to: "+4930200", tone: tone, server: server, sipPort: sipPort, alice: alice)
            let record = try await Self.finishedRecording(server, session)
            #expect(record["recording"]["status"].string == "ready", "\(record)")

            // Alice's own history lists the call, with its recording where she may fetch it.
            let token = try await server.token(for: "alice")
            let history = try await server.http(.get, "/api/v1/agent/sessions?q=4930200", headers: [.authorization: "Bearer \(token)"])
            #expect(history.status == .ok && history.json["items"].array.map { $0["id"].string } == [session], "\(history.json)")
            let url = try #require(history.json["items"][0]["recording"]["url"].string)
            #expect(url == "/api/v1/agent/sessions/\(session)/recording")
            let none = try await server.http(.get, "/api/v1/agent/sessions?q=nothing-like-it", headers: [.authorization: "Bearer \(token)"])
            #expect(none.status == .ok && none.json["items"].array.isEmpty)
            let long = try await server.http(.get, "/api/v1/agent/sessions?q=" + String(repeating: "x", count: 101), headers: [.authorization: "Bearer \(token)"])
            #expect(long.status == .badRequest && long.json.errorMessage.contains("'q'"), "\(long.json)")
            let whole = try await server.download(url, bearer: token)
            #expect(whole.status == .ok && whole.headers[.contentType] == "audio/wav" && whole.bytes.count == record["recording"]["bytes"].int)
            let head = try await server.download(url, range: "bytes=0-11", bearer: token)
            #expect(head.status == .partialContent && String(decoding: head.bytes[8..<12], as: UTF8.self) == "WAVE")

            // Bob never answered it, the admin key is no agent's token, and no token is no one.
            let bob = try await server.token(for: "bob")
            let refused = try await server.download(url, bearer: bob)
            #expect(refused.status == .notFound && refused.bytes.count < 1000)
            #expect(try await server.http(.get, "/api/v1/agent/sessions", headers: [.authorization: "Bearer \(bob)"]).json["items"].array.isEmpty)
            #expect(try await server.download(url, bearer: TestServer.adminKey).status == .unauthorized)
            #expect(try await server.download(url, bearer: nil).status == .unauthorized)

            // The number's own "record": false wins over its group.
            let declined = try await server.api(.put, "/api/v1/phone-numbers/%2B4930200", #"{"skillGroupId":"sales","record":false}"#)
            #expect(declined.status == .ok && declined.json["record"].bool == false, "\(declined.json)")
            let unrecorded = try await Self.answeredCall(to: "+4930200", tone: tone, server: server, sipPort: sipPort, alice: alice)
            let plain = try await server.api(.get, "/api/v1/sessions/\(unrecorded)").json
            #expect(plain["recording"].isNull && plain["endStatus"].string == "ok", "\(plain)")
            #expect(try await server.download("/api/v1/agent/sessions/\(unrecorded)/recording", bearer: token).status == .notFound)
        }
    }
}

extension RecordingTests {
    @Test func aRecordingThatCannotBeginSaysSoInTheRecord() async throws {
        let (directory, tone, remove) = try Self.scratch(toneSeconds: 30)
        defer { remove() }
        try await Self.withRecordingServer(dataDirectory: directory) { server, sipPort in
            // The recordings folder becomes a plain file (the tests run as root, so taking away
            // write permission would not stop anything): no recording can begin or be written.
            let library = (directory as NSString).appendingPathComponent("recordings")
            try FileManager.default.removeItem(atPath: library)
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: library))
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let sipp = try Sipp.start(Self.callerPlaying(tone.path), arguments: ["-s", Self.number, "127.0.0.1:\(sipPort)"])
            let session = try #require(try await alice.event("callIn")["data"]?["sessionId"]?.string)
            try await alice.call("Call.accept", ["sessionId": .string(session)])
            _ = try await PhoneGatewayTests.offerMedia(alice, session)
            // A hold and an unhold do not try again, or capture audio nothing would keep.
            try await alice.call("Call.hold", ["sessionId": .string(session)])
            try await alice.call("Call.unHold", ["sessionId": .string(session)])
            try await Task.sleep(for: .seconds(1))
            let spool = (directory as NSString).appendingPathComponent("rtpengine/recording-spool/pcaps")
            let captures = ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".pcap") }
            #expect(captures.isEmpty, "rtpengine was asked to record: \(captures)")
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            #expect(await sipp.finish() == 0, "\(sipp.log)")
            _ = try await alice.event("sessionEnded", session: session)

            let record = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(record["recording"]["status"].string == "failed", "the failure is in the record, never null: \(record)")
            let reason = record["recording"]["reason"].string ?? ""
            #expect(reason.contains("could not begin"), "\(record)")
            #expect(record["recording"]["url"].isNull, "a failed recording has nothing to download: \(record)")
            #expect(record["endStatus"].string == "ok", "the call itself went well: \(record)")

            let audio = try await server.api(.get, "/api/v1/sessions/\(session)/recording")
            #expect(audio.status == .conflict && audio.json.errorCode == "recordingFailed" && audio.json.errorMessage.contains("could not begin"), "\(audio.json)")
            let listed = try await server.api(.get, "/api/v1/recordings?status=failed").json
            #expect(listed["items"].array.map { $0["sessionId"].string } == [session], "\(listed)")
            let csv = try await server.download("/api/v1/sessions.csv?type=phone")
            let rows = try parseCSVWithPython(String(decoding: csv.bytes, as: UTF8.self))
            #expect(rows.count == 1 && rows.first?["RecordingStatus"] == "failed", "\(rows)")
        }
    }
}

/// The session id the first server's call got, read after that server has stopped.
final class SessionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func set(_ id: String) { lock.withLock { value = id } }
    func get() -> String { lock.withLock { value } }
}
