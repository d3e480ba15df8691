import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// Limits that keep one client from hurting the others: connections per address, frame rate,
/// and bounded outboxes for clients that stop reading.
@Suite("Connection and rate limits", .serialized)
struct LimitsTests {
    @Test func connectionsPerAddressAreCapped() async throws {
        try await TestServer.run(configure: { $0.maxConnectionsPerAddress = 2 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: [])
            let first = try await TestCustomer.connect(port: server.port)
            let second = try await TestCustomer.connect(port: server.port)
            try await first.start(group: "sales", nickname: "A")
            try await second.start(group: "sales", nickname: "B")
            let third = try await TestCustomer.connect(port: server.port)
            let refused = try await third.next("error")
            #expect(refused["code"]?.string == "tooManyConnections")
            try await third.socket.waitClosed()
            // Closing one frees its slot.
            first.socket.close()
            try await first.socket.waitClosed()
            try await Task.sleep(for: .milliseconds(100))
            let fourth = try await TestCustomer.connect(port: server.port)
            try await fourth.start(group: "sales", nickname: "D")
        }
    }

    @Test func framesOverTheRateAreRefusedAndTheConnectionLives() async throws {
        try await TestServer.run(configure: { $0.customerFrameRate = 2; $0.agentFrameRate = 2 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let customer = try await server.customer(group: "sales")
            for _ in 0..<20 { customer.socket.send(#"{"v":1,"type":"typing"}"#) }
            #expect(try await customer.next("error")["code"]?.string == "rateLimited")

            let alice = try await server.agent("alice")
            var limited = 0
            for _ in 0..<20 where try await alice.request("ping")["errorMsg"]?.string?.contains("too many frames") == true {
                limited += 1
            }
            #expect(limited > 0)
            try await Task.sleep(for: .seconds(1))
            try await alice.call("ping")
        }
    }

    @Test func aClientThatStopsReadingIsCutOffNotBuffered() {
        let hub = AgentHub(bufferSize: 16, outboxLimit: 4)
        let attachment = hub.attach(agent: "alice", resumeFrom: nil, welcome: { _, _ in "welcome" }, after: ["ready"])
        // Nobody reads the outbox: welcome + ready + 16 + 4 fit, then the connection is dropped.
        for _ in 0..<40 { hub.publish(.ready, to: "alice") }
        #expect(hub.overflowCount == 1)
        #expect(hub.connectionCount == 0)
        _ = attachment
        // The events stay in the resume buffer for the reconnect.
        let again = hub.attach(agent: "alice", resumeFrom: 30, welcome: { lastSeq, resumed in "\(lastSeq) \(resumed)" }, after: [])
        #expect(again.resumed)
        #expect(again.lastSeq == 40)
    }
}
