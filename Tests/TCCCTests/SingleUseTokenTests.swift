import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport
@_spi(Testing) import TCCC

/// TCCC's `OnlyOnce` SDK tokens (`CreateSDKLoginToken`): the token logs in once, and the SDK
/// reconnects after a network drop with the session token the server sends after that login,
/// never with the spent token.
@Suite("Single-use login tokens", .serialized)
struct SingleUseTokenTests {
    @Test func aSingleUseTokenLogsInOnceAndTheSDKReconnectsWithItsSessionToken() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (token, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"), lifetime: 600, singleUse: true)
            var configuration = TCCC.Configuration.test
            configuration.initialReconnectDelay = .milliseconds(100)
            configuration.maximumReconnectDelay = .milliseconds(100)
            let tccc = try TCCC(server: server.url, credentials: .token(token), configuration: configuration)
            let events = EventRecorder(tccc)
            try await tccc.connect()
            try await tccc.Agent.online().get()

            // The server follows the login with a session token; the SDK keeps it for reconnects.
            let deadline = ContinuousClock.now + .seconds(5)
            while case .token(let next, _) = await tccc.credentialsForTesting(), next == token {
                if ContinuousClock.now > deadline { throw TestFailure("no session token replaced the single-use one") }
                try await Task.sleep(for: .milliseconds(20))
            }
            guard case .token = await tccc.credentialsForTesting() else { throw TestFailure("the SDK does not log in with a token") }

            // The spent token is refused to anyone else, as tokenExpired saying it was single-use.
            let second = try TCCC(server: server.url, credentials: .token(token), configuration: .test)
            let refused = await #expect(throws: TCCCError.self) { try await second.connect() }
            // (The SDK reports tokenExpired in its own words; the server's message, which says the
            // token was single-use, is checked by Tests/tccc-api.)
            #expect(refused?.code == .tokenExpired)

            // A network drop: the SDK reconnects (with the session token) and stays logged in.
            await tccc.dropConnectionForTesting()
            try await waitFor("reconnecting") { if case .reconnecting = tccc.connectionState { true } else { false } }
            try await waitFor("ready again") { tccc.connectionState == .ready }
            #expect(events.all(.ready).count == 2)
            #expect(events.all(.tokenExpired).isEmpty)
            #expect(tccc.Agent.getStatus() == .free)
            await tccc.close()
            await second.close()
        }
    }
}
