import Foundation
import SwitchboardTestSupport
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import Testing

/// Health, readiness and the Prometheus metrics.
@Suite("Operations endpoints", .serialized)
struct OperationsTests {
    @Test func healthAndReadiness() async throws {
        try await TestServer.run { server in
            let health = try await server.admin(.get, "/healthz", apiKey: nil)
            #expect(health.status == .ok)
            let ready = try await server.admin(.get, "/readyz", apiKey: nil)
            #expect(ready.status == .ok)
            #expect((ready.body as? [String: Any])?["status"] as? String == "ready")
        }
    }

    @Test func metricsReflectSessionsQueuesAgentsAndConnections() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 30), agents: ["alice"])
            try await server.given(.upsertAgent(AgentProfile(id: "alice", name: "Alice", memberships: ["sales": Membership()], imCapacity: 1)))
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let first = try await server.customer(group: "sales")
            _ = try await alice.event("callIn", session: first.sessionId)
            // Bo is told he waits once his queueing is committed, which is what /metrics reads.
            let bo = try await server.customer(group: "sales", nickname: "Bo")
            _ = try await bo.next("queued")

            let text = try await server.client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(text.contains(#"switchboard_sessions_live{state="ringing"} 1.0"#))
            #expect(text.contains(#"switchboard_sessions_live{state="queued"} 1.0"#))
            #expect(text.contains(#"switchboard_queue_length{group="sales"} 1.0"#))
            #expect(text.contains(#"switchboard_agents_count{status="free"} 1.0"#))
            #expect(text.contains("switchboard_offers_total 1"))
            #expect(text.contains(#"switchboard_connections_open{kind="agent"} 1.0"#))
            #expect(text.contains(#"switchboard_connections_open{kind="customer"} 2.0"#))
            #expect(text.contains("switchboard_queue_oldest_wait_seconds"))
        }
    }
}
