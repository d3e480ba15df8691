import Foundation
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// An agent SDK that was connected when the server was SIGKILLed reconnects to the restarted
/// server with the `resumeFrom` cursor it had. The resume buffer lived in the dead process, so
/// nothing can be replayed: the server must say `resumed: false` and send the whole state in the
/// welcome (status, ringing and held sessions), and number what follows from the welcome's
/// `lastSeq`, so a client that resets its cursor there (as docs/protocol.md §2.2 says) loses
/// nothing and sees nothing twice.
@Suite("Resuming across a crash", .serialized)
struct ResumeAfterCrashTests {
    /// Sets up alice with an accepted chat (`held`) and one ringing (`ringing`); returns her
    /// cursor: the highest event seq her connection received.
    static func aliceWithTwoChats(port: Int) async throws -> (alice: TestAgent, held: TestCustomer, ringing: TestCustomer, cursor: Int) {
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: port)
        let held = try await alice.acceptChat(port: port, group: "sales", nickname: "Held")
        try await held.sayAndWait("before the crash")
        _ = try await alice.event("message", session: held.sessionId)
        let ringing = try await TestCustomer.connect(port: port)
        try await ringing.start(group: "sales", nickname: "Ringing")
        let offer = try await alice.event("callIn", session: ringing.sessionId)
        return (alice, held, ringing, try #require(offer["seq"]?.int))
    }

    /// The real executable on `dataDirectory`, with a group "sales" and its agent alice.
    static func startWithAlice(_ dataDirectory: String) async throws -> ServerProcess {
        let process = try await ServerProcess.start(dataDirectory: dataDirectory)
        let admin = AdminClient(port: process.port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
        return process
    }

    @Test func anAgentResumingAfterACrashGetsTheWholeStateAndNoDuplicates() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-resume-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var process = try await Self.startWithAlice(dataDirectory)
        defer { process.kill() }
        let (alice, held, ringing, cursor) = try await Self.aliceWithTwoChats(port: process.port)
        let statusBefore = try #require(try await alice.call("Agent.getStatus"))

        process.kill()
        process = try await ServerProcess.start(dataDirectory: dataDirectory)

        let back = try await TestAgent.connect(port: process.port)
        let welcome = try await back.login(userId: "alice", password: "pw-alice-123", resumeFrom: cursor)
        #expect(welcome["resumed"] == .bool(false), "nothing from before the crash can be replayed")
        #expect(welcome["status"] == statusBefore["status"], "\(welcome) \(statusBefore)")
        #expect(welcome["sessions"]?[0]?["sessionId"]?.string == held.sessionId)
        #expect(welcome["sessions"]?[0]?["state"]?.string == "accepted")
        #expect(welcome["sessions"]?[1]?["sessionId"]?.string == ringing.sessionId)
        #expect(welcome["sessions"]?[1]?["state"]?.string == "ringing")
        #expect(welcome["sessions"]?[2] == nil)
        let lastSeq = try #require(welcome["lastSeq"]?.int)

        // Nothing replayed, and the next event follows lastSeq: no gap, no repeat.
        let resumed = try await TestCustomer.connect(port: process.port)
        resumed.socket.send(#"{"v":1,"type":"resume","sessionId":"\#(held.sessionId)","secret":"\#(held.secret)"}"#)
        _ = try await resumed.next("started")
        try await resumed.sayAndWait("after the crash")
        let message = try await back.event("message", session: held.sessionId)
        #expect(message["data"]?["text"]?.string == "after the crash")
        #expect(message["seq"]?.int == lastSeq + 1)
        let numbered = await back.socket.frames.frames.compactMap { $0["seq"]?.int }.filter { $0 > 0 }
        #expect(numbered.isEmpty, "events the client already had were sent again: \(numbered)")
        // The ringing offer is still there to accept.
        try await back.call("Chat.accept", ["sessionId": .string(ringing.sessionId)])
        #expect(try await process.terminate() == 0)
    }

    /// The same, when events for the agent were numbered after the restart before it came back
    /// (a customer wrote meanwhile), enough to pass its old cursor. The cursor then names an event
    /// of the new process that the client never saw, and must not be taken for a resume point.
    @Test func aCursorFromBeforeTheCrashIsNotMistakenForANewEvent() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-resume-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var process = try await Self.startWithAlice(dataDirectory)
        defer { process.kill() }
        let (_, held, ringing, cursor) = try await Self.aliceWithTwoChats(port: process.port)

        process.kill()
        process = try await ServerProcess.start(dataDirectory: dataDirectory)

        // The customer comes back first and writes more messages than alice's cursor counts.
        let resumed = try await TestCustomer.connect(port: process.port)
        resumed.socket.send(#"{"v":1,"type":"resume","sessionId":"\#(held.sessionId)","secret":"\#(held.secret)"}"#)
        _ = try await resumed.next("started")
        let written = (1...(cursor + 2)).map { "while alice was away \($0)" }
        for text in written { try await resumed.sayAndWait(text) }

        let back = try await TestAgent.connect(port: process.port)
        let welcome = try await back.login(userId: "alice", password: "pw-alice-123", resumeFrom: cursor)
        #expect(welcome["sessions"]?[1]?["sessionId"]?.string == ringing.sessionId)
        // Every start numbers from a new base above all earlier ones, so the old cursor is not
        // part of the new numbering: no resume, a full welcome, and the transcript is all there.
        #expect(welcome["resumed"] == .bool(false), "a cursor from before the crash was taken for a resume point: \(welcome)")
        #expect((welcome["lastSeq"]?.int ?? 0) >= 1 << 32, "the second start numbers above 2^32: \(welcome)")
        let page = try await back.call("Chat.getMessages", ["sessionId": .string(held.sessionId)])
        let texts = (0..<(written.count + 1)).compactMap { page?["messages"]?[$0]?["text"]?.string }
        #expect(texts == ["before the crash"] + written)
        #expect(try await process.terminate() == 0)
    }
}
