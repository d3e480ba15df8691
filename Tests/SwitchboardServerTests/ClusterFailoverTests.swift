import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardPostgres
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Several `switchboard serve` processes on one PostgreSQL database: one leads (holds the routing
/// lease), the others stand by. Killed, paused past its lease or stopped, the leader is replaced
/// by a standby that finds everything acknowledged, and a leader that lost its lease writes
/// nothing more. Real executables on a real PostgreSQL server the tests start on 127.0.0.1.
@Suite("Several nodes on PostgreSQL", .serialized)
struct ClusterFailoverTests {
    /// A fresh database and its URL.
    private func database() async throws -> (PostgresLocation, String) {
        let location = try await PostgresServer.shared.newDatabase()
        return (location, "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable")
    }

    private func dataDirectory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-cluster-\(name)-\(UUID().uuidString)").path
    }

    /// `/readyz` as JSON with its status code.
    private func readiness(_ port: Int) async throws -> (Int, [String: Any]) {
        guard let answer = await NodeReadiness.readiness(port: port) else { throw TestFailure("the node on port \(port) did not answer /readyz") }
        return answer
    }

    /// Waits until the node on `port` leads, and returns how long that took.
    @discardableResult
    private func waitUntilLeader(_ port: Int, within limit: Duration = .seconds(30)) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if let (status, body) = try? await readiness(port), status == 200, body["role"] as? String == "leader" {
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("the node on port \(port) did not become the routing leader within \(limit)")
    }

    private func node(_ url: String, _ directory: String, key: Bool = true) async throws -> ServerProcess {
        try await ServerProcess.start(
            dataDirectory: directory, arguments: ["--database-url", url, "--leader-lease-ms", "1000"], configuredKey: key)
    }

    @Test func aStandbyTakesOverFromAKilledLeaderWithEverythingAcknowledged() async throws {
        let (location, url) = try await database()
        let (leaderDirectory, standbyDirectory) = (dataDirectory("a"), dataDirectory("b"))
        defer { for directory in [leaderDirectory, standbyDirectory] { try? FileManager.default.removeItem(atPath: directory) } }
        // No --api-key: the key is generated once, in the database, and both nodes use it.
        let leader = try await node(url, leaderDirectory, key: false)
        defer { leader.kill() }
        try await waitUntilLeader(leader.port)
        let standby = try await node(url, standbyDirectory, key: false)
        defer { standby.kill() }
        guard let keyRange = leader.printed.all.range(of: #"sbk_[A-Za-z0-9_-]+"#, options: .regularExpression) else {
            throw TestFailure("the leader did not print its generated admin key: \(leader.printed.all)")
        }
        let key = String(leader.printed.all[keyRange])
        #expect(!standby.printed.all.contains(key), "the key is printed once, by the node that made it")
        #expect(standby.printed.all.contains("standing by on"))

        // The standby says who leads, and sends every client there.
        let (status, body) = try await readiness(standby.port)
        #expect(status == 503 && body["role"] as? String == "standby", "\(body)")
        #expect((body["leader"] as? [String: Any])?["epoch"] as? Int == 1, "\(body)")
        let refused = try await AdminClient(port: standby.port, key: key).expect(503, .get, "/api/v1/agents")
        #expect(String(decoding: refused, as: UTF8.self).contains("\"standby\""))

        let admin = AdminClient(port: leader.port, key: key)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
        let issued = try JSONSerialization.jsonObject(with: try await admin.expect(201, .post, "/api/v1/agents/alice/tokens", "{}")) as? [String: Any]
        let token = try #require(issued?["token"] as? String)
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: leader.port)
        let held = try await alice.acceptChat(port: leader.port, group: "sales", nickname: "Held")
        try await held.sayAndWait("acknowledged before the crash")
        let ringing = try await TestCustomer.connect(port: leader.port)
        try await ringing.start(group: "sales", nickname: "Ringing")
        _ = try await alice.event("callIn", session: ringing.sessionId)

        leader.kill()
        let failover = try await waitUntilLeader(standby.port)
        print("failover: leader SIGKILLed → standby leading after \(failover) (lease 1000 ms)")

        // A token the old leader signed logs in on the new one: the signing secret is shared.
        let back = try await TestAgent.connect(port: standby.port)
        let welcome = try await back.login(token: token)
        #expect(welcome["sessions"]?[0]?["sessionId"]?.string == held.sessionId && welcome["sessions"]?[0]?["state"]?.string == "accepted")
        #expect(welcome["sessions"]?[1]?["sessionId"]?.string == ringing.sessionId && welcome["sessions"]?[1]?["state"]?.string == "ringing")
        let transcript = try await back.call("Chat.getMessages", ["sessionId": .string(held.sessionId)])
        #expect(transcript?["messages"]?[0]?["text"]?.string == "acknowledged before the crash")
        // Routing goes on: a new customer on the new leader is offered to alice.
        try await back.call("Agent.online")
        let next = try await TestCustomer.connect(port: standby.port)
        try await next.start(group: "sales", nickname: "After")
        _ = try await back.event("callIn", session: next.sessionId)
        try await AdminClient(port: standby.port, key: key).expect(200, .get, "/api/v1/agents/alice")
        #expect(try await standby.terminate() == 0)
        await PostgresServer.shared.dropDatabase(location)
    }

    /// A leader frozen past its lease (SIGSTOP) comes back not knowing: it must find out before
    /// it acknowledges anything, answer what it was asked with a refusal, and stop.
    @Test func aLeaderPausedPastItsLeaseStepsDownAndWritesNothing() async throws {
        let (location, url) = try await database()
        let (oldDirectory, newDirectory) = (dataDirectory("old"), dataDirectory("new"))
        defer { for directory in [oldDirectory, newDirectory] { try? FileManager.default.removeItem(atPath: directory) } }
        let old = try await node(url, oldDirectory)
        defer { old.resume(); old.kill() }
        try await waitUntilLeader(old.port)
        let new = try await node(url, newDirectory)
        defer { new.kill() }
        try await AdminClient(port: old.port).expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales"}"#)

        old.pause()
        try await waitUntilLeader(new.port)
        try await AdminClient(port: new.port).expect(201, .post, "/api/v1/skill-groups", #"{"id":"support"}"#)

        // Sent to the frozen leader: the kernel queues it; the old leader reads it on waking.
        let late = Task { () -> Int in
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(old.port)/api/v1/skill-groups")!)
            request.httpMethod = "POST"
            request.timeoutInterval = 30
            request.setValue("Bearer \(ServerProcess.apiKey)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"id":"late"}"#.utf8)
            guard let (_, response) = try? await URLSession.shared.data(for: request) else { return 0 }
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        try await Task.sleep(for: .milliseconds(300))
        old.resume()
        let answer = await late.value
        #expect(!(200..<300).contains(answer), "the old leader acknowledged a change after losing its lease (\(answer))")
        // It stops, so only one node routes.
        let deadline = ContinuousClock.now + .seconds(20)
        while old.process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!old.process.isRunning, "the old leader kept running after losing its lease")
        if !old.process.isRunning { #expect(old.process.terminationStatus != 0) }

        try await AdminClient(port: new.port).expect(404, .get, "/api/v1/skill-groups/late")
        try await AdminClient(port: new.port).expect(200, .get, "/api/v1/skill-groups/sales")
        try await AdminClient(port: new.port).expect(200, .get, "/api/v1/skill-groups/support")
        #expect(try await new.terminate() == 0)
        await PostgresServer.shared.dropDatabase(location)
    }

    /// A leader shut down gracefully gives its lease up: the standby leads without waiting for it
    /// to run out (a rolling upgrade loses no lease period).
    @Test func aLeaderStoppedGracefullyHandsOverAtOnce() async throws {
        let (location, url) = try await database()
        let (firstDirectory, secondDirectory) = (dataDirectory("first"), dataDirectory("second"))
        defer { for directory in [firstDirectory, secondDirectory] { try? FileManager.default.removeItem(atPath: directory) } }
        let first = try await ServerProcess.start(
            dataDirectory: firstDirectory, arguments: ["--database-url", url, "--leader-lease-ms", "60000"])
        defer { first.kill() }
        try await waitUntilLeader(first.port)
        let second = try await ServerProcess.start(
            dataDirectory: secondDirectory, arguments: ["--database-url", url, "--leader-lease-ms", "60000"])
        defer { second.kill() }
        try await AdminClient(port: first.port).expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales"}"#)
        #expect(try await first.terminate() == 0)
        // Well within the 60 s lease: it was given up, not waited out.
        let handover = try await waitUntilLeader(second.port, within: .seconds(20))
        print("graceful handover took \(handover)")
        try await AdminClient(port: second.port).expect(200, .get, "/api/v1/skill-groups/sales")
        #expect(try await second.terminate() == 0)
        await PostgresServer.shared.dropDatabase(location)
    }
}
