import Foundation
import SwitchboardTestSupport
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Testing

/// `--allowed-origins`: CORS for the APIs, and the same rule for the SDK socket upgrades.
@Suite("Allowed origins", .serialized)
struct OriginPolicyTests {
    @Test func listedOriginsGetCORSOthersAreRefused() async throws {
        try await TestServer.run(configure: { $0.allowedOrigins = ["https://shop.example"] }) { server in
            let preflight = try await server.client.execute(
                uri: "/api/v1/chat/sessions", method: .options,
                headers: [.origin: "https://shop.example", .accessControlRequestMethod: "POST",
                          .accessControlRequestHeaders: "content-type, x-session-secret"]) { $0 }
            #expect(preflight.status == .noContent || preflight.status == .ok)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://shop.example")
            #expect(preflight.headers[.accessControlAllowHeaders]?.lowercased().contains("x-session-secret") == true)

            let foreign = try await server.client.execute(uri: "/api/v1/chat/sessions", method: .post,
                headers: [.origin: "https://evil.example", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"skillGroupId":"sales","nickname":"Ann"}"#)) { $0 }
            #expect(foreign.status == .forbidden)
            #expect(String(buffer: foreign.body).contains("evil.example"))

            // The SDK sockets follow the same rule.
            var logger = Logger(label: "origin-test")
            logger.logLevel = .critical
            await #expect(throws: (any Error).self) {
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(server.port)/ws/agent",
                    configuration: .init(additionalHeaders: [.origin: "https://evil.example"]), logger: logger
                ) { _, _, _ in Issue.record("the upgrade from a foreign origin was accepted") }
            }
            // A plain GET of a socket path says what it is.
            let plain = try await server.client.execute(uri: "/ws/customer", method: .get) { $0 }
            #expect(plain.status == .upgradeRequired)

            // No Origin header: not a browser page, so not a CORS matter.
            #expect(try await server.admin(.get, "/healthz", apiKey: nil).status == .ok)
        }
    }

    @Test func everyOriginIsAllowedByDefault() async throws {
        try await TestServer.run { server in
            let response = try await server.client.execute(uri: "/healthz", method: .get, headers: [.origin: "https://anywhere.example"]) { $0 }
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "https://anywhere.example")
        }
    }
}
