import Synchronization
import Foundation
import SwitchboardCore
import SwitchboardProtocol
@testable import SwitchboardServer
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
            // The server frees the slot when it sees the close; the third never took one.
            try await waitUntil("the closed connection's slot is free") { server.components.connectionLimiter.open == 1 }
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
            // Sent at once, not one after another's answer: on a loaded machine round trips alone
            // could stay under two a second.
            let ids = (0..<20).map { "burst-\($0)" }
            for id in ids { alice.socket.send(#"{"v":1,"type":"request","id":"\#(id)","method":"ping"}"#) }
            var limited = 0
            for id in ids {
                let response = try await alice.socket.next("response \(id)") { $0["type"]?.string == "response" && $0["id"]?.string == id }
                if response["errorMsg"]?.string?.contains("too many frames") == true { limited += 1 }
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

    @Test func anAgentsBufferedEventsAreReleasedAfterItHasBeenGoneTheRetention() {
        let now = Mutex(0.0)
        let hub = AgentHub(bufferSize: 1024, retentionSeconds: 600, clock: { now.withLock { $0 } })
        // A thousand agents each log in, get events and leave.
        for index in 0..<1000 {
            let agent = "agent-\(index)"
            let attachment = hub.attach(agent: agent, resumeFrom: nil, welcome: { _, _ in "welcome" }, after: [])
            for _ in 0..<5 { hub.publish(.ready, to: agent) }
            hub.detach(attachment.key)
        }
        #expect(hub.bufferedEventCount == 5000)
        // Within the retention an agent that comes back resumes from the buffer.
        now.withLock { $0 = 300 }
        let back = hub.attach(agent: "agent-7", resumeFrom: hub.seqBase + 2, welcome: { _, resumed in "\(resumed)" }, after: [])
        #expect(back.resumed)
        // Past it, the buffers of agents still gone are released; the one connected keeps its own.
        now.withLock { $0 = 901 }
        hub.publish(.ready, to: "agent-7")
        #expect(hub.bufferedEventCount == 6, "only the connected agent's events are kept")
        // The numbering goes on where it was: an old cursor is not mistaken for a new event.
        let late = hub.attach(agent: "agent-8", resumeFrom: hub.seqBase + 2, welcome: { last, resumed in "\(last) \(resumed)" }, after: [])
        #expect(!late.resumed, "nothing left to replay: rebuild from the welcome")
        #expect(late.lastSeq == hub.seqBase + 5)
        hub.publish(.ready, to: "agent-8")
        let after = hub.attach(agent: "agent-8", resumeFrom: hub.seqBase + 5, welcome: { _, resumed in "\(resumed)" }, after: [])
        #expect(after.resumed && after.lastSeq == hub.seqBase + 6)
        _ = back
    }

    @Test func aTokenBucketAllowsItsBurstThenItsRateAndSaysHowLongToWait() {
        var bucket = TokenBucket(rate: 0.5, burst: 2)
        #expect(bucket.take(now: 100) == nil && bucket.take(now: 100) == nil)
        #expect(bucket.take(now: 100) == 2, "one token every 2 s")
        #expect(bucket.take(now: 101) == 1)
        #expect(bucket.take(now: 102) == nil)
        #expect(!bucket.isFull(now: 103) && bucket.isFull(now: 106))
        #expect(bucket.take(now: 50) == 2, "a clock that goes back refills nothing")
    }

    @Test func aKeyedLimiterKeepsKeysApartAndForgetsOnlyRefilledOnes() {
        let now = Mutex(0.0)
        let limiter = KeyedRateLimiter(rate: 1, burst: 1, capacity: 2, clock: { now.withLock { $0 } })
        #expect(limiter.take("a") == .allowed && limiter.take("b") == .allowed)
        #expect(limiter.take("a") == .wait(seconds: 1), "a's own bucket is empty")
        now.withLock { $0 = 10 }
        #expect(limiter.take("c") == .allowed)
        #expect(limiter.trackedKeys == 1, "a and b had refilled: dropped without changing any answer")
    }
}
