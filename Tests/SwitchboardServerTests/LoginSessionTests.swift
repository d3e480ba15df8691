import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Password logins carry on with session tokens: the SDK forgets the password, a connected agent
/// stays logged in, a page away for longer than the lifetime signs in again (docs/security.md).
@Suite("Password login sessions")
struct LoginSessionTests {
    @Test func aPasswordLoginGetsATokenThatLogsInAgainWithoutThePassword() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let agent = try await TestAgent.connect(port: server.port)
            try await agent.login(userId: "alice", password: "pw-alice")
            let login = try await agent.socket.next("login") { $0["type"]?.string == "login" }
            let token = try #require(login["token"]?.string)
            let expiresAt = try #require(login["expiresAt"]?.int)
            let lifetime = server.components.configuration.logins.sessionLifetimeSeconds * 1000
            let now = Int(Date().timeIntervalSince1970 * 1000)
            #expect(abs(expiresAt - (now + lifetime)) < 10_000, "expires a session lifetime from now")

            // A reload: the token alone logs in, and the connection is renewed in turn.
            let reloaded = try await TestAgent.connect(port: server.port)
            let welcome = try await reloaded.login(token: token)
            #expect(welcome["userId"]?.string == "alice")
            #expect(try await reloaded.socket.next("login") { $0["type"]?.string == "login" }["token"]?.string != nil)
        }
    }

    @Test func aTokenLoginFromTheAdminAPIGetsNoSessionToken() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (token, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let agent = try await TestAgent.connect(port: server.port)
            try await agent.login(token: token)
            // A request after ready: anything the server sends before its answer is in order.
            try await agent.call("Agent.getStatus")
            #expect(await agent.socket.received(where: { $0["type"]?.string == "login" }) == nil)
        }
    }

    @Test func aConnectedAgentIsRenewedPastTheLifetimeAndAnAbsentOneExpires() async throws {
        // Two seconds, set past the flag's 60 s minimum so the test does not wait a minute.
        try await TestServer.run(configure: { $0.logins.sessionLifetimeSeconds = 2 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let agent = try await TestAgent.connect(port: server.port)
            try await agent.login(userId: "alice", password: "pw-alice")
            let first = try await agent.socket.next("login") { $0["type"]?.string == "login" }["token"]?.string
            // Renewed every half lifetime: after three seconds the first token has expired but
            // the connection is still logged in, holding a newer token.
            var newest = first
            for _ in 0..<3 {
                newest = try await agent.socket.next("renewed login") { $0["type"]?.string == "login" }["token"]?.string
            }
            #expect(newest != first)
            try await agent.call("Agent.getStatus")

            let expired = try await TestAgent.connect(port: server.port)
            expired.socket.send(#"{"v":1,"type":"hello","token":"\#(first ?? "")"}"#)
            _ = try await expired.socket.next("tokenExpired") { $0["name"]?.string == "tokenExpired" }
            let refusal = try await expired.socket.next("refusal") { $0["type"]?.string == "error" }
            #expect(refusal["message"]?.string?.contains("expired") == true)

            // The connection still renews: its newest token (two seconds to live, so taken just
            // before use on a loaded machine: renewals that arrived meanwhile are passed over)
            // logs in.
            while await agent.socket.received(where: { $0["type"]?.string == "login" }) != nil {}
            let latest = try await agent.socket.next("renewed login") { $0["type"]?.string == "login" }["token"]?.string
            let current = try await TestAgent.connect(port: server.port)
            try await current.login(token: try #require(latest))
        }
    }

    @Test func aNewPasswordEndsTheSessionTokens() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let agent = try await TestAgent.connect(port: server.port)
            try await agent.login(userId: "alice", password: "pw-alice")
            let token = try #require(try await agent.socket.next("login") { $0["type"]?.string == "login" }["token"]?.string)
            try await Task.sleep(for: .milliseconds(5))
            #expect(try await server.admin(.put, "/api/v1/agents/alice/password", json: #"{"password":"brand-new-secret"}"#).status == .noContent)
            try await agent.socket.waitClosed()
            let again = try await TestAgent.connect(port: server.port)
            again.socket.send(#"{"v":1,"type":"hello","token":"\#(token)"}"#)
            #expect(try await again.socket.next("refusal") { $0["type"]?.string == "error" }["message"]?.string?.contains("revoked") == true)
        }
    }

    /// TCCC's SDK login puts the agent online (integrations look for `free` in `ready`); a
    /// password login, a renewed session's re-login and an agent in another status keep theirs,
    /// and a tenant may keep agents offline until `Agent.online()`.
    @Test func anSDKLoginPutsAnOfflineAgentOnlineUnlessTheTenantSaysNot() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice", "bob"])
            let (token, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let sdk = try await TestAgent.connect(port: server.port)
            #expect(try await sdk.login(token: token)["status"]?.string == "free", "online before the welcome")
            // A session token (a reloaded page keeps what the agent chose): offline stays offline.
            try await sdk.call("Agent.offline")
            let signedIn = try await TestAgent.connect(port: server.port)
            try await signedIn.login(userId: "alice", password: "pw-alice")
            let session = try #require(try await signedIn.socket.next("login") { $0["type"]?.string == "login" }["token"]?.string)
            let reloaded = try await TestAgent.connect(port: server.port)
            #expect(try await reloaded.login(token: session)["status"]?.string == "offline")
            // An agent on a break logging in from another tab stays on its break.
            try await reloaded.call("Agent.online")
            try await reloaded.call("Agent.setStatus", ["status": "rest", "restReason": "lunch"])
            let second = try await TestAgent.connect(port: server.port)
            #expect(try await second.login(token: token)["status"]?.string == "rest")

            // A password login (Switchboard's own sign-in page) leaves the choice to the agent.
            let password = try await TestAgent.connect(port: server.port)
            #expect(try await password.login(userId: "bob", password: "pw-bob")["status"]?.string == "offline")

            // The tenant's setting, through the API: SDK logins stay offline too.
            let settings = try await server.admin(.put, "/api/v1/configuration", json: #"{"onlineAtLogin":false}"#)
            #expect(settings.status == .ok && (settings.body as? [String: Any])?["onlineAtLogin"] as? Bool == false)
            try await password.call("Agent.offline")
            let (bobToken, _) = try await server.components.authenticator.issueToken(for: AgentID("bob"))
            let kept = try await TestAgent.connect(port: server.port)
            #expect(try await kept.login(token: bobToken)["status"]?.string == "offline")
            let wrong = try await server.admin(.put, "/api/v1/configuration", json: #"{"onlineAtLogin":"yes"}"#)
            #expect(wrong.status == .badRequest)
        }
    }
}
