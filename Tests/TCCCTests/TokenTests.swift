import Foundation
import SwitchboardCore
import Testing
import TCCC
import SwitchboardTestSupport

/// SDK login tokens: `tokenExpired`, no reconnect loop with a dead token, `restart(token:)`.
@Suite("Login tokens", .serialized)
struct TokenTests {
    @Test func expiryWhileConnectedFiresTokenExpiredAndStops() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            // Signed 57 s in the past with a 60 s lifetime: it runs out three seconds from now.
            let (token, _) = try await server.components.authenticator.issueToken(
                for: AgentID("alice"), lifetime: 60, now: Date().addingTimeInterval(-57))
            let tccc = try TCCC(server: server.url, credentials: .token(token), configuration: .test)
            let events = EventRecorder(tccc)
            let expiredByCallback = TestBox(false)
            tccc.on(.tokenExpired) { _ in expiredByCallback.set(true) }
            try await tccc.connect()
            try await tccc.Agent.online().get()

            try await events.next(.tokenExpired, timeout: .seconds(10))
            #expect(expiredByCallback.value)
            try await waitFor { if case .failed = tccc.connectionState { true } else { false } }
            guard case .failed(let reason) = tccc.connectionState else {
                Issue.record("the SDK should have failed, not \(tccc.connectionState)")
                return
            }
            #expect(reason.code == .tokenExpired)

            // No reconnect loop: the state stays failed and calls fail at once with the reason.
            try await Task.sleep(for: .milliseconds(600))
            #expect(tccc.connectionState == .failed(reason))
            #expect(events.all(.ready).count == 1)
            let call = await tccc.Chat.accept(sessionId: "s-1")
            #expect(call.error?.code == .tokenExpired)

            // A new token restarts the SDK, and the agent's state is as it was.
            try await tccc.restart(token: try await server.issueToken(for: "alice"))
            #expect(tccc.connectionState == .ready)
            #expect(tccc.Agent.getStatus() == .free)
            try await tccc.Agent.setStatus(.notReady).get()
            await tccc.close()
        }
    }

    @Test func anAlreadyExpiredTokenIsRefusedAsTokenExpired() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (token, _) = try await server.components.authenticator.issueToken(
                for: AgentID("alice"), lifetime: 60, now: Date().addingTimeInterval(-3600))
            let tccc = try TCCC(server: server.url, credentials: .token(token), configuration: .test)
            let events = EventRecorder(tccc)
            let error = await #expect(throws: TCCCError.self) { try await tccc.connect() }
            #expect(error?.code == .tokenExpired)
            #expect(events.all(.tokenExpired).count == 1)
            #expect(tccc.connectionState == .failed(error!))

            let forged = await #expect(throws: TCCCError.self) {
                _ = try await TCCC(server: server.url, token: "not-a-token", configuration: .test)
            }
            #expect(forged?.code == .notAuthenticated)
        }
    }
}

/// Polls `condition` every 10 ms for up to five seconds.
func waitFor(_ what: String = "condition", timeout: Duration = .seconds(5), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("\(what) not met within \(timeout)")
}
