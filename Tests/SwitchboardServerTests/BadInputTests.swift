import Foundation
import SwitchboardCore
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// Every bad frame gets a clear error, changes nothing, and leaves the connection usable.
@Suite("Bad input on the sockets", .serialized)
struct BadInputTests {
    @Test func malformedFramesGetErrorsAndTheConnectionStaysUsable() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.agent("alice")
            let cases: [(String, String, String)] = [
                ("not json", "malformedJSON", "not valid JSON"),
                ("[1,2]", "malformedJSON", "JSON object"),
                (#"{"v":2,"type":"request","id":"1","method":"ping"}"#, "unsupportedVersion", "version 2"),
                (#"{"v":1,"type":"helo"}"#, "unknownType", "did you mean 'hello'"),
            ]
            for (frame, code, phrase) in cases {
                alice.socket.send(frame)
                let error = try await alice.socket.next("error for \(frame)") { $0["type"]?.string == "error" }
                #expect(error["code"]?.string == code, "\(frame)")
                #expect(error["message"]?.string?.contains(phrase) == true, "\(frame): \(error)")
            }
            // Errors inside a request with a readable id come back as that request's response.
            let requests: [(String, String)] = [
                (#"{"v":1,"type":"request","id":"x1","method":"Chat.acept","params":{"sessionId":"s-1"}}"#, "did you mean 'Chat.accept'"),
                (#"{"v":1,"type":"request","id":"x2","method":"Chat.accept","params":{"sessionId":42}}"#, "params.sessionId"),
                (#"{"v":1,"type":"request","id":"x3","method":"Chat.accept","params":{}}"#, "params.sessionId"),
                (#"{"v":1,"type":"request","id":"x4","method":"Agent.setStatus","params":{"status":"busy"}}"#, "busy"),
                (#"{"v":1,"type":"request","id":"x5","method":"Chat.transfer","params":{"sessionId":"s-1"}}"#, "skillGroupId"),
                (#"{"v":1,"type":"request","id":"x6","method":"Chat.accept","params":{"sessionId":"s-999"}}"#, "Agent.online"),
            ]
            for (frame, phrase) in requests {
                alice.socket.send(frame)
                let id = try #require(try JSONDecoder().decode(JSONValue.self, from: Data(frame.utf8))["id"]?.string)
                let response = try await alice.socket.next("response \(id)") { $0["id"]?.string == id }
                #expect(response["status"]?.string == "error", "\(frame)")
                #expect(response["errorMsg"]?.string?.contains(phrase) == true, "\(frame): \(response)")
            }
            // A frame over the limit: refused, socket alive.
            let huge = #"{"v":1,"type":"request","id":"big","method":"ping","params":{"pad":""# + String(repeating: "x", count: 100_000) + #""}}"#
            alice.socket.send(huge)
            let tooLarge = try await alice.socket.next("payloadTooLarge") { $0["code"]?.string == "payloadTooLarge" || $0["id"]?.string == "big" }
            #expect(tooLarge["code"]?.string == "payloadTooLarge" || tooLarge["status"]?.string == "error")
            // A second hello is refused.
            alice.socket.send(#"{"v":1,"type":"hello","userId":"alice","password":"pw-alice"}"#)
            #expect(try await alice.socket.next("unexpectedFrame") { $0["type"]?.string == "error" }["code"]?.string == "unexpectedFrame")
            // Nothing changed, and the connection still works.
            #expect(try await alice.call("Agent.getStatus")?["status"]?.string == "offline")
            try await alice.call("ping")
        }
    }

    @Test func requestsBeforeHelloAndBadLoginsAreRefused() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let early = try await TestAgent.connect(port: server.port)
            early.socket.send(#"{"v":1,"type":"request","id":"1","method":"Agent.online"}"#)
            let response = try await early.socket.next("response") { $0["id"]?.string == "1" }
            #expect(response["errorMsg"]?.string == "send hello first")

            for hello in [
                #"{"v":1,"type":"hello","userId":"alice","password":"wrong"}"#,
                #"{"v":1,"type":"hello","userId":"mallory","password":"pw-alice"}"#,
                #"{"v":1,"type":"hello","token":"not.a.token"}"#,
                #"{"v":1,"type":"hello"}"#,
            ] {
                let agent = try await TestAgent.connect(port: server.port)
                agent.socket.send(hello)
                let error = try await agent.socket.next("notAuthenticated") { $0["type"]?.string == "error" }
                #expect(error["code"]?.string == "notAuthenticated", "\(hello)")
                try await agent.socket.waitClosed()
            }

            // An expired token says so.
            let (expired, _) = try await server.components.authenticator.issueToken(
                for: AgentID("alice"), lifetime: 60, now: Date().addingTimeInterval(-120))
            let late = try await TestAgent.connect(port: server.port)
            late.socket.send(#"{"v":1,"type":"hello","token":"\#(expired)"}"#)
            _ = try await late.socket.next("tokenExpired") { $0["name"]?.string == "tokenExpired" }
            let error = try await late.socket.next("expired") { $0["type"]?.string == "error" }
            #expect(error["message"]?.string?.contains("expired") == true)

            // A valid token logs in; the server still serves everyone.
            let (token, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let good = try await TestAgent.connect(port: server.port)
            let welcome = try await good.login(token: token)
            #expect(welcome["userId"]?.string == "alice")
        }
    }

    @Test func revokedTokensAreRefusedAndTheirConnectionsClosed() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (old, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let connected = try await TestAgent.connect(port: server.port)
            try await connected.login(token: old)
            try await Task.sleep(for: .milliseconds(5))

            let revoked = try await server.admin(.post, "/api/v1/agents/alice/tokens/revoke")
            #expect(revoked.status == .ok)
            #expect((revoked.body as? [String: Any])?["closedConnections"] as? Int == 1)
            try await connected.socket.waitClosed()

            let again = try await TestAgent.connect(port: server.port)
            again.socket.send(#"{"v":1,"type":"hello","token":"\#(old)"}"#)
            let refused = try await again.socket.next("refusal") { $0["type"]?.string == "error" }
            #expect(refused["message"]?.string?.contains("revoked") == true)

            // A token issued after the revocation works; so does the password.
            let (fresh, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let back = try await TestAgent.connect(port: server.port)
            try await back.login(token: fresh)
            _ = try await server.agent("alice")
            #expect(try await server.admin(.post, "/api/v1/agents/nobody/tokens/revoke").status == .notFound)
        }
    }

    @Test func aNewPasswordOrDeletingTheAgentEndsItsTokensAndConnections() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (old, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let connected = try await TestAgent.connect(port: server.port)
            try await connected.login(token: old)
            try await Task.sleep(for: .milliseconds(5))

            // A new password: the socket closes and the old token is refused.
            #expect(try await server.admin(.put, "/api/v1/agents/alice/password", json: #"{"password":"brand-new-secret"}"#).status == .noContent)
            try await connected.socket.waitClosed()
            let again = try await TestAgent.connect(port: server.port)
            again.socket.send(#"{"v":1,"type":"hello","token":"\#(old)"}"#)
            #expect(try await again.socket.next("refusal") { $0["type"]?.string == "error" }["message"]?.string?.contains("revoked") == true)
            let withPassword = try await TestAgent.connect(port: server.port)
            try await withPassword.login(userId: "alice", password: "brand-new-secret")

            // Deleting: refused while online (nothing changes), then the connection goes and a new
            // agent under the same id inherits neither the token nor the password.
            try await withPassword.call("Agent.online")
            let (later, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            #expect(try await server.admin(.delete, "/api/v1/agents/alice").status == .conflict)
            let stillValid = try await TestAgent.connect(port: server.port)
            try await stillValid.login(token: later)
            try await withPassword.call("Agent.offline")
            try await Task.sleep(for: .milliseconds(5))
            #expect(try await server.admin(.delete, "/api/v1/agents/alice").status == .noContent)
            try await withPassword.socket.waitClosed()
            try await stillValid.socket.waitClosed()
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let reborn = try await TestAgent.connect(port: server.port)
            reborn.socket.send(#"{"v":1,"type":"hello","token":"\#(later)"}"#)
            #expect(try await reborn.socket.next("refusal") { $0["type"]?.string == "error" }["message"]?.string?.contains("revoked") == true)
        }
    }

    @Test func customerBadInput() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: [])
            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"message","text":"hi"}"#)
            #expect(try await customer.next("error")["code"]?.string == "unexpectedFrame")
            customer.socket.send(#"{"v":1,"type":"start","skillGroupId":"nope","nickname":"Ann"}"#)
            let unknown = try await customer.next("error")
            #expect(unknown["message"]?.string?.contains("nope") == true)
            customer.socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":""}"#)
            #expect(try await customer.next("error")["message"]?.string?.contains("nickname") == true)
            customer.socket.send(#"{"v":1,"type":"resume","sessionId":"s-1","secret":"guess"}"#)
            #expect(try await customer.next("error")["code"]?.string == "sessionNotFound")
            // No session was created by any of that.
            #expect(await server.components.routing.read { $0.sessions.isEmpty })
            // The same connection can still start a chat.
            try await customer.start(group: "sales", nickname: "Ann")
            customer.say("")
            customer.socket.send(#"{"v":1,"type":"message","text":""}"#)
            #expect(try await customer.next("error")["message"]?.string?.contains("text") == true)
        }
    }
}
