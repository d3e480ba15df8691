import Foundation
import SwitchboardTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore

/// A real server on a free loopback port with a fresh SQLite store in a temporary directory
/// (adapted from SwitchboardServerTests, which a test target cannot import).
struct TestServer: Sendable {
    static let adminKey = "tccc-test-admin-key-0123456789"

    let client: any TestClientProtocol
    let port: Int
    let components: ServerComponents

    /// The URL an SDK is given.
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Runs `body` against a live server, then stops it and deletes its data directory.
    static func run(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tccc-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.createDemoTenant = false
        configuration.adminAPIKey = adminKey
        configure(&configuration)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteRoutingStore(path: configuration.databasePath)
        var logger = Logger(label: "tccc-test-server")
        logger.logLevel = .warning
        let components = try await ServerComponents.make(configuration: configuration, store: store, logger: logger)
        let app = SwitchboardApplication.make(server: components)
        try await app.test(.live) { client in
            try await body(TestServer(client: client, port: client.port!, components: components))
        }
    }

    /// Applies routing commands directly (test set-up), failing on refusal.
    func given(_ commands: RoutingCommand...) async throws {
        for command in commands { try await components.routing.execute(command) }
    }

    /// Creates a skill group and agents in it, each with password "pw-<id>".
    func givenGroup(_ group: SkillGroup, agents: [String]) async throws {
        try await given(.upsertSkillGroup(group))
        for agent in agents {
            var profile = await components.routing.read { $0.agents[AgentID(agent)]?.profile }
                ?? AgentProfile(id: AgentID(agent), name: agent.capitalized)
            profile.memberships[group.id] = Membership()
            try await given(.upsertAgent(profile))
            try await components.authenticator.setPassword("pw-\(agent)", for: AgentID(agent))
        }
    }

    /// An admin API call with the test key; the status and the parsed JSON body.
    func api(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(TestServer.adminKey)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let parsed = response.body.readableBytes > 0
                ? (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] : nil
            return (response.status, parsed ?? [:])
        }
    }

    /// A customer chat connection that has started a session in `group`.
    func customer(group: String, nickname: String = "Ann", extra: String = "") async throws -> TestCustomer {
        let customer = try await TestCustomer.connect(port: port)
        try await customer.start(group: group, nickname: nickname, extra: extra)
        return customer
    }
}
