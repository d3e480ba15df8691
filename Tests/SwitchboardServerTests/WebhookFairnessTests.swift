import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One stalled receiver cannot keep every other subscription's events waiting: a subscription
/// holds at most half the worker's slots (docs/webhooks.md, "Throughput").
@Suite("Webhook slots are shared between subscriptions", .serialized)
struct WebhookFairnessTests {
    @Test func aStalledReceiverLeavesSlotsForTheOthers() async throws {
        let stalled = try StalledListener()
        defer { stalled.close() }
        let healthy = HookReceiver()
        try await healthy.run { port in
            try await TestServer.run(configure: { configuration in
                configuration.webhooks.allowPrivateAddresses = true
                configuration.webhooks.concurrency = 4
                configuration.webhooks.requestTimeoutSeconds = 10
            }) { server in
                for url in ["http://127.0.0.1:\(stalled.port)/stalls", "http://127.0.0.1:\(port)/hook"] {
                    let created = try await server.api(.post, "/api/v1/webhooks", #"{"url":"\#(url)","kinds":["session.created"]}"#)
                    #expect(created.status == .created, "\(created.json)")
                }
                try await server.given(.upsertSkillGroup(SkillGroup(id: "sales")))
                // Six sessions: six keys for each subscription, each key's first event due at once.
                for index in 0..<6 {
                    let answer = try await server.api(.post, "/api/v1/sessions", #"{"type":"im","skillGroupId":"sales","customer":{"nickname":"C\#(index)"}}"#)
                    #expect(answer.status == .created || answer.status == .ok, "\(answer.json)")
                }
                // With no share, the stalled receiver would take every slot it can (all four)
                // for the 10 s timeout (the test waits 5 s) and the healthy one would get at most three events.
                for _ in 0..<100 where healthy.kinds.count < 6 { try await Task.sleep(for: .milliseconds(50)) }
                #expect(healthy.kinds == Array(repeating: "session.created", count: 6), "\(healthy.kinds)")
            }
        }
    }
}

/// A receiver that never answers: a listening socket that never accepts. The kernel completes
/// the connections and buffers the requests; no answer ever comes.
final class StalledListener: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else { throw TestFailure("cannot listen on loopback: errno \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
