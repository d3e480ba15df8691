import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// A supervisor hands a waiting session to a chosen agent over the admin API.
@Suite("Assigning a waiting session")
struct AssignSessionTests {
    @Test func aWaitingSessionRingsAtTheChosenAgentWhoAcceptsIt() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","name":"Sales"}"#)
            try await server.createGroup(#"{"id":"billing","name":"Billing"}"#)
            try await server.createAgent(#"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            try await server.createAgent(#"{"id":"bob","name":"Bob","memberships":[{"skillGroupId":"billing"}],"password":"bob-secret"}"#)
            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            try await alice.call("Agent.setStatus", ["status": "rest"])
            let bob = try await server.onlineAgent("bob", password: "bob-secret")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            #expect(try await server.api(.get, "/api/v1/sessions/\(session)").json["state"].string == "queued")

            let assigned = try await server.api(.post, "/api/v1/sessions/\(session)/assign", #"{"agentId":"bob"}"#)
            #expect(assigned.status == .ok, "\(assigned.json)")
            #expect(assigned.json["state"].string == "ringing" && assigned.json["agentId"].string == "bob")
            _ = try await bob.event("callIn", session: session)
            try await bob.call("Chat.accept", ["sessionId": .string(session)])
            let detail = try await server.api(.get, "/api/v1/sessions/\(session)")
            let offered = detail.json["history"].array.first { $0["kind"].string == "offered" }
            #expect(offered?["detail"]["assigned"].bool == true && offered?["agentId"].string == "bob", "\(detail.json)")

            // Held now: refused with the reason, and nothing changes.
            let held = try await server.api(.post, "/api/v1/sessions/\(session)/assign", #"{"agentId":"alice"}"#)
            #expect(held.status == .conflict && held.json["error"]["code"].string == "notWaiting", "\(held.json)")
            #expect(try await server.api(.get, "/api/v1/sessions/\(session)").json["agentId"].string == "bob")
        }
    }

    @Test func badAssignmentsAreRefusedWithTheReason() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","name":"Sales"}"#)
            try await server.createAgent(#"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            let cases: [(String, String, Int, String)] = [
                (session, #"{"agentId":"alice"}"#, 409, "transferTargetUnavailable"),  // offline
                (session, #"{"agentId":"nobody"}"#, 404, "unknownAgent"),
                (session, #"{"agentId":""}"#, 400, "invalidValue"),
                (session, #"{}"#, 400, "invalidBody"),
                (session, #"{"agentId":"alice","why":"x"}"#, 400, "unknownField"),
                ("s-999", #"{"agentId":"alice"}"#, 404, "unknownSession"),
            ]
            for (id, body, status, code) in cases {
                let refused = try await server.api(.post, "/api/v1/sessions/\(id)/assign", body)
                #expect(Int(refused.status.code) == status && refused.json["error"]["code"].string == code, "\(body): \(refused.json)")
            }
            #expect(try await server.api(.get, "/api/v1/sessions/\(session)").json["state"].string == "queued")
            _ = try await server.api(.post, "/api/v1/sessions/\(session)/end")
            let ended = try await server.api(.post, "/api/v1/sessions/\(session)/assign", #"{"agentId":"alice"}"#)
            #expect(ended.status == .conflict && ended.json["error"]["code"].string == "sessionEnded")
        }
    }
}
