import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchboardProtocol
import SwitchboardTestSupport

/// A parsed JSON answer, read by key and index without casts at every step.
struct JSON: CustomStringConvertible, @unchecked Sendable {
    let value: Any?

    init(_ value: Any?) { self.value = value }

    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }

    var string: String? { value as? String }
    /// JSON true and false come back as a boolean NSNumber subclass; tell them from 0 and 1 by type.
    private var isBoolean: Bool { value.map { String(describing: type(of: $0)).contains("Boolean") } ?? false }
    var int: Int? {
        guard let number = value as? NSNumber, !isBoolean, Double(number.intValue) == number.doubleValue else { return nil }
        return number.intValue
    }
    var bool: Bool? { isBoolean ? (value as? NSNumber)?.boolValue ?? (value as? Bool) : nil }
    var array: [JSON] { (value as? [Any])?.map(JSON.init) ?? [] }
    var keys: Set<String> { Set((value as? [String: Any])?.keys.map { $0 } ?? []) }
    var isNull: Bool { value is NSNull }
    var exists: Bool { value != nil }
    /// The `error.code` of an error answer.
    var errorCode: String? { self["error"]["code"].string }
    var errorMessage: String { self["error"]["message"].string ?? "" }

    var description: String {
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "\(value ?? "nil")" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// An HTTP answer: status, headers and the body parsed as JSON.
struct Answer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: JSON
}

extension TestServer {
    /// Any request with any headers; the admin key only if given in `headers`.
    func http(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: String? = nil) async throws -> Answer {
        var headers = headers
        if body != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let parsed = response.body.readableBytes > 0
                ? try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed]) : nil
            return Answer(status: response.status, headers: response.headers, json: JSON(parsed))
        }
    }

    /// An admin API call with the test key.
    func api(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> Answer {
        try await http(method, path, headers: [.authorization: "Bearer \(TestServer.adminKey)"], body: body)
    }

    /// A chat REST call with a session secret.
    func chat(_ method: HTTPRequest.Method, _ path: String, secret: String?, _ body: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let secret { headers[HTTPField.Name("X-Session-Secret")!] = secret }
        return try await http(method, "/api/v1/chat" + path, headers: headers, body: body)
    }

    /// Creates a skill group through the API, failing unless it answers 201.
    @discardableResult
    func createGroup(_ body: String) async throws -> JSON {
        let answer = try await api(.post, "/api/v1/skill-groups", body)
        guard answer.status == .created else { throw TestFailure("creating a group: \(answer.status) \(answer.json)") }
        return answer.json
    }

    /// Creates an agent through the API, failing unless it answers 201.
    @discardableResult
    func createAgent(_ body: String) async throws -> JSON {
        let answer = try await api(.post, "/api/v1/agents", body)
        guard answer.status == .created else { throw TestFailure("creating an agent: \(answer.status) \(answer.json)") }
        return answer.json
    }

    /// An agent logged in with `password`, online, with its `statusChanged` to free consumed.
    func onlineAgent(_ id: String, password: String) async throws -> TestAgent {
        let agent = try await TestAgent.connect(port: port)
        try await agent.login(userId: id, password: password)
        try await agent.call("Agent.online")
        _ = try await agent.event("statusChanged")
        return agent
    }

    /// Starts a chat over REST; returns its id and secret.
    func startChat(group: String, nickname: String = "Ann") async throws -> (id: String, secret: String) {
        let answer = try await chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"\#(group)","nickname":"\#(nickname)"}"#)
        guard answer.status == .created, let id = answer.json["sessionId"].string, let secret = answer.json["secret"].string else {
            throw TestFailure("starting a chat: \(answer.status) \(answer.json)")
        }
        return (id, secret)
    }
}

extension HTTPField.Name {
    static var apiKey: Self { HTTPField.Name("X-API-Key")! }
}

/// Waits until `condition` holds, checking it again every 20 ms (as `TestSocket.next` checks its
/// inbox), and fails naming `what` after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now > deadline { throw TestFailure("\(what) did not happen within \(timeout)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
