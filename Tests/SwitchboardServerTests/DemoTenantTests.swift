import Foundation
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// A first start's demo tenant: agents who can log in and an `admin` supervisor who can sign in
/// to the supervisor page, with every password in `demo-credentials.txt`.
@Suite("Demo tenant")
struct DemoTenantTests {
    @Test func aFirstStartCreatesAgentsAndAnAdminSupervisorWhoseLoginsWork() async throws {
        try await TestServer.run { server in
            let logins = try #require(try await DemoTenant.createIfNeeded(server: server.components))
            #expect(logins.agents.map(\.userId) == ["alice", "bob", "carol"])
            #expect(logins.supervisor.userId == "admin" && logins.supervisor.role == "admin")

            let path = server.components.configuration.dataDirectory + "/demo-credentials.txt"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("alice\t\(logins.agents[0].password)\t"))
            #expect(text.contains("admin\t\(logins.supervisor.password)\tadmin\n"))
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600, "the file holds passwords: its owner's only")

            let supervisor = try await server.signIn("admin", password: logins.supervisor.password)
            #expect(supervisor.signedIn["role"].string == "admin")
            #expect(try await supervisor.request(.get, "/api/v1/supervisors").json["items"].array.map { $0["id"].string } == ["admin"])
            let agent = try await TestAgent.connect(port: server.port)
            try await agent.login(userId: "alice", password: logins.agents[0].password)

            // The marker file keeps a second start from creating anything again.
            #expect(try await DemoTenant.createIfNeeded(server: server.components) == nil)
        }
    }
}
