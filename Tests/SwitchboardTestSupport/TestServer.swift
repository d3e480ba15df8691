import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore

/// A real server on a free loopback port with a fresh SQLite store in a temporary directory,
/// shared by the server and SDK tests.
public struct TestServer: Sendable {
    public static let adminKey = "test-admin-key-0123456789"

    public let client: any TestClientProtocol
    public let port: Int
    public let components: ServerComponents

    /// The URL an SDK is given.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Runs `body` against a live server, then stops it and deletes its data directory unless
    /// `dataDirectory` was given (restart tests reuse one). `verifyPasswordHash` replaces bcrypt's
    /// check (to count or slow it). `leadership` makes it a lease holder's node, told of a loss
    /// through it.
    public static func run(
        dataDirectory: String? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        verifyPasswordHash: PasswordHashVerifier? = nil,
        leadership: LeadershipSignal? = nil,
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-test-\(UUID().uuidString)").path
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.createDemoTenant = false
        configuration.adminAPIKey = adminKey
        // Many servers share this process's task pool while tests run in parallel: its lateness
        // is the tests', not one server's overload. OverloadTests turn shedding on.
        configuration.overloadLagLimitMilliseconds = 0
        // Hummingbird's live test client opens one connection when the test starts and never
        // reconnects (browsers and HTTP client libraries do): a test whose first HTTP request
        // comes more than the request-head timeout after it started, or that pauses longer than
        // the idle timeout, would find it closed. IdleConnectionTests set their own.
        configuration.requestHeadTimeoutSeconds = 600
        configuration.httpIdleTimeoutSeconds = 3600
        configure(&configuration)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteRoutingStore(path: configuration.databasePath)
        var logger = Logger(label: "switchboard-test")
        logger.logLevel = .warning
        let components = try await ServerComponents.make(
            configuration: configuration, store: store, logger: logger, verifyPasswordHash: verifyPasswordHash,
            leadership: leadership)
        let app = try SwitchboardApplication.make(server: components)
        try await app.test(.live) { client in
            try await body(TestServer(client: client, port: client.port!, components: components))
        }
    }

    /// Applies routing commands directly (test set-up), failing on refusal.
    public func given(_ commands: RoutingCommand...) async throws {
        for command in commands { try await components.routing.execute(command) }
    }

    /// Creates a skill group and agents in it, each with password "pw-<id>".
    public func givenGroup(_ group: SkillGroup, agents: [String]) async throws {
        try await given(.upsertSkillGroup(group))
        for agent in agents {
            var profile = await components.routing.read { $0.agents[AgentID(agent)]?.profile } ?? AgentProfile(id: AgentID(agent), name: agent.capitalized)
            profile.memberships[group.id] = Membership()
            try await given(.upsertAgent(profile))
            try await components.authenticator.setPassword("pw-\(agent)", for: AgentID(agent))
        }
    }

    /// An admin API call with the test API key; returns status and parsed JSON body.
    public func admin(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, apiKey: String? = TestServer.adminKey) async throws -> (status: HTTPResponse.Status, body: Any?) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let apiKey { headers[.authorization] = "Bearer \(apiKey)" }
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let body = response.body.readableBytes > 0 ? try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed]) : nil
            return (response.status, body)
        }
    }

    /// A customer chat connection that has started a session in `group`.
    public func customer(group: String, nickname: String = "Ann", extra: String = "") async throws -> TestCustomer {
        let customer = try await TestCustomer.connect(port: port)
        try await customer.start(group: group, nickname: nickname, extra: extra)
        return customer
    }
}
