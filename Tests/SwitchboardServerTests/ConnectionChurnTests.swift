import Foundation
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Thousands of agent and customer connections opened and dropped against the real executable,
/// many of them rudely (a reset in the middle of the upgrade, of the hello, of a frame): afterwards
/// the server holds no connection, no file descriptor and no per-address slot for any of them,
/// and routes as before.
@Suite("Connection churn", .serialized)
struct ConnectionChurnTests {
    /// How one connection behaves.
    enum Visit: CaseIterable {
        case tcpOnly, halfAnUpgrade, agentSilent, agentHalfAHello, agentResetAfterWelcome, agentPoliteClose
        case customerHalfAStart, customerResetAfterStart
    }

    static let connections = 2400
    static let concurrency = 24
    static let perAddressLimit = 64

    @Test func thousandsOfDroppedConnectionsLeaveNothingBehind() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-churn-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        // Critical only: HummingbirdWebSocket logs every upgrade cut short as an error, hundreds here.
        let process = try await ServerProcess.start(
            dataDirectory: dataDirectory, arguments: [
                "--max-connections-per-address", "\(Self.perAddressLimit)", "--log-level", "critical",
                // Hundreds of customer starts from one address: the start limit is CustomerLimitsTests'.
                "--customer-starts-per-address", "0"])
        defer { process.kill() }
        let port = process.port
        let admin = AdminClient(port: port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"churn","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
        var issued: [String] = []
        for index in 0..<8 {
            try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"churner\#(index)","memberships":[{"skillGroupId":"churn"}]}"#)
            let answer = try JSONDecoder().decode(JSONValue.self, from: try await admin.expect(201, .post, "/api/v1/agents/churner\(index)/tokens", "{}"))
            issued.append(try #require(answer["token"]?.string))
        }
        let tokens = issued

        // A first round settles what the server opens once (database readers and the like).
        try await Self.churn(port: port, tokens: tokens, count: 2 * Self.concurrency)
        try await Self.waitForNoConnections(admin)
        let baseline = try process.openFileDescriptors

        try await Self.churn(port: port, tokens: tokens, count: Self.connections)

        // Nothing is left: no hub connection, no file descriptor beyond a small margin.
        try await Self.waitForNoConnections(admin)
        let margin = 16
        let deadline = ContinuousClock.now + .seconds(30)
        var open = try process.openFileDescriptors
        while open > baseline + margin && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            open = try process.openFileDescriptors
        }
        #expect(open <= baseline + margin, "the server holds \(open) file descriptors after \(Self.connections) connections came and went; \(baseline) before")

        // No per-address slot leaked: the whole allowance can be taken at once.
        try await withThrowingTaskGroup(of: RawWebSocket.self) { group in
            for index in 0..<Self.perAddressLimit {
                group.addTask {
                    let socket = try await Self.loggedInAgent(port: port, token: tokens[index % tokens.count])
                    return socket
                }
            }
            var sockets: [RawWebSocket] = []
            for try await socket in group { sockets.append(socket) }
            #expect(sockets.count == Self.perAddressLimit)
            for socket in sockets { try? await socket.send(RawWebSocket.closeFrame); socket.close() }
        }
        try await Self.waitForNoConnections(admin)

        // And routing goes on.
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: port)
        let customer = try await alice.acceptChat(port: port, group: "sales", nickname: "After")
        try await customer.sayAndWait("still there?")
        _ = try await alice.event("message", session: customer.sessionId)
        #expect(try await process.terminate() == 0)
    }

    /// Opens and drops `count` connections, `concurrency` at a time, cycling through the visits.
    static func churn(port: Int, tokens: [String], count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                if index >= concurrency { _ = try await group.next() }
                group.addTask {
                    let visit = Visit.allCases[index % Visit.allCases.count]
                    try await Self.visit(visit, port: port, token: tokens[index % tokens.count], index: index)
                }
            }
            try await group.waitForAll()
        }
    }

    static func visit(_ visit: Visit, port: Int, token: String, index: Int) async throws {
        let socket = try await RawWebSocket.connect(port: port)
        let hello = Array(RawWebSocket.textFrame(#"{"v":1,"type":"hello","token":"\#(token)"}"#))
        let start = Array(RawWebSocket.textFrame(#"{"v":1,"type":"start","skillGroupId":"churn","nickname":"c\#(index)"}"#))
        switch visit {
        case .tcpOnly:
            socket.close()
        case .halfAnUpgrade:
            let request = RawWebSocket.upgradeRequest(path: "/ws/agent")
            try await socket.send(Array(request.prefix(request.count / 2)))
            socket.abort()
        case .agentSilent:
            try await socket.upgrade(path: "/ws/agent")
            socket.close()
        case .agentHalfAHello:
            try await socket.upgrade(path: "/ws/agent")
            try await socket.send(Array(hello.prefix(hello.count / 2)))
            socket.abort()
        case .agentResetAfterWelcome:
            try await socket.upgrade(path: "/ws/agent")
            try await socket.send(hello)
            _ = try await socket.next("welcome") { try Self.check($0, is: "welcome") }
            socket.abort()
        case .agentPoliteClose:
            try await socket.upgrade(path: "/ws/agent")
            try await socket.send(hello)
            _ = try await socket.next("ready") { try Self.check($0, is: "ready") }
            try await socket.send(RawWebSocket.closeFrame)
            _ = try? await socket.nextJSON(timeout: .seconds(5))
            socket.close()
        case .customerHalfAStart:
            try await socket.upgrade(path: "/ws/customer")
            try await socket.send(Array(start.prefix(start.count - 3)))
            socket.close()
        case .customerResetAfterStart:
            try await socket.upgrade(path: "/ws/customer")
            try await socket.send(start)
            _ = try await socket.next("started") { try Self.check($0, is: "started") }
            socket.abort()
        }
    }

    /// True for the frame awaited; throws on an error frame, so a refusal is not mistaken for
    /// a slow answer.
    static func check(_ frame: JSONValue, is awaited: String) throws -> Bool {
        if frame["type"]?.string == "error" { throw TestFailure("the server refused: \(frame)") }
        return frame["type"]?.string == awaited || frame["name"]?.string == awaited
    }

    /// An agent connection that has logged in and seen `ready`.
    static func loggedInAgent(port: Int, token: String) async throws -> RawWebSocket {
        let socket = try await RawWebSocket.connect(port: port)
        try await socket.upgrade(path: "/ws/agent")
        try await socket.sendText(#"{"v":1,"type":"hello","token":"\#(token)"}"#)
        _ = try await socket.next("ready") { try Self.check($0, is: "ready") }
        return socket
    }

    /// Waits until the metrics show no open agent or customer connection.
    static func waitForNoConnections(_ admin: AdminClient) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var text = ""
        while ContinuousClock.now < deadline {
            text = String(decoding: try await admin.expect(200, .get, "/metrics"), as: UTF8.self)
            if text.contains(#"switchboard_connections_open{kind="agent"} 0.0"#) && text.contains(#"switchboard_connections_open{kind="customer"} 0.0"#) {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let gauges = text.split(separator: "\n").filter { $0.hasPrefix("switchboard_connections_open") }
        throw TestFailure("connections still open after the clients left: \(gauges)")
    }
}
