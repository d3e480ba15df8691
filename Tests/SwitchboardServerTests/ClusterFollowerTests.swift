import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardPostgres
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Nodes that advertise their address follow the leader instead of standing by: they serve their
/// own clients from a replica fed by the leader's commits, forward their clients' commands and
/// messages to it, and take over in place, their sockets staying up. Real executables on a real
/// PostgreSQL server the tests start on 127.0.0.1.
@Suite("Followers that serve", .serialized)
struct ClusterFollowerTests {
    private struct Cluster {
        let location: PostgresLocation
        let url: String
        var directories: [String] = []

        init() async throws {
            location = try await PostgresServer.shared.newDatabase()
            url = "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
        }

        /// A node on a port of its own that advertises it, so the others can link to it.
        mutating func node() async throws -> ServerProcess {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-follower-\(UUID().uuidString)").path
            directories.append(directory)
            let port = PostgresServer.freePort()
            return try await ServerProcess.start(dataDirectory: directory, arguments: [
                "--database-url", url, "--leader-lease-ms", "1000", "--port", String(port),
                "--advertise-url", "http://127.0.0.1:\(port)",
            ])
        }

        func cleanUp() async {
            for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
            await PostgresServer.shared.dropDatabase(location)
        }
    }

    private func readiness(_ port: Int) async throws -> (Int, [String: Any]) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// Waits until the node on `port` is ready in `role`; returns how long that took.
    @discardableResult
    private func waitUntil(_ role: String, _ port: Int, within limit: Duration = .seconds(30)) async throws -> Duration {
        let start = ContinuousClock.now
        var last: [String: Any] = [:]
        while ContinuousClock.now - start < limit {
            if let (status, body) = try? await readiness(port) {
                last = body
                if status == 200, body["role"] as? String == role { return ContinuousClock.now - start }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("the node on port \(port) was not a ready \(role) within \(limit); last /readyz: \(last)")
    }

    @Test func aFollowerServesItsClientsAndKeepsThemConnectedWhenItTakesOver() async throws {
        var cluster = try await Cluster()
        let leader = try await cluster.node()
        defer { leader.kill() }
        try await waitUntil("leader", leader.port)
        let follower = try await cluster.node()
        defer { follower.kill() }
        try await waitUntil("follower", follower.port)
        #expect(follower.printed.all.contains("as a follower of the routing leader http://127.0.0.1:\(leader.port)"))

        // Configuration through the follower: forwarded to the leader, seen by both.
        let viaFollower = AdminClient(port: follower.port)
        try await viaFollower.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await viaFollower.expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
        try await AdminClient(port: leader.port).expect(200, .get, "/api/v1/agents/alice")
        // A refusal comes back from the leader as itself, and changes nothing.
        let duplicate = try await viaFollower.expect(409, .post, "/api/v1/skill-groups", #"{"id":"sales"}"#)
        #expect(String(decoding: duplicate, as: UTF8.self).contains("sales"))

        // The agent on the follower, the customer on the leader: offers, messages and the end
        // cross between them, in order.
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: follower.port)
        let customer = try await TestCustomer.connect(port: leader.port)
        try await customer.start(group: "sales", nickname: "Across")
        _ = try await alice.event("callIn", session: customer.sessionId)
        try await alice.call("Chat.accept", ["sessionId": .string(customer.sessionId)])
        _ = try await customer.next("agentJoined")
        try await customer.sayAndWait("hello from the leader's side")
        let received = try await alice.event("message", session: customer.sessionId) { $0["from"]?.string == "customer" }
        #expect(received["data"]?["text"]?.string == "hello from the leader's side")
        let sent = try await alice.call("Chat.sendMessage", ["sessionId": .string(customer.sessionId), "text": "hello from the follower"])
        #expect(sent?["messageId"]?.string != nil, "\(String(describing: sent))")
        #expect(try await customer.nextAgentMessage() == "hello from the follower")
        // A refused request from the follower's client is answered as refused.
        let refused = try await alice.request("Chat.accept", ["sessionId": "no-such-session"])
        #expect(refused["status"]?.string == "error", "\(refused)")

        // The leader dies: the follower takes over in place; alice's socket stays up.
        leader.kill()
        let failover = try await waitUntil("leader", follower.port)
        print("followers: leader SIGKILLed → follower leading after \(failover), its sockets up")
        let status = try await alice.call("Agent.getStatus")
        #expect(status != nil)
        let again = try await alice.call("Chat.sendMessage", ["sessionId": .string(customer.sessionId), "text": "still here"])
        #expect(again?["messageId"]?.string != nil)
        // The session accepted before the failover is still alice's, and routing goes on.
        let next = try await TestCustomer.connect(port: follower.port)
        try await next.start(group: "sales", nickname: "After")
        _ = try await alice.event("callIn", session: next.sessionId)
        try await alice.call("Chat.accept", ["sessionId": .string(next.sessionId)])
        _ = try await next.next("agentJoined")
        let page = try JSONSerialization.jsonObject(
            with: try await viaFollower.expect(200, .get, "/api/v1/sessions/\(customer.sessionId)/messages?limit=50")) as? [String: Any]
        let texts = (page?["messages"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(texts == ["hello from the leader's side", "hello from the follower", "still here"], "\(texts)")
        #expect(try await follower.terminate() == 0)
        await cluster.cleanUp()
    }
}
