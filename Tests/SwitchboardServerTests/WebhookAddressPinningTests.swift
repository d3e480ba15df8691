import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// DNS rebinding: the address the SSRF check approved is the address the POST connects to.
/// The host name is resolved once; a name that resolves to a loopback address is refused, and a
/// name is connected to at the address that was checked, never looked up a second time.
@Suite("Webhook addresses are checked and pinned")
struct WebhookAddressPinningTests {
    static let policy = WebhookURLPolicy(allowPrivateAddresses: false)

    @Test func aHostNameThatResolvesToLoopbackIsRefusedWithoutTheFlag() async throws {
        let sender = WebhookSender(timeoutSeconds: 2, concurrency: 2, policy: Self.policy)
        defer { Task { await sender.shutdown() } }
        guard case .refused(let why) = await sender.route("http://localhost:8080/hook") else {
            Issue.record("localhost was not refused")
            return
        }
        #expect(why.contains("the host localhost resolves to") && why.contains("loopback") && why.contains("--webhooks-allow-private-addresses"), "\(why)")
        // A literal public address is connected to as written; with the flag nothing is checked.
        #expect(await sender.route("https://203.0.114.9/hook") == .direct)
        let allowing = WebhookSender(timeoutSeconds: 2, concurrency: 2, policy: WebhookURLPolicy(allowPrivateAddresses: true))
        defer { Task { await allowing.shutdown() } }
        #expect(await allowing.route("http://localhost:8080/hook") == .direct)
    }

    @Test func theServerRefusesToPostToLocalhostAndSaysWhy() async throws {
        let receiver = HookReceiver()
        try await receiver.run { port in
            try await TestServer.run(configure: { $0.webhooks.firstRetryDelaySeconds = 3600 }) { server in
                // Saving checks literal addresses only: a name is checked when it is delivered to.
                let created = try await server.api(.post, "/api/v1/webhooks", #"{"url":"http://localhost:\#(port)/hook","kinds":["session.created"]}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"].string)
                try await server.given(.upsertSkillGroup(SkillGroup(id: "sales")))
                _ = try await server.api(.post, "/api/v1/sessions", #"{"type":"im","skillGroupId":"sales","customer":{"nickname":"Ann"}}"#)
                var first = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries").json["items"][0]
                for _ in 0..<100 where first["attempts"].int != 1 {
                    try await Task.sleep(for: .milliseconds(50))
                    first = try await server.api(.get, "/api/v1/webhooks/\(id)/deliveries").json["items"][0]
                }
                #expect(first["attempts"].int == 1 && first["status"].string == "pending")
                let error = first["lastError"].string ?? ""
                #expect(error.contains("the host localhost resolves to") && error.contains("loopback"), "\(error)")
                #expect(receiver.hosts.isEmpty, "nothing reached the receiver on loopback")
            }
        }
    }

    @Test func thePostGoesToTheCheckedAddressWithoutASecondLookup() async throws {
        let receiver = HookReceiver()
        try await receiver.run { port in
            let sender = WebhookSender(timeoutSeconds: 5, concurrency: 2, policy: Self.policy)
            let request = WebhookRequest(WebhookSigningTests.delivery(), secret: "whsec_0123456789abcdef", unixSeconds: 1_700_000_000)
            // `.invalid` never resolves (RFC 6761): a POST that arrives went to the pinned address,
            // and the receiver still sees the name in the Host header (and TLS would in SNI).
            let result = await sender.pinned.with(.init(host: "receiver.invalid", address: "127.0.0.1")) { client in
                await sender.post(request, to: "http://receiver.invalid:\(port)/hook", with: client)
            }
            #expect(result.delivered && result.statusCode == 204, "\(result)")
            #expect(receiver.hosts == ["receiver.invalid:\(port)"])
            // Unpinned, the same name cannot be reached: the lookup is what the pin replaced.
            let unpinned = await sender.post(request, to: "http://receiver.invalid:\(port)/hook", with: sender.client)
            #expect(!unpinned.delivered)
            await sender.shutdown()
        }
    }
}

/// A real HTTP receiver on 127.0.0.1 that answers 204 and remembers each request's Host header
/// and event kind, in the order they came.
final class HookReceiver: Sendable {
    private let received = Mutex<[(host: String, kind: String)]>([])
    var hosts: [String] { received.withLock { $0.map(\.host) } }
    var kinds: [String] { received.withLock { $0.map(\.kind) } }

    func run(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        let kind = HTTPField.Name("Switchboard-Event-Kind")!
        router.post("hook") { request, _ -> HTTPResponse.Status in
            self.received.withLock { $0.append((request.head.authority ?? "", request.headers[kind] ?? "")) }
            return .noContent
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client.port!) }
    }
}
