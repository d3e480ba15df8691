import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// `/metrics`: gauges kept as the routing state changes, and the optional bearer token.
@Suite("Metrics", .serialized)
struct MetricsTests {
    /// What the gauges must read, by walking every session and agent: the scan `/metrics` used
    /// to run inside the routing actor on every scrape, kept here as the oracle.
    private static func scannedGauges(_ machine: RoutingStateMachine) -> (values: [String: Double], oldest: [String: Timestamp]) {
        var values: [String: Double] = [:]
        for state in ["queued", "ringing", "accepted"] { values[#"switchboard_sessions_live{state="\#(state)"}"#] = 0 }
        var oldest: [String: Timestamp] = [:]
        for session in machine.sessions.values {
            let state = switch session.state { case .queued: "queued"; case .ringing: "ringing"; case .accepted: "accepted" }
            values[#"switchboard_sessions_live{state="\#(state)"}"#, default: 0] += 1
            if session.state == .queued {
                let group = session.skillGroupId.rawValue
                oldest[group] = min(oldest[group] ?? session.createdAt, session.createdAt)
            }
        }
        for group in machine.skillGroups.keys {
            values[#"switchboard_queue_length{group="\#(group.rawValue)"}"#] = Double(
                machine.sessions.values.filter { $0.state == .queued && $0.skillGroupId == group }.count)
        }
        for status in AgentStatus.allCases {
            values[#"switchboard_agents_count{status="\#(status.rawValue)"}"#] = Double(
                machine.agents.values.filter { $0.status == status }.count)
        }
        return (values, oldest)
    }

    /// The value of each sample line in a Prometheus text exposition.
    private static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    /// Scrapes `/metrics` and checks every routing gauge against the full scan; returns the samples.
    @discardableResult
    private static func expectGaugesMatchScan(_ server: TestServer, _ step: String) async throws -> [String: Double] {
        let before = Timestamp.now()
        let text = try await server.client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        let after = Timestamp.now()
        let scraped = samples(text)
        let (expected, oldest) = await server.components.routing.read { Self.scannedGauges($0) }
        for (name, value) in expected {
            #expect(scraped[name] == value, "\(step): \(name)")
        }
        for group in await server.components.routing.read({ Array($0.skillGroups.keys) }) {
            let wait = try #require(scraped[#"switchboard_queue_oldest_wait_seconds{group="\#(group.rawValue)"}"#], "\(step): \(group)")
            if let since = oldest[group.rawValue] {
                // The scrape happened between `before` and `after`; allow a millisecond for rounding.
                let range = Double(before.milliseconds - since.milliseconds - 1) / 1000...Double(after.milliseconds - since.milliseconds + 1) / 1000
                #expect(range.contains(wait), "\(step): oldest wait in \(group) is \(wait), the scan says \(range)")
            } else {
                #expect(wait == 0, "\(step): nothing waits in \(group)")
            }
        }
        return scraped
    }

    private static let ann = CustomerDetails(nickname: "Ann")

    @Test func gaugesFollowTheRoutingStateAsItChanges() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 30), agents: ["alice", "bob"])
            try await server.givenGroup(SkillGroup(id: "support"), agents: [])
            try await server.given(.upsertAgent(AgentProfile(id: "alice", name: "Alice", memberships: ["sales": Membership()], imCapacity: 1)))
            try await Self.expectGaugesMatchScan(server, "agents created")

            try await server.given(.connect("alice", ConnectionID("a1")), .online("alice"), .connect("bob", ConnectionID("b1")), .online("bob"))
            try await server.given(.setStatus("bob", status: "rest", restReason: "lunch"))
            try await Self.expectGaugesMatchScan(server, "agents online, bob resting")

            // s-1 rings at alice; s-2 (higher priority, newer) and s-3 wait in sales; s-4 in support.
            try await server.given(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: Self.ann)))
            try await Task.sleep(for: .milliseconds(20))
            try await server.given(
                .accept("alice", SessionID("s-1")),
                .createSession(NewSession(type: .im, skillGroupId: "sales", customer: Self.ann)))
            // Far enough apart that taking s-3 (the head of its queue) for the oldest would show.
            try await Task.sleep(for: .milliseconds(300))
            try await server.given(
                .createSession(NewSession(type: .im, skillGroupId: "sales", priority: 5, customer: Self.ann)),
                .createSession(NewSession(type: .im, skillGroupId: "support", customer: Self.ann)))
            let queued = try await Self.expectGaugesMatchScan(server, "one accepted, three queued")
            #expect(queued[#"switchboard_queue_length{group="sales"}"#] == 2)
            #expect(queued[#"switchboard_sessions_live{state="accepted"}"#] == 1)
            #expect((queued[#"switchboard_queue_oldest_wait_seconds{group="sales"}"#] ?? 0) >= 0.3)

            // Ending s-1 frees alice, who is offered the priority session s-3 (newer than s-2).
            try await server.given(.end("alice", SessionID("s-1")))
            let ringing = try await Self.expectGaugesMatchScan(server, "s-1 ended, s-3 ringing")
            #expect(ringing[#"switchboard_sessions_live{state="ringing"}"#] == 1)

            // Bob comes back and takes s-2; the support queue is emptied by its admin.
            try await server.given(.setStatus("bob", status: "free", restReason: nil))
            try await server.given(.adminEnd(SessionID("s-4"), mainReason: nil, subReason: nil))
            try await Self.expectGaugesMatchScan(server, "bob free, support emptied")

            try await server.given(.setStatus("alice", status: "notReady", restReason: nil))
            try await Self.expectGaugesMatchScan(server, "alice not ready")
        }
    }

    @Test func withoutATokenMetricsStayOpen() async throws {
        try await TestServer.run { server in
            let status = try await server.client.execute(uri: "/metrics", method: .get) { $0.status }
            #expect(status == .ok)
        }
    }

    @Test func withATokenMetricsNeedIt() async throws {
        let token = "metrics-token-0123456789"
        try await TestServer.run(configure: { $0.metricsToken = token }) { server in
            func scrape(_ authorization: String?) async throws -> (status: HTTPResponse.Status, body: String) {
                var headers: HTTPFields = [:]
                if let authorization { headers[.authorization] = authorization }
                return try await server.client.execute(uri: "/metrics", method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
            }
            let missing = try await scrape(nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.body.contains("Authorization: Bearer"))
            #expect(missing.body.contains(#""unauthorized""#))
            let wrong = try await scrape("Bearer not-the-metrics-token")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("not valid"))
            let adminKey = try await scrape("Bearer \(TestServer.adminKey)")
            #expect(adminKey.status == .unauthorized)
            let right = try await scrape("Bearer \(token)")
            #expect(right.status == .ok)
            #expect(right.body.contains("switchboard_sessions_live"))
            // The other operations endpoints stay open.
            let health = try await server.admin(.get, "/healthz", apiKey: nil)
            #expect(health.status == .ok)
        }
    }

    @Test func aShortMetricsTokenIsRefused() {
        var configuration = ServerConfiguration()
        configuration.metricsToken = "short"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }
}
