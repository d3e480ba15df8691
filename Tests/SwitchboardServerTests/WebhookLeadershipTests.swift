import Foundation
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// On a node of several, the webhook worker sends only while its node holds the routing lease:
/// once the loss is signalled no attempt starts, neither of a new delivery nor of one made due.
@Suite("Webhook delivery stops with the routing lease")
struct WebhookLeadershipTests {
    @Test func noAttemptStartsAfterTheLeaseIsLost() async throws {
        let leadership = LeadershipSignal()
        // Port 9 (discard) on loopback refuses connections: an attempt fails quickly and is recorded.
        try await TestServer.run(configure: { configuration in
            configuration.webhooks.allowPrivateAddresses = true
            configuration.webhooks.requestTimeoutSeconds = 2
            configuration.webhooks.firstRetryDelaySeconds = 3600
        }, leadership: leadership) { server in
            let created = try await server.api(.post, "/api/v1/webhooks", #"{"url":"http://127.0.0.1:9/nobody","kinds":["session.created"]}"#)
            let id = try #require(created.json["id"].string)
            try await server.given(.upsertSkillGroup(SkillGroup(id: "sales")))
            func deliveries() async throws -> [JSON] {
                try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries").json["items"].array
            }
            func startSession() async throws {
                let answer = try await server.api(.post, "/api/v1/sessions", #"{"type":"im","skillGroupId":"sales","customer":{"nickname":"Ann"}}"#)
                #expect(answer.status == .created || answer.status == .ok)
            }

            // While the lease holds, the worker attempts at once.
            try await startSession()
            for _ in 0..<100 {
                if try await deliveries().first?["attempts"].int == 1 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let before = try #require(try await deliveries().first)
            #expect(before["attempts"].int == 1)

            leadership.lose("a test took the lease away")
            // A change committed after the loss (the fence would refuse it on PostgreSQL; SQLite
            // has no fence, which lets the test queue a delivery) and a redelivery made due now.
            try await startSession()
            let firstId = try #require(before["id"].int)
            #expect(try await server.api(.post, "/api/v1/webhooks/\(id)/deliveries/\(firstId)/redeliver").status == .accepted)
            // The worker would have looked several times by now (every 250 ms, and on each nudge).
            try await Task.sleep(for: .seconds(2))
            let after = try await deliveries()
            #expect(after.count == 2)
            #expect(after.map { $0["attempts"].int } == [0, 1], "no attempt started after the loss: \(after)")
            #expect(after.allSatisfy { $0["status"].string == "pending" })
        }
    }
}
