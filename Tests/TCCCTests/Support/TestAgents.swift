import Foundation
import TCCC
import SwitchboardTestSupport

extension TCCC.Configuration {
    /// Fast reconnects and a quiet logger, for tests.
    static var test: TCCC.Configuration {
        var configuration = TCCC.Configuration()
        configuration.initialReconnectDelay = .milliseconds(50)
        configuration.maximumReconnectDelay = .milliseconds(500)
        configuration.requestTimeout = .seconds(5)
        configuration.logger.logLevel = .critical
        return configuration
    }
}

/// An SDK instance for a test and the recorder of its events.
struct SDKAgent: Sendable {
    let tccc: TCCC
    let events: EventRecorder

    var Chat: TCCC.ChatMethods { tccc.Chat }
    var Call: TCCC.CallMethods { tccc.Call }
    var Video: TCCC.VideoMethods { tccc.Video }
    var Agent: TCCC.AgentMethods { tccc.Agent }
}

extension TestServer {
    /// An SDK logged in with the agent's password ("pw-<id>"), its events recorded from before `ready`.
    func sdk(_ userId: String, configuration: TCCC.Configuration = .test) async throws -> SDKAgent {
        let tccc = try TCCC(server: url, credentials: .password(userId: userId, password: "pw-\(userId)"), configuration: configuration)
        let recorder = EventRecorder(tccc)
        try await tccc.connect()
        return SDKAgent(tccc: tccc, events: recorder)
    }

    /// Like `sdk`, then `Agent.online()` with its `statusChanged` to free taken.
    func onlineSDK(_ userId: String, configuration: TCCC.Configuration = .test) async throws -> SDKAgent {
        let agent = try await sdk(userId, configuration: configuration)
        try await agent.Agent.online().get()
        try await agent.events.next(.statusChanged) { $0.statusChange?.status == .free }
        return agent
    }

    /// An SDK login token from the admin API.
    func issueToken(for userId: String, lifetimeSeconds: Int = 600) async throws -> String {
        let answer = try await api(.post, "/api/v1/agents/\(userId)/tokens", #"{"lifetimeSeconds":\#(lifetimeSeconds)}"#)
        guard answer.status == .created, let token = answer.json["token"] as? String else {
            throw TestFailure("issuing a token: \(answer.status) \(answer.json)")
        }
        return token
    }
}
