import Foundation
import SwitchboardTestSupport
import SwitchboardCore
import Testing
import TCCC

/// Logging in, the `ready` event, the connection state, and closing.
@Suite("Connecting the SDK", .serialized)
struct ConnectionTests {
    @Test func passwordLoginFiresReadyAndReportsTheAgent() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.sdk("alice")
            try await alice.events.next(.ready)
            #expect(alice.tccc.connectionState == .ready)
            #expect(alice.tccc.userId == "alice")
            #expect(alice.tccc.name == "Alice")
            #expect(alice.Agent.getStatus() == .offline)
            #expect(alice.tccc.sessions.isEmpty)
            await alice.tccc.close()
        }
    }

    @Test func tokenLoginWithTheAsyncInitialiser() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let token = try await server.issueToken(for: "alice")
            let tccc = try await TCCC(server: server.url, token: token, configuration: .test)
            #expect(tccc.connectionState == .ready)
            #expect(tccc.userId == "alice")
            // An SDK login (a token) puts the agent online, as TCCC's does.
            let status = try await tccc.Agent.fetchStatus().get()
            #expect(status.status == .free)
            await tccc.close()

            let byPassword = try await TCCC(server: server.url, userId: "alice", password: "pw-alice", configuration: .test)
            #expect(byPassword.connectionState == .ready)
            await byPassword.close()
        }
    }

    @Test func wrongPasswordThrowsNotAuthenticatedAndDoesNotRetry() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let error = await #expect(throws: TCCCError.self) {
                _ = try await TCCC(server: server.url, userId: "alice", password: "wrong", configuration: .test)
            }
            #expect(error?.code == .notAuthenticated)
            #expect(error?.message.contains("wrong user id or password") == true)

            let tccc = try TCCC(server: server.url, credentials: .password(userId: "nobody", password: "x"), configuration: .test)
            await #expect(throws: TCCCError.self) { try await tccc.connect() }
            guard case .failed(let reason) = tccc.connectionState else {
                Issue.record("expected failed, got \(tccc.connectionState)")
                return
            }
            #expect(reason.code == .notAuthenticated)
            // A call after the failure answers at once with the reason, without throwing.
            let response = await tccc.Agent.online()
            #expect(response.status == .error)
            #expect(response.error?.code == .notAuthenticated)
        }
    }

    @Test func unreachableServerAndBadURLsFailClearly() async throws {
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let unreachable = await #expect(throws: TCCCError.self) {
            _ = try await TCCC(server: URL(string: "http://127.0.0.1:9")!, token: "t", configuration: .test)
        }
        #expect(unreachable?.code == .connectionFailed)

        let noScheme = #expect(throws: TCCCError.self) {
            _ = try TCCC(server: URL(string: "ftp://example.com")!, credentials: .token("t"))
        }
        #expect(noScheme?.code == .invalidServerURL)

        let idle = try TCCC(server: URL(string: "https://cc.example.com/base/")!, credentials: .token("t"))
        #expect(idle.connectionState == .idle)
        let response = await idle.Chat.accept(sessionId: "s-1")
        #expect(response.error?.code == .closed)
        #expect(response.errorMsg?.contains("connect()") == true)
    }

    @Test func connectionStatesAreObservableAndCloseEndsEverything() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let tccc = try TCCC(server: server.url, credentials: .password(userId: "alice", password: "pw-alice"), configuration: .test)
            let states = tccc.connectionStates()
            let events = tccc.eventStream()
            try await tccc.connect()
            await tccc.close()
            #expect(tccc.connectionState == .closed)

            var seen: [ConnectionState] = []
            for await state in states { seen.append(state) }
            #expect(seen == [.idle, .connecting, .ready, .closed])

            var names: [AgentEvent.Name] = []
            for await event in events { names.append(event.name) }
            #expect(names == [.ready])

            let after = await tccc.Agent.online()
            #expect(after.error?.code == .closed)
            await #expect(throws: TCCCError.self) { try await tccc.connect() }
        }
    }
}
