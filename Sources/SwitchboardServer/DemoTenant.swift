import Foundation
import SwitchboardCore
import SwitchboardStore

/// The tenant a first start creates, so a new user can log in an agent, start a chat and watch
/// from the supervisor page at once: two skill groups, three agents and one `admin` supervisor
/// account, all with generated passwords.
public enum DemoTenant {
    /// A demo agent's login.
    public struct Credential: Sendable {
        public var userId: String
        public var name: String
        public var password: String
        public var skillGroups: [String]
    }

    /// The demo supervisor's sign-in (supervisor page).
    public struct SupervisorCredential: Sendable {
        public var userId: String
        public var name: String
        public var password: String
        public var role: String
    }

    /// What a first start created.
    public struct Logins: Sendable {
        /// The agents' logins.
        public var agents: [Credential]
        /// The supervisor page's `admin` account.
        public var supervisor: SupervisorCredential
    }

    /// Creates the tenant unless it was created before in this data directory (a marker file
    /// remembers, so deleting the demo agents does not bring them back). Returns the logins,
    /// or nil when nothing was created.
    public static func createIfNeeded(server: ServerComponents) async throws -> Logins? {
        let marker = (server.configuration.dataDirectory as NSString).appendingPathComponent("demo-credentials.txt")
        if FileManager.default.fileExists(atPath: marker) { return nil }
        let empty = await server.routing.read { $0.agents.isEmpty && $0.skillGroups.isEmpty }
        guard empty else { return nil }

        try await server.routing.execute(.upsertSkillGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 20, wrapUpSeconds: 10)))
        try await server.routing.execute(.upsertSkillGroup(SkillGroup(id: "support", name: "Support", strategy: .leastActive, offerTimeoutSeconds: 20, wrapUpSeconds: 15)))
        let agents: [(String, String, [String: Int])] = [
            ("alice", "Alice", ["sales": 1, "support": 2]),
            ("bob", "Bob", ["sales": 2]),
            ("carol", "Carol", ["support": 1]),
        ]
        var credentials: [Credential] = []
        for (id, name, groups) in agents {
            let memberships = Dictionary(uniqueKeysWithValues: groups.map { (SkillGroupID($0.key), Membership(skillLevel: $0.value)) })
            try await server.routing.execute(.upsertAgent(AgentProfile(id: AgentID(id), name: name, memberships: memberships)))
            let password = "\(id)-" + ServerSecrets.randomToken(bytes: 6)
            try await server.authenticator.setPassword(password, for: AgentID(id))
            credentials.append(Credential(userId: id, name: name, password: password, skillGroups: groups.keys.sorted()))
        }
        // An admin, so the supervisor page is usable without the API key; it can create others.
        let supervisor = SupervisorCredential(
            userId: "admin", name: "Demo Admin", password: "admin-" + ServerSecrets.randomToken(bytes: 9), role: SupervisorRole.admin.rawValue)
        try await server.store.saveSupervisor(
            SupervisorID(supervisor.userId), name: supervisor.name, role: .admin,
            passwordHash: try await server.supervisorSessions.hashPassword(supervisor.password), at: Timestamp.now())
        let agentLines = credentials.map { "\($0.userId)\t\($0.password)\t\($0.skillGroups.joined(separator: ","))" }
        let text = (["# userId\tpassword\tskill groups"] + agentLines + [
            "# supervisor page (/supervisor/): userId\tpassword\trole",
            "\(supervisor.userId)\t\(supervisor.password)\t\(supervisor.role)",
        ]).joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: marker, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("cannot write \(marker); is the data directory writable?")
        }
        return Logins(agents: credentials, supervisor: supervisor)
    }
}
