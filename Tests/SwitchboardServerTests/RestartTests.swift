import Foundation
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// The real `switchboard` process, killed with SIGKILL mid-traffic, comes back with everything it
/// acknowledged and goes on routing.
@Suite("Crash and restart", .serialized)
struct RestartTests {
    @Test func everyAcknowledgedItemSurvivesSIGKILL() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }

        var process = try await ServerProcess.start(dataDirectory: dataDirectory)
        // Whatever happens, no server outlives the test (the variable is read when this runs).
        defer { process.kill() }
        var port = process.port
        let admin = AdminClient(port: port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","name":"Sales","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"night","name":"Night","offerTimeoutSeconds":600}"#)
        for agent in ["alice", "bob"] {
            try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"\#(agent)","name":"\#(agent.capitalized)","imCapacity":1,"memberships":[{"skillGroupId":"sales","skillLevel":3}],"password":"pw-\#(agent)-123"}"#)
        }
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"nina","name":"Nina","memberships":[{"skillGroupId":"night","skillLevel":3}],"password":"pw-nina-123"}"#)

        // accepted: alice holds one session with messages both ways.
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: port)
        let held = try await alice.acceptChat(port: port, group: "sales", nickname: "Held")
        held.say("first", clientMessageId: "h-1")
        _ = try await held.next("ack")
        let reply = try await alice.call("Chat.sendMessage", ["sessionId": .string(held.sessionId), "text": "second"])
        let replyId = try #require(reply?["messageId"]?.string)

        // ringing: bob is offered one and does not answer.
        let bob = try await TestAgent.connect(port: port)
        try await bob.login(userId: "bob", password: "pw-bob-123")
        try await bob.call("Agent.online")
        let ringing = try await TestCustomer.connect(port: port)
        try await ringing.start(group: "sales", nickname: "Ringing")
        _ = try await bob.event("callIn", session: ringing.sessionId)

        // queued: nobody in "night" is online.
        let queued = try await TestCustomer.connect(port: port)
        try await queued.start(group: "night", nickname: "Queued")
        queued.say("waiting", clientMessageId: "q-1")
        let firstAck = try await queued.next("ack")

        process.kill()

        process = try await ServerProcess.start(dataDirectory: dataDirectory)
        port = process.port

        // alice's session and transcript are back.
        let alice2 = try await TestAgent.connect(port: port)
        let aliceWelcome = try await alice2.login(userId: "alice", password: "pw-alice-123")
        #expect(aliceWelcome["sessions"]?[0]?["sessionId"]?.string == held.sessionId)
        #expect(aliceWelcome["sessions"]?[0]?["state"]?.string == "accepted")
        let transcript = try await alice2.call("Chat.getMessages", ["sessionId": .string(held.sessionId)])
        #expect(transcript?["messages"]?[0]?["text"]?.string == "first")
        #expect(transcript?["messages"]?[1]?["messageId"]?.string == replyId)

        // bob's offer still rings at him with its timer.
        let bob2 = try await TestAgent.connect(port: port)
        let bobWelcome = try await bob2.login(userId: "bob", password: "pw-bob-123")
        #expect(bobWelcome["sessions"]?[0]?["sessionId"]?.string == ringing.sessionId)
        #expect(bobWelcome["sessions"]?[0]?["state"]?.string == "ringing")
        try await bob2.call("Chat.accept", ["sessionId": .string(ringing.sessionId)])

        // The queued customer resumes with its secret and is still waiting; routing goes on.
        let queued2 = try await TestCustomer.connect(port: port)
        queued2.socket.send(#"{"v":1,"type":"resume","sessionId":"\#(queued.sessionId)","secret":"\#(queued.secret)"}"#)
        _ = try await queued2.next("started")
        #expect(try await queued2.next("queued")["position"]?.int == 1)
        #expect(try await queued2.next("message")["text"]?.string == "waiting")
        let nina = try await TestAgent.connect(port: port)
        try await nina.login(userId: "nina", password: "pw-nina-123")
        try await nina.call("Agent.online")
        _ = try await nina.event("callIn", session: queued.sessionId)

        // A retried message id from before the crash is not stored twice.
        queued2.say("waiting", clientMessageId: "q-1")
        let again = try await queued2.next("ack")
        #expect(again["messageId"] == firstAck["messageId"])
        try await nina.call("Chat.accept", ["sessionId": .string(queued.sessionId)])
        let page = try await nina.call("Chat.getMessages", ["sessionId": .string(queued.sessionId)])
        #expect(page?["messages"]?[0]?["text"]?.string == "waiting")
        #expect(page?["messages"]?[1] == nil)

        // SIGTERM shuts down cleanly.
        #expect(try await process.terminate() == 0)
    }
}
