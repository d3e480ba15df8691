import Foundation
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// `/api/v1/webhooks`: subscriptions with a secret shown once, refusals that change nothing, the
/// delivery log and the redeliver action.
@Suite("Admin webhooks")
struct AdminWebhookTests {
    @Test func aSubscriptionShowsItsSecretOnceAndRefusesBadInput() async throws {
        try await TestServer.run { server in
            let created = try await server.api(.post, "/api/v1/webhooks", #"{"url":"https://crm.example.com/in","kinds":["session.created","session.ended"],"description":"CRM"}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"].string)
            #expect(id.hasPrefix("wh_") && created.headers[.location] == "/api/v1/webhooks/\(id)")
            #expect(created.headers[.cacheControl] == "no-store")
            let secret = try #require(created.json["secret"].string)
            #expect(secret.hasPrefix("whsec_") && secret.count >= 38)
            #expect(created.json["kinds"].array.compactMap(\.string) == ["session.created", "session.ended"])

            let read = try await server.api(.get, "/api/v1/webhooks/\(id)")
            #expect(read.status == .ok && read.json["secret"].isNull && read.json["url"].string == "https://crm.example.com/in")
            let list = try await server.api(.get, "/api/v1/webhooks")
            #expect(list.json["items"].array.map { $0["id"].string } == [id] && list.json["items"][0]["secret"].isNull)
            // Kept sealed in the store: the database does not hold it in the clear.
            let stored = try #require(try await server.components.store.webhook(id: id))
            #expect(!stored.sealedSecret.contains(secret))
            #expect(server.components.webhooks.secret(sealed: stored.sealedSecret, id: id) == secret)

            let refusals: [(String, String)] = [
                (#"{"url":"ftp://crm.example.com/","kinds":["session.created"]}"#, "only http and https"),
                (#"{"url":"https://me:pw@crm.example.com/","kinds":["session.created"]}"#, "user name or password"),
                (#"{"url":"http://127.0.0.1:9/","kinds":["session.created"]}"#, "--webhooks-allow-private-addresses"),
                (#"{"url":"http://169.254.169.254/latest","kinds":["session.created"]}"#, "link-local"),
                (#"{"url":"https://crm.example.com/","kinds":[]}"#, "at least one"),
                (#"{"url":"https://crm.example.com/","kinds":["session.deleted"]}"#, "not an event kind"),
                (#"{"url":"https://crm.example.com/","kinds":["session.created","session.created"]}"#, "twice"),
                (#"{"url":"https://crm.example.com/","kinds":["session.created"],"secret":"short"}"#, "16 to 256"),
                (#"{"kinds":["session.created"]}"#, "'url' is required"),
                (#"{"url":"https://crm.example.com/"}"#, "'kinds' is required"),
                (#"{"url":"https://crm.example.com/","kinds":["session.created"],"events":[]}"#, "'events' is not accepted"),
            ]
            for (body, message) in refusals {
                let answer = try await server.api(.post, "/api/v1/webhooks", body)
                #expect(answer.status == .badRequest && answer.json.errorMessage.contains(message), "\(body): \(answer.json)")
            }
            #expect(try await server.api(.get, "/api/v1/webhooks").json["items"].array.count == 1, "refusals created nothing")

            // A change keeps what it does not name; a rotation shows the new secret once.
            let changed = try await server.api(.patch, "/api/v1/webhooks/\(id)", #"{"kinds":["session.message"],"rotateSecret":true}"#)
            #expect(changed.status == .ok && changed.json["url"].string == "https://crm.example.com/in")
            #expect(changed.json["kinds"].array.compactMap(\.string) == ["session.message"])
            let rotated = try #require(changed.json["secret"].string)
            #expect(rotated != secret)
            let own = try await server.api(.patch, "/api/v1/webhooks/\(id)", #"{"secret":"my-own-secret-0123456789"}"#)
            #expect(own.status == .ok && own.json["secret"].isNull, "a secret the caller gave is not echoed")
            let badChange = try await server.api(.patch, "/api/v1/webhooks/\(id)", #"{"url":"gopher://x/"}"#)
            #expect(badChange.status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/webhooks/\(id)").json["url"].string == "https://crm.example.com/in")
            #expect(try await server.api(.patch, "/api/v1/webhooks/wh_nope", #"{"description":"x"}"#).status == .notFound)

            #expect(try await server.api(.delete, "/api/v1/webhooks/\(id)").status == .noContent)
            #expect(try await server.api(.get, "/api/v1/webhooks/\(id)").status == .notFound)
            #expect(try await server.api(.delete, "/api/v1/webhooks/\(id)").status == .notFound)
        }
    }

    @Test func theDeliveryLogListsEventsAndRedeliverQueuesACopy() async throws {
        // Port 9 (discard) on loopback refuses connections: every attempt fails, quickly.
        try await TestServer.run(configure: { configuration in
            configuration.webhooks.allowPrivateAddresses = true
            configuration.webhooks.requestTimeoutSeconds = 2
            configuration.webhooks.firstRetryDelaySeconds = 3600
        }) { server in
            let created = try await server.api(.post, "/api/v1/webhooks", #"{"url":"http://127.0.0.1:9/nobody","kinds":["session.created","session.ended"]}"#)
            let id = try #require(created.json["id"].string)
            try await server.given(.upsertSkillGroup(SkillGroup(id: "sales")))
            let session = try await server.api(.post, "/api/v1/sessions", #"{"type":"im","skillGroupId":"sales","customer":{"nickname":"Ann"}}"#)
            let sessionId = try #require(session.json["id"].string ?? session.json["sessionId"].string)
            #expect(try await server.api(.post, "/api/v1/sessions/\(sessionId)/end", #"{"mainReason":"test"}"#).status == .ok)

            // Both events are in the log at once (committed with the change); the worker's first
            // attempt of the session's first event fails, and its end waits behind it.
            var log = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries")
            #expect(log.json["items"].array.compactMap { $0["kind"].string } == ["session.ended", "session.created"])
            for _ in 0..<100 where log.json["items"][1]["attempts"].int != 1 {
                try await Task.sleep(for: .milliseconds(50))
                log = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries")
            }
            let first = log.json["items"][1]
            #expect(first["status"].string == "pending" && first["attempts"].int == 1)
            #expect(first["lastError"].string?.contains("could not POST") == true, "\(first)")
            #expect(first["nextAttemptAt"].int != nil && first["eventId"].string?.hasPrefix("evt_") == true)
            #expect(first["data"]["sessionId"].string == sessionId && first["orderingKey"].string == "session:\(sessionId)")
            #expect(log.json["items"][0]["attempts"].int == 0, "the end waits for the creation: one at a time per session")
            let ended = log.json["items"][0]["data"]
            #expect(ended["record"]["id"].string == sessionId && ended["record"]["closeBy"].string == "admin")

            let filtered = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries?status=delivered")
            #expect(filtered.status == .ok && filtered.json["items"].array.isEmpty && filtered.json["total"].int == 0)
            #expect(try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries?status=lost").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/webhooks/wh_nope/deliveries").status == .notFound)

            // Redelivering a pending delivery makes it due now: it is attempted again.
            let deliveryId = try #require(first["id"].int)
            let again = try await server.api(.post, "/api/v1/webhooks/\(id)/deliveries/\(deliveryId)/redeliver")
            #expect(again.status == .accepted && again.json["id"].int == deliveryId)
            for _ in 0..<100 {
                let attempts = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries").json["items"][1]["attempts"].int
                if attempts == 2 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries").json["items"][1]["attempts"].int == 2)
            #expect(try await server.api(.post, "/api/v1/webhooks/\(id)/deliveries/999999/redeliver").status == .notFound)
            #expect(try await server.api(.post, "/api/v1/webhooks/\(id)/deliveries/abc/redeliver").status == .notFound)
        }
    }

    @Test func aPausedWebhookQueuesItsEventsAndSendsThemInOrderWhenResumed() async throws {
        let receiver = HookReceiver()
        try await receiver.run { port in
            try await TestServer.run(configure: { $0.webhooks.allowPrivateAddresses = true }) { server in
                let created = try await server.api(.post, "/api/v1/webhooks", #"{"url":"http://127.0.0.1:\#(port)/hook","kinds":["session.created","session.ended"],"paused":true}"#)
                #expect(created.status == .created && created.json["paused"].bool == true)
                let id = try #require(created.json["id"].string)
                #expect(try await server.api(.patch, "/api/v1/webhooks/\(id)", #"{"paused":"yes"}"#).status == .badRequest)
                try await server.given(.upsertSkillGroup(SkillGroup(id: "sales")))
                let session = try await server.api(.post, "/api/v1/sessions", #"{"type":"im","skillGroupId":"sales","customer":{"nickname":"Ann"}}"#)
                let sessionId = try #require(session.json["id"].string ?? session.json["sessionId"].string)
                #expect(try await server.api(.post, "/api/v1/sessions/\(sessionId)/end", #"{"mainReason":"test"}"#).status == .ok)

                // Paused: both events are queued, none is attempted (the worker looks every 250 ms).
                try await Task.sleep(for: .seconds(1))
                let waiting = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries").json["items"].array
                #expect(waiting.map { $0["status"].string } == ["pending", "pending"] && waiting.allSatisfy { $0["attempts"].int == 0 })
                #expect(receiver.kinds.isEmpty)

                let resumed = try await server.api(.patch, "/api/v1/webhooks/\(id)", #"{"paused":false}"#)
                #expect(resumed.status == .ok && resumed.json["paused"].bool == false)
                for _ in 0..<100 where receiver.kinds.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
                #expect(receiver.kinds == ["session.created", "session.ended"], "sent in order once resumed")
                #expect(try await server.api(.get, "/api/v1/webhooks/\(id)").json["paused"].bool == false)
            }
        }
    }
}
