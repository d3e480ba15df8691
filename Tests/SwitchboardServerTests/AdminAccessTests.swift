import Foundation
import HTTPTypes
import Logging
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The authorization matrix, generated from `AdminAccess.rules` and the router rather than
/// hand-picked: every admin route is in the table, a `supervisor` session is refused every route
/// that needs `admin` (and nothing changes), may use every route that needs `supervisor`, and
/// changes with a cookie need the CSRF token.
@Suite("Admin access by role", .serialized)
struct AdminAccessTests {
    /// The admin routes as the router has them: `/api/v1` except the chat fallback and the sign-in.
    /// Built from components that never serve (a second router inside a running test server was
    /// seen to keep the whole test run from finishing), and closed afterwards.
    private func adminRoutes() async throws -> Set<String> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-routes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.adminAPIKey = TestServer.adminKey
        let store = try SQLiteRoutingStore(path: configuration.databasePath)
        let components = try await ServerComponents.make(configuration: configuration, store: store, logger: Logger(label: "routes") { _ in SwiftLogNoOpLogHandler() })
        let router = SwitchboardApplication.makeRouter(server: components)
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" }.filter {
            $0.contains(" /api/v1/") && !$0.contains(" /api/v1/chat/") && !$0.contains(" /api/v1/auth/") && !$0.contains(" /api/v1/agent/")
        })
        try await store.close()
        return routes
    }

    @Test func everyAdminRouteHasExactlyOneRuleAndEveryRuleARoute() async throws {
        let routed = try await adminRoutes()
        let listed = AdminAccess.rules.map { "\($0.method.rawValue) \($0.path)" }
        #expect(!routed.isEmpty)
        #expect(Set(listed).count == listed.count, "a route is listed twice")
        #expect(routed.subtracting(listed).isEmpty, "routes without a rule (they default to admin): \(routed.subtracting(listed).sorted())")
        #expect(Set(listed).subtracting(routed).isEmpty, "rules for routes that do not exist: \(Set(listed).subtracting(routed).sorted())")
        // An unlisted route needs admin: closed, not open.
        #expect(AdminAccess.rule(for: .get, path: "/api/v1/not-a-route").role == .admin)
        #expect(AdminAccess.rule(for: .head, path: "/api/v1/queues").role == .supervisor)
    }

    @Test func theOpenAPIDocumentGivesEveryAdminRouteItsForbiddenAnswer() async throws {
        try await TestServer.run { server in
            let document = try await server.http(.get, "/openapi.json").json
            #expect(document["components"]["securitySchemes"]["supervisorSession"]["in"].string == "cookie")
            for rule in AdminAccess.rules {
                let operation = document["paths"][rule.path][rule.method.rawValue.lowercased()]
                #expect(operation["responses"]["403"].exists, "\(rule.method) \(rule.path) documents no 403")
                #expect(!operation["security"].exists, "\(rule.method) \(rule.path) should take the document's security (key or session)")
            }
        }
    }

    /// A tenant with something behind every path id, so a request the role check let through
    /// would really change something.
    private struct Tenant {
        var sessionId: String
        /// Path parameters by name, per path prefix.
        func path(_ pattern: String) -> String {
            var path = pattern
            let id = pattern.hasPrefix("/api/v1/skill-groups") ? "sales" : pattern.hasPrefix("/api/v1/agents") ? "alice"
                : pattern.hasPrefix("/api/v1/sessions") ? sessionId : "target"
            path = path.replacingOccurrences(of: "{id}", with: id)
            path = path.replacingOccurrences(of: "{skillGroupId}", with: "support")
            path = path.replacingOccurrences(of: "{name}", with: "welcome")
            path = path.replacingOccurrences(of: "{secretId}", with: "AKIDnotAKeyOfThisServer")
            path = path.replacingOccurrences(of: "{deliveryId}", with: "1")
            path = path.replacingOccurrences(of: "{attachmentId}", with: "a-0")
            path = path.replacingOccurrences(of: "{monitorId}", with: "mon-0")
            return path.replacingOccurrences(of: "{number}", with: "%2B4930123456")
        }
    }

    /// A valid body for each route that takes one, so a refusal is the role's and not the input's.
    private static let bodies: [String: String] = [
        "POST /api/v1/skill-groups": #"{"id":"new-group"}"#,
        "PUT /api/v1/skill-groups/{id}": #"{"name":"Renamed"}"#,
        "POST /api/v1/agents": #"{"id":"new-agent","password":"a new password"}"#,
        "PUT /api/v1/agents/{id}": #"{"name":"Renamed"}"#,
        "PUT /api/v1/agents/{id}/memberships/{skillGroupId}": #"{"skillLevel":1}"#,
        "PUT /api/v1/agents/{id}/password": #"{"password":"a new password"}"#,
        "POST /api/v1/agents/{id}/tokens": #"{"lifetimeSeconds":600}"#,
        "PUT /api/v1/agents/{id}/status": #"{"status":"rest","restReason":"meeting"}"#,
        "PUT /api/v1/phone-numbers/{number}": #"{"skillGroupId":"support","priority":5}"#,
        "PUT /api/v1/configuration": #"{"defaultImCapacity":2}"#,
        "PUT /api/v1/ivr-flows/{id}": #"{"start":"q","nodes":[{"id":"q","type":"queue","skillGroupId":"support"}]}"#,
        "POST /api/v1/sessions": #"{"type":"phone","skillGroupId":"sales"}"#,
        "POST /api/v1/sessions/{id}/end": #"{"mainReason":"test"}"#,
        "PUT /api/v1/supervisors/{id}": #"{"role":"supervisor","name":"Renamed"}"#,
        "PUT /api/v1/supervisors/{id}/password": #"{"password":"a new password"}"#,
        "POST /api/v1/api-keys": #"{"description":"access test"}"#,
        "POST /api/v1/webhooks": #"{"url":"https://crm.example.com/access","kinds":["session.ended"]}"#,
        "PATCH /api/v1/webhooks/{id}": #"{"description":"renamed"}"#,
    ]

    private func makeTenant(_ server: TestServer) async throws -> Tenant {
        try await server.createGroup(#"{"id":"sales"}"#)
        try await server.createGroup(#"{"id":"support"}"#)
        try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"alice password"}"#)
        #expect(try await server.api(.put, "/api/v1/phone-numbers/%2B4930123456", #"{"skillGroupId":"sales"}"#).status == .created)
        let created = try await server.api(.post, "/api/v1/sessions", #"{"type":"phone","skillGroupId":"sales"}"#)
        try await server.createSupervisor("target", role: "admin")
        try await server.createSupervisor("sue", role: "supervisor")
        try await server.createSupervisor("ada", role: "admin")
        return Tenant(sessionId: try #require(created.json["sessionId"].string))
    }

    /// Everything the configuration and credential routes could change, read with the key.
    private func everything(_ server: TestServer) async throws -> String {
        var parts: [String] = []
        for path in ["/api/v1/skill-groups", "/api/v1/agents", "/api/v1/phone-numbers", "/api/v1/ivr-flows", "/api/v1/ivr-prompts",
                     "/api/v1/configuration", "/api/v1/sessions",
                     "/api/v1/supervisors", "/api/v1/supervisors/target/login-lock", "/api/v1/api-keys", "/api/v1/webhooks"] {
            parts.append("\(path): \(try await server.api(.get, path).json)")
        }
        let store = server.components.store
        parts.append("alice: \(try await store.passwordHash(for: "alice") ?? "-") \(String(describing: try await store.tokensRevokedBefore(of: "alice")))")
        parts.append("target: \(try await store.supervisorPasswordHash(for: "target") ?? "-")")
        return parts.joined(separator: "\n")
    }

    @Test func aSupervisorIsRefusedEveryAdminRouteAndNothingChanges() async throws {
        try await TestServer.run { server in
            let tenant = try await makeTenant(server)
            let sue = try await server.signIn("sue")
            let before = try await everything(server)
            let adminRules = AdminAccess.rules.filter { $0.role == .admin }
            #expect(adminRules.count >= 20)
            for rule in adminRules {
                let key = "\(rule.method.rawValue) \(rule.path)"
                let answer = try await sue.request(rule.method, tenant.path(rule.path), Self.bodies[key])
                #expect(answer.status == .forbidden, "\(key): \(answer.status) \(answer.json)")
                #expect(answer.json.errorCode == "forbiddenForRole", "\(key): \(answer.json)")
                #expect(answer.json.errorMessage.contains("role 'supervisor'") && answer.json.errorMessage.contains("needs role 'admin'"),
                        "\(key): \(answer.json.errorMessage)")
            }
            #expect(try await everything(server) == before, "a refused request changed something")
            #expect(try await sue.request(.get, "/api/v1/queues").status == .ok, "refusals do not end the session")
        }
    }

    @Test func aSupervisorMayUseEverySupervisorRouteAndAnAdminEveryRoute() async throws {
        try await TestServer.run { server in
            let tenant = try await makeTenant(server)
            let sue = try await server.signIn("sue")
            for rule in AdminAccess.rules where rule.role == .supervisor {
                let key = "\(rule.method.rawValue) \(rule.path)"
                let answer = try await sue.request(rule.method, tenant.path(rule.path), Self.bodies[key])
                #expect(![.unauthorized, .forbidden].contains(answer.status), "\(key): \(answer.status) \(answer.json)")
                #expect(answer.status.code < 500, "\(key): \(answer.status) \(answer.json)")
            }
            let ada = try await server.signIn("ada")
            // Deletions last, so each route still finds what it names.
            for rule in AdminAccess.rules.sorted(by: { ($0.method == .delete ? 1 : 0) < ($1.method == .delete ? 1 : 0) }) {
                let key = "\(rule.method.rawValue) \(rule.path)"
                let answer = try await ada.request(rule.method, tenant.path(rule.path), Self.bodies[key])
                #expect(![.unauthorized, .forbidden].contains(answer.status), "\(key): \(answer.status) \(answer.json)")
                #expect(answer.status.code < 500, "\(key): \(answer.status) \(answer.json)")
            }
        }
    }

    @Test func changesWithACookieNeedTheCSRFTokenAndAreRefusedWithoutIt() async throws {
        try await TestServer.run { server in
            let tenant = try await makeTenant(server)
            let sue = try await server.signIn("sue")
            let ada = try await server.signIn("ada")
            let before = try await everything(server)
            let end = "/api/v1/sessions/\(tenant.sessionId)/end"
            let changes: [(SupervisorBrowser, HTTPRequest.Method, String, String?)] = [
                (sue, .post, end, "{}"),
                (sue, .put, "/api/v1/agents/alice/status", #"{"status":"rest"}"#),
                (ada, .put, "/api/v1/skill-groups/sales", #"{"name":"Renamed"}"#),
                (ada, .delete, "/api/v1/supervisors/target", nil),
                (ada, .put, "/api/v1/supervisors/target/password", #"{"password":"a new password"}"#),
            ]
            for (browser, method, path, body) in changes {
                let missing = try await browser.request(method, path, body, csrf: .none)
                #expect(missing.status == .forbidden && missing.json.errorCode == "csrfTokenMissing", "\(method) \(path): \(missing.json)")
                #expect(missing.json.errorMessage.contains("X-CSRF-Token") && missing.json.errorMessage.contains("nothing changed"))
                let wrong = try await browser.request(method, path, body, csrf: .wrong)
                #expect(wrong.status == .forbidden && wrong.json.errorCode == "csrfTokenInvalid", "\(method) \(path): \(wrong.json)")
                // Another session's token is wrong too.
                let other = browser.cookie == sue.cookie ? ada : sue
                var headers: HTTPFields = [.cookie: browser.cookie, .csrfToken: other.csrfToken]
                headers[.contentType] = "application/json"
                #expect(try await server.http(method, path, headers: headers, body: body).json.errorCode == "csrfTokenInvalid")
            }
            #expect(try await everything(server) == before, "a request without the CSRF token changed something")
            #expect(try await server.api(.get, "/api/v1/sessions/\(tenant.sessionId)").json["state"].string != "ended")
            // Reads need only the cookie; with the token, the change goes through.
            #expect(try await sue.request(.get, "/api/v1/sessions/\(tenant.sessionId)", csrf: .none).status == .ok)
            #expect(try await sue.request(.post, end, "{}").status == .ok)
            #expect(try await server.api(.get, "/api/v1/sessions/\(tenant.sessionId)").json["closeBy"].string == "admin")
        }
    }

    @Test func theKeyStillOpensEveryRouteAndDecidesWhenBothAreSent() async throws {
        try await TestServer.run { server in
            _ = try await makeTenant(server)
            let sue = try await server.signIn("sue")
            // A provisioning script with the key is never asked for a CSRF token or a role.
            let withKey = try await server.http(
                .post, "/api/v1/skill-groups", headers: [.authorization: "Bearer \(TestServer.adminKey)", .cookie: sue.cookie],
                body: #"{"id":"by-script"}"#)
            #expect(withKey.status == .created)
            let wrongKey = try await server.http(.get, "/api/v1/queues", headers: [.authorization: "Bearer wrong-key", .cookie: sue.cookie])
            #expect(wrongKey.status == .unauthorized && wrongKey.json.errorMessage.contains("not valid"))
            let noCookie = try await server.http(.get, "/api/v1/queues")
            #expect(noCookie.status == .unauthorized && noCookie.json.errorMessage.contains("POST /api/v1/auth/session"))
            let madeUp = try await server.http(.get, "/api/v1/queues", headers: [.cookie: "switchboard_supervisor=made-up"])
            #expect(madeUp.status == .unauthorized && madeUp.json.errorMessage.contains("sign in again"))
        }
    }
}
