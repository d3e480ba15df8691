import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// What every connection of an agent is told about its state: the login snapshot and
/// `Agent.getStatus` agree with the server, whichever connection changed it.
@Suite("Agent login snapshot")
struct AgentSnapshotTests {
    @Test func aPendingStatusIsVisibleToEveryConnection() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let first = try await server.onlineAgent("alice", password: "pw-alice")
            let customer = try await server.customer(group: "sales")
            _ = try await first.event("callIn")
            try await first.call("Chat.accept", ["sessionId": .string(customer.sessionId)])
            _ = try await first.event("statusChanged", where: { $0["status"]?.string == "busy" })
            try await first.call("Agent.setStatus", ["status": "rest", "restReason": "lunch"])

            // Another tab logs in: its snapshot says what will happen after the last session.
            let second = try await TestAgent.connect(port: server.port)
            let welcome = try await second.login(userId: "alice", password: "pw-alice")
            #expect(welcome["status"]?.string == "busy")
            #expect(welcome["pendingStatus"]?.string == "rest")
            #expect(welcome["pendingRestReason"]?.string == "lunch")
            let status = try await second.call("Agent.getStatus")
            #expect(status?["pendingStatus"]?.string == "rest" && status?["pendingRestReason"]?.string == "lunch")

            // Once applied, nothing is pending any more.
            try await first.call("Chat.end", ["sessionId": .string(customer.sessionId)])
            _ = try await second.event("statusChanged", where: { $0["status"]?.string == "rest" })
            let after = try await second.call("Agent.getStatus")
            #expect(after?["status"]?.string == "rest")
            #expect(after?["pendingStatus"] == nil || after?["pendingStatus"] == .null)
        }
    }

    @Test func aRingingOfferInTheSnapshotHasTheSecondsLeftNotTheFullTimeout() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 30), agents: ["alice"])
            let first = try await server.onlineAgent("alice", password: "pw-alice")
            _ = try await server.customer(group: "sales")
            let callIn = try await first.event("callIn")
            #expect(callIn["data"]?["timeout"]?.int == 30)
            // Time passing is what is tested: the reloaded page must count down from what is left.
            try await Task.sleep(for: .milliseconds(2100))
            let reloaded = try await TestAgent.connect(port: server.port)
            let welcome = try await reloaded.login(userId: "alice", password: "pw-alice")
            let left = try #require(welcome["sessions"]?[0]?["timeout"]?.int)
            #expect((1...28).contains(left), "\(left) s left of 30 after two seconds")
        }
    }
}
