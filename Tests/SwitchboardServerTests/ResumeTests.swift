import Foundation
import SwitchboardCore
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// A dropped agent connection resumes from its last `seq` without losing events or sessions.
@Suite("Resuming agent connections", .serialized)
struct ResumeTests {
    @Test func reconnectReplaysMissedEventsAndKeepsSessions() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60), agents: ["alice"])
            let first = try await server.agent("alice")
            try await first.call("Agent.online")
            let customer = try await server.customer(group: "sales")
            let callIn = try await first.event("callIn")
            try await first.call("Chat.accept", ["sessionId": .string(customer.sessionId)])
            let accessed = try await first.event("userAccessed")
            let cursor = try #require(accessed["seq"]?.int)
            #expect(cursor > (callIn["seq"]?.int ?? .max))
            first.socket.close()
            try await first.socket.waitClosed()

            // While alice is away the customer writes; the event is numbered and kept.
            customer.say("are you there?")
            _ = try await customer.next("ack")

            let second = try await TestAgent.connect(port: server.port)
            let welcome = try await second.login(userId: "alice", password: "pw-alice", resumeFrom: cursor)
            #expect(welcome["resumed"] == .bool(true))
            #expect(welcome["status"]?.string == "busy")
            #expect(welcome["sessions"]?[0]?["sessionId"]?.string == customer.sessionId)
            #expect(welcome["sessions"]?[0]?["state"]?.string == "accepted")
            let missed = try await second.event("message", session: customer.sessionId)
            #expect(missed["data"]?["text"]?.string == "are you there?")
            #expect(missed["seq"]?.int ?? 0 > cursor)

            // Too old a cursor: no replay, the welcome is the truth.
            let third = try await TestAgent.connect(port: server.port)
            let fresh = try await third.login(userId: "alice", password: "pw-alice", resumeFrom: 1_000_000)
            #expect(fresh["resumed"] == .bool(false))

            customer.say("hello again")
            let onSecond = try await second.event("message", session: customer.sessionId) { $0["text"]?.string == "hello again" }
            let onThird = try await third.event("message", session: customer.sessionId) { $0["text"]?.string == "hello again" }
            #expect(onSecond["seq"] == onThird["seq"])

            // A supervisor's forced logout closes both sockets; the SDK may resume.
            let disconnected = try await server.admin(.post, "/api/v1/agents/alice/disconnect")
            #expect((disconnected.body as? [String: Any])?["closedConnections"] as? Int == 2)
            try await second.socket.waitClosed()
            try await third.socket.waitClosed()
            let fourth = try await TestAgent.connect(port: server.port)
            let back = try await fourth.login(userId: "alice", password: "pw-alice", resumeFrom: 1)
            #expect(back["sessions"]?[0]?["sessionId"]?.string == customer.sessionId)
        }
    }
}
