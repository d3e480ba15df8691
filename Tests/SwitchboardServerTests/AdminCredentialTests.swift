import Foundation
import SwitchboardCore
@testable import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// Passwords, login tokens and supervisor status changes, checked through a real agent login.
@Suite("Admin credentials and statuses")
struct AdminCredentialTests {
    @Test func passwordSetByAdminLogsTheAgentIn() async throws {
        try await TestServer.run { server in
            try await server.createAgent(#"{"id":"alice"}"#)
            let set = try await server.api(.put, "/api/v1/agents/alice/password", #"{"password":"correct horse"}"#)
            #expect(set.status == .noContent)
            let agent = try await TestAgent.connect(port: server.port)
            let welcome = try await agent.login(userId: "alice", password: "correct horse")
            #expect(welcome["type"]?.string == "welcome")

            let wrong = try await TestAgent.connect(port: server.port)
            await #expect(throws: TestFailure.self) { try await wrong.login(userId: "alice", password: "wrong horse") }

            let short = try await server.api(.put, "/api/v1/agents/alice/password", #"{"password":"1234567"}"#)
            #expect(short.status == .badRequest && short.json.errorMessage.contains("8 to 128"))
            #expect(try await server.api(.put, "/api/v1/agents/alice/password", #"{}"#).status == .badRequest)
            #expect(try await server.api(.put, "/api/v1/agents/nobody/password", #"{"password":"long enough"}"#).status == .notFound)
            // The refused change left the password as it was.
            let again = try await TestAgent.connect(port: server.port)
            try await again.login(userId: "alice", password: "correct horse")
        }
    }

    @Test func issuedTokenLogsTheAgentInAndExpiredOnesAreRefused() async throws {
        try await TestServer.run { server in
            try await server.createAgent(#"{"id":"alice"}"#)
            let before = Int64(Date().timeIntervalSince1970 * 1000)
            let issued = try await server.api(.post, "/api/v1/agents/alice/tokens", #"{"lifetimeSeconds":600}"#)
            #expect(issued.status == .created)
            #expect(issued.json["userId"].string == "alice")
            let expiresAt = Int64(issued.json["expiresAt"].int ?? 0)
            #expect(expiresAt >= before + 599_000 && expiresAt <= before + 602_000)
            let token = try #require(issued.json["token"].string)
            let agent = try await TestAgent.connect(port: server.port)
            try await agent.login(token: token)

            let defaulted = try await server.api(.post, "/api/v1/agents/alice/tokens")
            #expect(defaulted.status == .created && defaulted.json["token"].string != nil)
            for lifetime in [30, 86_401] {
                let refused = try await server.api(.post, "/api/v1/agents/alice/tokens", #"{"lifetimeSeconds":\#(lifetime)}"#)
                #expect(refused.status == .badRequest && refused.json.errorMessage.contains("lifetimeSeconds"))
            }
            #expect(try await server.api(.post, "/api/v1/agents/nobody/tokens").status == .notFound)

            // The API will not issue a token shorter than a minute; sign one in the past instead.
            let (expired, _) = try await server.components.authenticator.issueToken(
                for: AgentID("alice"), lifetime: 60, now: Date().addingTimeInterval(-120))
            let late = try await TestAgent.connect(port: server.port)
            await #expect(throws: TestFailure.self) { try await late.login(token: expired) }
        }
    }

    @Test func statusSetByAdminReachesTheAgent() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let offline = try await server.api(.put, "/api/v1/agents/alice/status", #"{"status":"rest"}"#)
            #expect(offline.status == .conflict && offline.json.errorCode == "agentOffline")

            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            let changed = try await server.api(.put, "/api/v1/agents/alice/status", #"{"status":"rest","restReason":"lunch"}"#)
            #expect(changed.status == .ok)
            #expect(changed.json["status"].string == "rest" && changed.json["restReason"].string == "lunch")
            let event = try await alice.event("statusChanged")
            #expect(event["data"]?["status"]?.string == "rest")
            #expect(event["data"]?["restReason"]?.string == "lunch")
            #expect(event["data"]?["cause"]?.string == "admin")

            let bad = try await server.api(.put, "/api/v1/agents/alice/status", #"{"status":"sleeping"}"#)
            #expect(bad.status == .badRequest && bad.json.errorCode == "invalidStatus")
            #expect(try await server.api(.put, "/api/v1/agents/alice/status", #"{"status":"busy"}"#).status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/agents/alice").json["status"].string == "rest")

            let history = try await server.api(.get, "/api/v1/agents/alice/status-history")
            #expect(history.status == .ok)
            #expect(history.json["items"].array.map { $0["status"].string } == ["rest", "free"])
            #expect(history.json["items"][0]["cause"].string == "admin")
            #expect(history.json["items"][1]["cause"].string == "agent")
            #expect(history.json["total"].int == 2 && history.json["hasMore"].bool == false)
            let page = try await server.api(.get, "/api/v1/agents/alice/status-history?limit=1")
            #expect(page.json["items"].array.count == 1 && page.json["hasMore"].bool == true && page.json["total"].isNull)
            #expect(try await server.api(.get, "/api/v1/agents/alice/status-history?limit=400&offset=200").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/agents/nobody/status-history").status == .notFound)
            alice.socket.close()
        }
    }
}
