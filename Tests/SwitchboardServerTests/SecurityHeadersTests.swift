import Crypto
import Foundation
import HTTPTypes
import SwitchboardTestSupport
import Testing
@testable import SwitchboardServer

/// Every answer carries the browser protections; pages allow exactly their own inline scripts.
@Suite("Security headers")
struct SecurityHeadersTests {
    /// The repository's Public directory, which the server serves in production.
    static let publicDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Public").path

    static func directives(_ policy: String?) -> [String: String] {
        var result: [String: String] = [:]
        for part in (policy ?? "").split(separator: ";") {
            let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            if let name = words.first { result[String(name)] = words.count > 1 ? String(words[1]) : "" }
        }
        return result
    }

    @Test func pagesAllowTheirOwnInlineScriptsAndNothingElseInline() async throws {
        try await TestServer.run(configure: { $0.publicDirectory = Self.publicDirectory }) { server in
            let page = try await server.client.execute(uri: "/agent/", method: .get) { $0 }
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            let policy = Self.directives(page.headers[.contentSecurityPolicy])
            let scripts = try #require(policy["script-src"])
            #expect(!scripts.contains("unsafe-inline") && !scripts.contains("unsafe-eval"))
            let inline = SecurityHeaders.inlineScripts(in: html)
            #expect(!inline.isEmpty, "the workbench page has an inline script to allow")
            for body in inline {
                let hash = Data(SHA256.hash(data: Data(body.utf8))).base64EncodedString()
                #expect(scripts.contains("'sha256-\(hash)'"))
            }
            #expect(policy["object-src"] == "'none'" && policy["base-uri"] == "'none'")
            #expect(policy["frame-ancestors"] == "'self'", "the workbench cannot be framed by other sites")
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        }
    }

    @Test func theChatPageEmbedsOnAllowedOriginsOnly() async throws {
        try await TestServer.run(configure: {
            $0.publicDirectory = Self.publicDirectory
            $0.allowedOrigins = ["https://shop.example"]
        }) { server in
            let chat = try await server.client.execute(uri: "/chat/", method: .get) { $0 }
            #expect(Self.directives(chat.headers[.contentSecurityPolicy])["frame-ancestors"] == "'self' https://shop.example")
            let supervisor = try await server.client.execute(uri: "/supervisor/", method: .get) { $0 }
            #expect(Self.directives(supervisor.headers[.contentSecurityPolicy])["frame-ancestors"] == "'self'")
        }
        try await TestServer.run(configure: { $0.publicDirectory = Self.publicDirectory }) { server in
            let chat = try await server.client.execute(uri: "/chat/", method: .get) { $0 }
            #expect(Self.directives(chat.headers[.contentSecurityPolicy])["frame-ancestors"] == "*", "allowed origins * embed anywhere")
        }
    }

    @Test func apiAnswersAndErrorsAllowNothing() async throws {
        try await TestServer.run(configure: { $0.publicDirectory = Self.publicDirectory }) { server in
            for (path, status) in [("/api/v1/skill-groups", HTTPResponse.Status.unauthorized), ("/healthz", .ok), ("/nowhere", .notFound), ("/sdk/tccc.js", .ok)] {
                let answer = try await server.client.execute(uri: path, method: .get) { $0 }
                #expect(answer.status == status, "\(path)")
                #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(answer.headers[.contentSecurityPolicy] == SecurityHeaders.apiPolicy, "\(path)")
            }
        }
    }

    @Test func inlineScriptsAreFoundExactlyAsWritten() {
        let html = "<p>x</p><script src=\"/a.js\"></script>\n<SCRIPT type=\"module\">\n  run();\n</SCRIPT><script>b()</script>"
        #expect(SecurityHeaders.inlineScripts(in: html) == ["\n  run();\n", "b()"])
    }
}
