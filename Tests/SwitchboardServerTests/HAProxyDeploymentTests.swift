import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// docs/deployment/haproxy.cfg, the example in docs/deployment.md, run as written (addresses
/// rewritten to loopback ports) in front of three real nodes on one PostgreSQL database: clients
/// that only know haproxy's address reach the leader, and after the leader is killed they reach
/// the node that took over, with everything acknowledged. haproxy is Debian's (`.ci/run` installs it).
@Suite("haproxy in front of three nodes", .serialized)
struct HAProxyDeploymentTests {
    /// haproxy started on the example configuration; stopped by its pid.
    final class HAProxy: Sendable {
        /// A shell that owns haproxy: it stops haproxy by its pid when the lifeline closes, which
        /// happens in `stop()` and also when this test process ends however it ends (even
        /// SIGKILL), so no haproxy outlives the tests.
        let process: Process
        let lifeline: Pipe
        let port: Int
        let directory: String

        init(backends: [Int]) throws {
            let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            var configuration = try String(contentsOf: repository.appendingPathComponent("docs/deployment/haproxy.cfg"), encoding: .utf8)
            port = PostgresServer.freePort()
            guard configuration.contains("bind :8080") else { throw TestFailure("the example no longer binds :8080; update this test") }
            configuration = configuration.replacingOccurrences(of: "bind :8080", with: "bind 127.0.0.1:\(port)")
            for (index, backend) in backends.enumerated() {
                let example = "10.0.0.1\(index + 1):8080"
                guard configuration.contains(example) else { throw TestFailure("the example has no server at \(example)") }
                configuration = configuration.replacingOccurrences(of: example, with: "127.0.0.1:\(backend)")
            }
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-haproxy-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard configuration.contains("/run/haproxy/admin.sock") else { throw TestFailure("the example has no stats socket at /run/haproxy/admin.sock") }
            configuration = configuration.replacingOccurrences(of: "/run/haproxy/admin.sock", with: directory + "/admin.sock")
            let file = directory + "/haproxy.cfg"
            try configuration.write(toFile: file, atomically: true, encoding: .utf8)
            let binary = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let binary else { throw TestFailure("haproxy is not installed (apt-get install haproxy; .ci/run does)") }
            // Checked first, so a configuration haproxy rejects fails here with its own words.
            let check = Process()
            check.executableURL = URL(fileURLWithPath: binary)
            check.arguments = ["-c", "-f", file]
            let output = Pipe()
            check.standardOutput = output
            check.standardError = output
            try check.run()
            check.waitUntilExit()
            guard check.terminationStatus == 0 else {
                throw TestFailure("haproxy rejects the example: \(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
            }
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "'\(binary)' -db -f '\(file)' </dev/null & child=$!; cat >/dev/null; kill $child; wait $child"]
            lifeline = Pipe()
            process.standardInput = lifeline
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.standardError
            try process.run()
        }

        /// How many backends haproxy's own checks count as up (its stats socket, `show stat`).
        func serversUp() throws -> Int {
            let ask = Process()
            ask.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            ask.arguments = ["python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show stat\\n")
                data = b""
                while chunk := s.recv(65536): data += chunk
                sys.stdout.write(data.decode())
                """, directory + "/admin.sock"]
            let output = Pipe()
            ask.standardOutput = output
            ask.standardError = FileHandle.nullDevice
            try ask.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            ask.waitUntilExit()
            let lines = text.split(separator: "\n")
            guard let header = lines.first?.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false),
                  let status = header.firstIndex(of: "status"), let name = header.firstIndex(of: "svname") else { return 0 }
            return lines.dropFirst().filter { line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return cells.count > status && cells[0] == "switchboard_nodes" && cells[name].hasPrefix("node") && cells[status].hasPrefix("UP")
            }.count
        }

        /// Waits until haproxy's checks have found exactly one node leading.
        func waitForOneServerUp() async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while (try? serversUp()) != 1 {
                guard ContinuousClock.now < deadline else { throw TestFailure("haproxy's checks never settled on one leading node") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        func stop() {
            try? lifeline.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @discardableResult
    static func readyThroughProxy(_ port: Int, within limit: Duration = .seconds(30)) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if let (data, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!),
               (response as? HTTPURLResponse)?.statusCode == 200,
               String(decoding: data, as: UTF8.self).contains("\"leader\"") {
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("nothing behind haproxy answered as the leader within \(limit)")
    }

    @Test func clientsThatOnlyKnowTheProxyFollowTheLeaderAcrossAKill() async throws {
        let location = try await PostgresServer.shared.newDatabase()
        let url = "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
        let directories = (1...3).map { FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-ha-\($0)-\(UUID().uuidString)").path }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        var nodes: [ServerProcess] = []
        defer { for node in nodes { node.kill() } }
        for directory in directories {
            // The proxy's address is the client's for the nodes: trust it for X-Forwarded-For.
            nodes.append(try await ServerProcess.start(
                dataDirectory: directory,
                arguments: ["--database-url", url, "--leader-lease-ms", "1000", "--trusted-proxies", "127.0.0.1"]))
        }
        let proxy = try HAProxy(backends: nodes.map(\.port))
        defer { proxy.stop() }
        try await Self.readyThroughProxy(proxy.port)
        // POSTs are not re-sent after a standby's 503: wait for the checks to take standbys out.
        try await proxy.waitForOneServerUp()

        let admin = AdminClient(port: proxy.port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
        let issued = try JSONSerialization.jsonObject(with: try await admin.expect(201, .post, "/api/v1/agents/alice/tokens", "{}")) as? [String: Any]
        let token = try #require(issued?["token"] as? String)
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: proxy.port)
        let held = try await alice.acceptChat(port: proxy.port, group: "sales", nickname: "Held")
        try await held.sayAndWait("through the proxy")

        // Kill whichever node leads.
        let leaderIndex = await NodeReadiness.leader(among: nodes.map(\.port))
        let leader = try #require(leaderIndex)
        nodes[leader].kill()
        let failover = try await Self.readyThroughProxy(proxy.port)
        print("through haproxy: leader SIGKILLed → a new leader answering after \(failover) (lease 1000 ms, checks every 500 ms)")

        // The same address, a reconnect with the same token: the session and its transcript.
        let back = try await TestAgent.connect(port: proxy.port)
        let welcome = try await back.login(token: token)
        #expect(welcome["sessions"]?[0]?["sessionId"]?.string == held.sessionId && welcome["sessions"]?[0]?["state"]?.string == "accepted")
        let transcript = try await back.call("Chat.getMessages", ["sessionId": .string(held.sessionId)])
        #expect(transcript?["messages"]?[0]?["text"]?.string == "through the proxy")
        try await back.call("Agent.online")
        let next = try await TestCustomer.connect(port: proxy.port)
        try await next.start(group: "sales", nickname: "After")
        _ = try await back.event("callIn", session: next.sessionId)
        for node in nodes { node.kill() }
        await PostgresServer.shared.dropDatabase(location)
    }

    /// Open agent sockets on the node at `port`, from its metrics.
    static func agentConnections(_ port: Int) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("connections_open") && $0.contains(#"kind="agent""#) }),
              let count = Double(line.split(separator: " ").last ?? "") else {
            throw TestFailure("no agent connection gauge in the metrics of port \(port)")
        }
        return Int(count)
    }

    /// The same haproxy file, nodes that advertise their address: every node is ready (the leader
    /// and two followers), haproxy spreads agents over all three, and killing the leader closes
    /// only the sockets it held: agents on the followers keep theirs and go on working.
    @Test func withFollowersTheProxySpreadsClientsAndAKillClosesOnlyTheLeadersSockets() async throws {
        let location = try await PostgresServer.shared.newDatabase()
        let url = "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
        let directories = (1...3).map { FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-haf-\($0)-\(UUID().uuidString)").path }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        let ports = (1...3).map { _ in PostgresServer.freePort() }
        var nodes: [ServerProcess] = []
        defer { for node in nodes { node.kill() } }
        for (directory, port) in zip(directories, ports) {
            nodes.append(try await ServerProcess.start(
                dataDirectory: directory,
                arguments: ["--database-url", url, "--leader-lease-ms", "1000", "--trusted-proxies", "127.0.0.1",
                            "--port", String(port), "--advertise-url", "http://127.0.0.1:\(port)"]))
            try await Self.waitUntilReady(port)
        }
        let proxy = try HAProxy(backends: ports)
        defer { proxy.stop() }
        let start = ContinuousClock.now
        while try proxy.serversUp() < 3 {
            guard ContinuousClock.now - start < .seconds(30) else { throw TestFailure("haproxy did not see three ready nodes") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let admin = AdminClient(port: proxy.port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        var agents: [TestAgent] = []
        for index in 0..<6 {
            try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"a\#(index)","memberships":[{"skillGroupId":"sales"}],"password":"pw-a\#(index)-123"}"#)
            agents.append(try await TestAgent.online("a\(index)", password: "pw-a\(index)-123", port: proxy.port))
        }
        var held: [Int] = []
        for port in ports { held.append(try await Self.agentConnections(port)) }
        #expect(held.reduce(0, +) == 6 && held.filter { $0 > 0 }.count >= 2, "haproxy spreads agents over the nodes: \(held)")

        let leader = try #require(await NodeReadiness.leader(among: ports, role: "leader"))
        nodes[leader].kill()
        try await Self.readyThroughProxy(proxy.port)
        var kept = 0
        for agent in agents {
            let answer = try? await agent.request("Agent.getStatus")
            if answer?["status"]?.string == "success" { kept += 1 }
        }
        let onFollowers = held.enumerated().filter { $0.offset != leader }.map(\.element).reduce(0, +)
        #expect(kept == onFollowers, "the \(onFollowers) agents on followers keep working sockets; \(kept) did (held \(held), leader \(leader))")
        for node in nodes { node.kill() }
        await PostgresServer.shared.dropDatabase(location)
    }

    /// Waits until the node on `port` answers `/readyz` 200 (leader or follower).
    static func waitUntilReady(_ port: Int) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(30) {
            if await NodeReadiness.status(port: port) == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("the node on port \(port) did not become ready")
    }
}
