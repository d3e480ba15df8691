import Foundation
import SwitchboardProtocol
import Synchronization
import SwitchboardTestSupport

/// An agent SDK connection speaking the wire protocol by hand, as a workbench would.
final class TestAgent: Sendable {
    let socket: TestSocket
    private let nextId = Mutex(0)

    private init(socket: TestSocket) { self.socket = socket }

    static func connect(port: Int, path: String = "/ws/agent") async throws -> TestAgent {
        TestAgent(socket: try await TestSocket.open(port: port, path: path))
    }

    /// Sends hello and returns the welcome, after which `ready` must follow.
    @discardableResult
    func login(userId: String? = nil, password: String? = nil, token: String? = nil, resumeFrom: Int? = nil) async throws -> JSONValue {
        var hello: [String: JSONValue] = ["v": 1, "type": "hello"]
        if let userId { hello["userId"] = .string(userId) }
        if let password { hello["password"] = .string(password) }
        if let token { hello["token"] = .string(token) }
        if let resumeFrom { hello["resumeFrom"] = .integer(Int64(resumeFrom)) }
        socket.send(Self.text(.object(hello)))
        let welcome = try await socket.next("welcome or error") { $0["type"]?.string == "welcome" || $0["type"]?.string == "error" }
        if welcome["type"]?.string == "error" { throw TestFailure("login refused: \(welcome)") }
        _ = try await socket.next("ready") { $0["name"]?.string == "ready" }
        return welcome
    }

    /// Sends a request and waits for its response.
    @discardableResult
    func request(_ method: String, _ params: [String: JSONValue]? = nil) async throws -> JSONValue {
        let id = nextId.withLock { $0 += 1; return "r-\($0)" }
        var frame: [String: JSONValue] = ["v": 1, "type": "request", "id": .string(id), "method": .string(method)]
        if let params { frame["params"] = .object(params) }
        socket.send(Self.text(.object(frame)))
        return try await socket.next("response to \(method)") { $0["type"]?.string == "response" && $0["id"]?.string == id }
    }

    /// Like `request`, failing unless the response is a success; returns its data.
    @discardableResult
    func call(_ method: String, _ params: [String: JSONValue]? = nil) async throws -> JSONValue? {
        let response = try await request(method, params)
        guard response["status"]?.string == "success" else { throw TestFailure("\(method) failed: \(response)") }
        return response["data"]
    }

    /// Waits for the next event named `name` (optionally for one session) and returns the frame.
    func event(
        _ name: String, session: String? = nil, timeout: Duration = .seconds(10),
        where predicate: @escaping @Sendable (JSONValue) -> Bool = { _ in true }
    ) async throws -> JSONValue {
        try await socket.next("event \(name)\(session.map { " for \($0)" } ?? "")", timeout: timeout) { frame in
            frame["type"]?.string == "event" && frame["name"]?.string == name
                && (session == nil || frame["data"]?["sessionId"]?.string == session)
                && predicate(frame["data"] ?? .null)
        }
    }

    static func text(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}

extension TestAgent {
    /// Connects, logs in with a password and goes online.
    static func online(_ userId: String, password: String, port: Int) async throws -> TestAgent {
        let agent = try await connect(port: port)
        try await agent.login(userId: userId, password: password)
        try await agent.call("Agent.online")
        return agent
    }

    /// A new chat from `nickname` in `group`, offered to this agent and accepted.
    func acceptChat(port: Int, group: String, nickname: String) async throws -> TestCustomer {
        let customer = try await TestCustomer.connect(port: port)
        try await customer.start(group: group, nickname: nickname)
        _ = try await event("callIn", session: customer.sessionId)
        try await call("Chat.accept", ["sessionId": .string(customer.sessionId)])
        return customer
    }
}
