import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardTestSupport
import Testing

/// A benchmark, not a test: how long from SIGKILL of the routing leader to the first offer made
/// by the node that took over, ten times, printed as p50 / p99 / max (docs/benchmarks.md). Runs
/// only with SWITCHBOARD_FAILOVER_BENCHMARK=1; the chaos and failover tests check correctness.
/// With SWITCHBOARD_FAILOVER_FOLLOWERS=1 the nodes advertise their address, so the one that is not
/// leading follows (and takes over in place) instead of standing by.
@Suite("Failover benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["SWITCHBOARD_FAILOVER_BENCHMARK"] == "1"))
struct FailoverBenchmark {
    @Test func leaderKilledToFirstNewOfferTenTimes() async throws {
        let location = try await PostgresServer.shared.newDatabase()
        let url = "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
        let lease = ProcessInfo.processInfo.environment["SWITCHBOARD_FAILOVER_LEASE_MS"] ?? "1000"
        let followers = ProcessInfo.processInfo.environment["SWITCHBOARD_FAILOVER_FOLLOWERS"] == "1"
        let directories = (1...2).map { FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-failover-\($0)-\(UUID().uuidString)").path }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        let ports = (1...2).map { _ in PostgresServer.freePort() }
        func start(_ index: Int) async throws -> ServerProcess {
            try await ServerProcess.start(dataDirectory: directories[index], arguments: [
                "--database-url", url, "--leader-lease-ms", lease, "--port", String(ports[index]),
                "--customer-starts-per-address", "0", "--customer-starts-per-second", "0"]
                + (followers ? ["--advertise-url", "http://127.0.0.1:\(ports[index])"] : []))
        }
        var nodes = [try await start(0), try await start(1)]
        defer { for node in nodes { node.kill() } }
        func leader() async -> Int? { await NodeReadiness.leader(among: ports, role: "leader") }
        var current: Int?
        while current == nil { current = await leader(); try await Task.sleep(for: .milliseconds(20)) }
        try await AdminClient(port: ports[current!]).expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await AdminClient(port: ports[current!]).expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"imCapacity":100,"password":"pw-alice-123"}"#)
        let issued = try JSONSerialization.jsonObject(with: try await AdminClient(port: ports[current!]).expect(201, .post, "/api/v1/agents/alice/tokens", #"{"lifetimeSeconds":86400}"#)) as? [String: Any]
        let token = try #require(issued?["token"] as? String)

        var samples: [Duration] = []
        for round in 1...10 {
            let killed = current!
            nodes[killed].kill()
            let killedAt = ContinuousClock.now
            // Agent and customer knock on both nodes until one leads and offers the chat.
            var offered = false
            var lastProblem = "none"
            while !offered {
                guard ContinuousClock.now - killedAt < .seconds(60) else { throw TestFailure("round \(round): no offer within 60 s of the kill; last: \(lastProblem)") }
                for port in ports where port != ports[killed] {
                    // Clients retry as soon as the node answers as leader (a WebSocket opened on
                    // a standby is refused; the test client would sit out its 10 s timeout).
                    guard await NodeReadiness.leader(among: [port], role: "leader") != nil else { continue }
                    do {
                        let agent = try await TestAgent.connect(port: port)
                        try await agent.login(token: token)
                        try await agent.call("Agent.online")
                        let customer = try await TestCustomer.connect(port: port)
                        try await customer.start(group: "sales", nickname: "R\(round)")
                        _ = try await agent.event("callIn", session: customer.sessionId, timeout: .seconds(5))
                        offered = true
                    } catch {
                        lastProblem = "\(error)"
                    }
                }
                if !offered { try await Task.sleep(for: .milliseconds(20)) }
            }
            samples.append(ContinuousClock.now - killedAt)
            nodes[killed] = try await start(killed)
            current = await leader()
            let settle = ContinuousClock.now
            while current == nil {
                guard ContinuousClock.now - settle < .seconds(60) else { throw TestFailure("round \(round): no node leads") }
                current = await leader()
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let sorted = samples.sorted()
        func ms(_ duration: Duration) -> Int { Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000) }
        print("failover (\(followers ? "a follower taking over" : "a standby taking over"), lease \(lease) ms, SIGKILL → first offer on the new leader), 10 kills: p50 \(ms(sorted[4])) ms, p99 (of ten: the slowest) \(ms(sorted[9])) ms; all: \(sorted.map(ms))")
        for node in nodes { node.kill() }
        await PostgresServer.shared.dropDatabase(location)
    }
}
