import Foundation
import HTTPTypes
import Synchronization
import Testing
import SwitchboardProtocol
import SwitchboardServer
import SwitchboardTestSupport

/// Several tenants in one server (`--operator-key`): the operator API, every credential of one
/// tenant refused by another, the same ids in two tenants being two things, and hosted tenants
/// surviving a restart.
@Suite struct TenantHostingTests {
    static let operatorKey = "operator-key-0123456789"
    static let primary: Int64 = 1_400_000_000
    static let hosted: Int64 = 1_400_000_777

    static func hosting(_ configuration: inout ServerConfiguration) { configuration.operatorKey = operatorKey }

    @Test func theOperatorAPICreatesAndListsTenantsAndRefusesBadInput() async throws {
        try await TestServer.run(configure: Self.hosting) { server in
            let operatorKey: HTTPFields = [.authorization: "Bearer \(Self.operatorKey)"]
            // Not with a tenant's admin key, not without a key.
            #expect(try await server.api(.get, "/api/operator/tenants").status == .unauthorized)
            #expect(try await server.http(.get, "/api/operator/tenants").status == .unauthorized)

            let created = try await server.http(.post, "/api/operator/tenants", headers: operatorKey, body: #"{"sdkAppId":\#(Self.hosted),"name":"Acme"}"#)
            #expect(created.status == .created, "\(created.json)")
            #expect(created.headers[.location] == "/api/operator/tenants/\(Self.hosted)")
            #expect(created.json["name"].string == "Acme")
            #expect((created.json["adminAPIKey"].string ?? "").hasPrefix("sbk_"))

            for (body, code) in [
                (#"{"sdkAppId":\#(Self.hosted),"name":"Again"}"#, "tenantExists"),
                (#"{"sdkAppId":\#(Self.primary),"name":"Primary"}"#, "tenantExists"),
                (#"{"sdkAppId":0,"name":"Zero"}"#, "invalidValue"),
                (#"{"sdkAppId":5000000000,"name":"Too big"}"#, "invalidValue"),
                (#"{"sdkAppId":1400000001,"name":" padded "}"#, "invalidValue"),
                (#"{"sdkAppId":1400000001}"#, "invalidBody"),
                (#"{"sdkAppId":1400000001,"name":"X","adminAPIKey":"mine"}"#, "unknownField"),
            ] {
                let refused = try await server.http(.post, "/api/operator/tenants", headers: operatorKey, body: body)
                #expect(refused.json.errorCode == code, "\(body): \(refused.status) \(refused.json)")
            }
            let list = try await server.http(.get, "/api/operator/tenants", headers: operatorKey)
            #expect(list.json["primary"].int == Int(Self.primary))
            #expect(list.json["tenants"].array.map { $0["sdkAppId"].int } == [Int(Self.hosted)], "refused creations made nothing")
            #expect(!list.json["tenants"][0]["adminAPIKey"].exists, "the key is shown only when created")
            #expect(try await server.http(.get, "/api/operator/tenants/\(Self.hosted)", headers: operatorKey).json["name"].string == "Acme")
            #expect(try await server.http(.get, "/api/operator/tenants/1400000001", headers: operatorKey).json.errorCode == "unknownApplication")
        }
    }

    @Test func eachTenantSeesOnlyItsOwnDataAndRefusesTheOthersCredentials() async throws {
        try await TestServer.run(configure: Self.hosting) { server in
            let hostedKey = try await createTenant(server)
            let hosted: HTTPFields = [.authorization: "Bearer \(hostedKey)"]
            // The same ids in both tenants are two different things.
            try await server.createGroup(#"{"id":"sales","name":"Primary sales"}"#)
            try await server.createAgent(#"{"id":"alice","name":"Alice of the primary","memberships":[{"skillGroupId":"sales"}],"password":"pw-primary-alice"}"#)
            #expect(try await server.http(.post, "/api/v1/skill-groups", headers: hosted, body: #"{"id":"sales","name":"Hosted sales"}"#).status == .created)
            #expect(try await server.http(.post, "/api/v1/agents", headers: hosted,
                                          body: #"{"id":"alice","name":"Alice of Acme","memberships":[{"skillGroupId":"sales"}],"password":"pw-hosted-alice"}"#).status == .created)
            #expect(try await server.api(.get, "/api/v1/agents/alice").json["name"].string == "Alice of the primary")
            #expect(try await server.http(.get, "/api/v1/agents/alice", headers: hosted).json["name"].string == "Alice of Acme")
            #expect(try await server.http(.get, "/api/v1/skill-groups/sales", headers: hosted).json["name"].string == "Hosted sales")

            // A key sent to the other tenant is refused there; a tenant that does not exist is named.
            #expect(try await server.http(.get, "/api/v1/agents?sdkAppId=\(Self.primary)", headers: hosted).status == .unauthorized)
            #expect(try await server.api(.get, "/api/v1/agents?sdkAppId=\(Self.hosted)").status == .unauthorized)
            let unknown = try await server.api(.get, "/api/v1/agents?sdkAppId=1400000999")
            #expect(unknown.status == .notFound && unknown.json.errorCode == "unknownApplication")

            // Passwords: each tenant's alice logs in with her own, on her tenant's socket only.
            let hostedAlice = try await TestAgent.connect(port: server.port, path: "/ws/agent?sdkAppId=\(Self.hosted)")
            try await hostedAlice.login(userId: "alice", password: "pw-hosted-alice")
            let crossed = try await TestAgent.connect(port: server.port, path: "/ws/agent?sdkAppId=\(Self.hosted)")
            await #expect(throws: TestFailure.self) { try await crossed.login(userId: "alice", password: "pw-primary-alice") }

            // Tokens: the hosted tenant's token logs in there and nowhere else.
            let token = try #require(try await server.http(.post, "/api/v1/agents/alice/tokens", headers: hosted, body: "{}").json["token"].string)
            let wrongTenant = try await TestAgent.connect(port: server.port)
            let refusal = await #expect(throws: TestFailure.self) { try await wrongTenant.login(token: token) }
            #expect(refusal?.description.contains("connect with ?sdkAppId=\(Self.hosted)") == true, "\(String(describing: refusal))")
            let rightTenant = try await TestAgent.connect(port: server.port, path: "/ws/agent?sdkAppId=\(Self.hosted)")
            try await rightTenant.login(token: token)
            // Agent HTTP routes find the tenant from the token's claim, without the parameter.
            let history = try await server.http(.get, "/api/v1/agent/sessions", headers: [.authorization: "Bearer \(token)"])
            #expect(history.status == .ok, "\(history.status) \(history.json)")

            // A customer of the hosted tenant reaches its agents and not the primary's.
            _ = try await hostedAlice.request("Agent.online")
            let customer = try await TestCustomer.connect(port: server.port, path: "/ws/customer?sdkAppId=\(Self.hosted)")
            try await customer.start(group: "sales", nickname: "Ann")
            let callIn = try await hostedAlice.socket.next("callIn") { $0["name"]?.string == "callIn" }
            #expect(callIn["data"]?["sessionId"]?.string == customer.sessionId)
            #expect(try await server.http(.get, "/api/v1/sessions/\(customer.sessionId)", headers: hosted).status == .ok)
            #expect(try await server.api(.get, "/api/v1/sessions/\(customer.sessionId)").status == .notFound)
            // Its secret opens nothing in the primary tenant.
            let resumed = try await server.chat(.get, "/sessions/\(customer.sessionId)", secret: customer.secret)
            #expect(resumed.status == .notFound || resumed.status == .forbidden, "\(resumed.status) \(resumed.json)")
            let resumedHere = try await server.chat(.get, "/sessions/\(customer.sessionId)?sdkAppId=\(Self.hosted)", secret: customer.secret)
            #expect(resumedHere.status == .ok, "\(resumedHere.status) \(resumedHere.json)")
        }
    }

    @Test func aSupervisorCookieKeepsTheBrowserInItsTenant() async throws {
        try await TestServer.run(configure: Self.hosting) { server in
            let hostedKey = try await createTenant(server)
            let hosted: HTTPFields = [.authorization: "Bearer \(hostedKey)"]
            #expect(try await server.http(.put, "/api/v1/supervisors/ada", headers: hosted, body: #"{"role":"admin","password":"correct horse battery"}"#).status == .created)
            try await server.createAgent(#"{"id":"primary-only"}"#)
            #expect(try await server.http(.post, "/api/v1/agents", headers: hosted, body: #"{"id":"hosted-only"}"#).status == .created)

            // Without the parameter the sign-in goes to the primary tenant, which has no ada.
            #expect(try await server.signInAnswer("ada", "correct horse battery").status == .unauthorized)
            let signedIn = try await server.http(.post, "/api/v1/auth/session?sdkAppId=\(Self.hosted)",
                                                 body: #"{"userId":"ada","password":"correct horse battery"}"#)
            #expect(signedIn.status == .ok, "\(signedIn.json)")
            let setCookie = try #require(signedIn.headers[.setCookie])
            let cookie = String(setCookie.split(separator: ";")[0])
            #expect(cookie.hasPrefix("switchboard_supervisor=\(Self.hosted)."))
            let agents = try await server.http(.get, "/api/v1/agents", headers: [.cookie: cookie]).json["items"].array.compactMap { $0["id"].string }
            #expect(agents == ["hosted-only"])
            #expect(try await server.http(.get, "/api/v1/auth/session", headers: [.cookie: cookie]).json["userId"].string == "ada")
            // The same secret presented as the primary's cookie opens nothing there.
            let bare = "switchboard_supervisor=" + cookie.split(separator: ".", maxSplits: 1)[1]
            #expect(try await server.http(.get, "/api/v1/agents", headers: [.cookie: bare]).status == .unauthorized)
        }
    }

    @Test func hostedTenantsOpenAgainAfterARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-tenants-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = Mutex<String>("")
        try await TestServer.run(dataDirectory: directory, configure: Self.hosting) { server in
            let hostedKey = try await createTenant(server)
            key.withLock { $0 = hostedKey }
            #expect(try await server.http(.post, "/api/v1/agents", headers: [.authorization: "Bearer \(hostedKey)"], body: #"{"id":"kept"}"#).status == .created)
        }
        // A creation cut short leaves a directory without a record: skipped, not a tenant.
        try FileManager.default.createDirectory(atPath: "\(directory)/tenants/1400000555", withIntermediateDirectories: true)
        try await TestServer.run(dataDirectory: directory, configure: Self.hosting) { server in
            let hosted: HTTPFields = [.authorization: "Bearer \(key.withLock { $0 })"]
            #expect(try await server.http(.get, "/api/v1/agents/kept", headers: hosted).status == .ok)
            let list = try await server.http(.get, "/api/operator/tenants", headers: [.authorization: "Bearer \(Self.operatorKey)"])
            #expect(list.json["tenants"].array.map { $0["sdkAppId"].int } == [Int(Self.hosted)])
            // The interrupted one can be created now.
            let again = try await server.http(.post, "/api/operator/tenants", headers: [.authorization: "Bearer \(Self.operatorKey)"],
                                              body: #"{"sdkAppId":1400000555,"name":"Second try"}"#)
            #expect(again.status == .created, "\(again.json)")
            // What the cut-short creation left was moved aside, not deleted.
            let kept = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/tenants").filter { $0.hasPrefix(".abandoned-1400000555-") }
            #expect(kept.count == 1)
        }
    }

    @Test func withoutAnOperatorKeyTheParameterIsIgnoredAndThereIsNoOperatorAPI() async throws {
        try await TestServer.run { server in
            let ignored = try await server.api(.get, "/api/v1/agents?sdkAppId=123")
            #expect(ignored.status == .ok)
            let operatorAPI = try await server.http(.get, "/api/operator/tenants", headers: [.authorization: "Bearer \(Self.operatorKey)"])
            #expect(operatorAPI.status == .notFound)
        }
    }

    private func createTenant(_ server: TestServer) async throws -> String {
        let created = try await server.http(.post, "/api/operator/tenants", headers: [.authorization: "Bearer \(Self.operatorKey)"],
                                            body: #"{"sdkAppId":\#(Self.hosted),"name":"Acme"}"#)
        return try #require(created.json["adminAPIKey"].string, "\(created.status) \(created.json)")
    }
}
