import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/api/v1/agents`: create, list, read, replace and delete agents.
extension AdminRoutes {
    static func registerAgents(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/agents") { request, _ -> Page<AgentRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["status", "skillGroupId"])
            let page = try query.page()
            let status = try query.choice("status", AgentStatus.allCases.map(\.rawValue)).flatMap(AgentStatus.init(rawValue:))
            let group = try query.string("skillGroupId").map(SkillGroupID.init)
            let found: Page<AgentRepresentation>? = await server.routing.read { machine in
                if let group, machine.skillGroups[group] == nil { return nil }
                let agents = machine.agents.keys.sorted().compactMap { machine.agents[$0] }
                    .filter { status == nil || $0.status == status }
                    .filter { group == nil || $0.profile.memberships[group!] != nil }
                return page.slice(agents.map(AgentRepresentation.init))
            }
            guard let found else {
                throw APIError(.badRequest, code: "unknownSkillGroup", "query parameter 'skillGroupId': skill group \(group!) does not exist")
            }
            return found
        }

        api.post("/agents") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(AgentBody.self, from: request)
            guard let rawId = body.id else { throw APIError(.badRequest, code: "invalidBody", "field 'id' is required") }
            try RequestInput.checkNewId(rawId, field: "id")
            let id = AgentID(rawId)
            if let password = body.password { try AgentBody.checkPassword(password) }
            let profile = try await body.profile(id: id, server: server)
            try await create(.createAgent(profile), on: server, refusedAs: .agentExists, "agent \(id) already exists; change it with PUT /api/v1/agents/\(id)")
            server.authenticator.forgetLoginFailures(of: id)
            if let password = body.password { try await setPassword(password, for: id, server: server) }
            return try created(try await agentRepresentation(id, server: server), at: "/api/v1/agents/\(id)", request: request, context: context)
        }

        api.get("/agents/{id}") { request, context -> AgentRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return try await agentRepresentation(AgentID(RequestInput.pathId("id", context)), server: server)
        }

        api.put("/agents/{id}") { request, context -> AgentRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(AgentBody.self, from: request)
            if let bodyId = body.id, bodyId != id.rawValue {
                throw APIError.invalid("field 'id' is '\(bodyId)' but the path names agent \(id); ids cannot be changed")
            }
            if body.password != nil {
                throw APIError.invalid("field 'password' is not set here; use PUT /api/v1/agents/\(id)/password")
            }
            _ = try await agentRepresentation(id, server: server)
            try await execute(.upsertAgent(try await body.profile(id: id, server: server)), on: server)
            return try await agentRepresentation(id, server: server)
        }

        api.delete("/agents/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            try await deleteAgent(AgentID(try RequestInput.pathId("id", context)), server: server)
            return noContent
        }
    }

    /// Deletes an offline agent with its credentials; the TCCC API's `DeleteStaff` does the same.
    static func deleteAgent(_ id: AgentID, server: ServerComponents) async throws(APIError) {
        let agent = try await agentRepresentation(id, server: server)
        if agent.status != "offline" {
            throw APIError(.conflict, code: "inUse", "agent \(id) is \(agent.status): it must be offline (Agent.offline()) before it is deleted")
        }
        // Every token issued so far is refused from now on, durably, before the agent goes:
        // an agent created later under the same id inherits none of them.
        do { try await server.authenticator.revokeTokens(of: id) } catch { throw APIError.storeFailed(error) }
        try await execute(.removeAgent(id), on: server)
        // The store keeps credentials by id; overwrite the hash with one bcrypt never
        // matches, so an agent created later under the same id does not inherit the password.
        try? await server.store.setPasswordHash("!", for: id)
        // Its personal canned replies go with it (an agent created later under the id starts with none).
        try? await server.store.deleteCannedReplies(of: .agent(id))
        // An offline agent may still have its SDK connected: those sockets go now.
        _ = server.agentHub.disconnectAll(agent: id.rawValue)
    }

    /// The agent as the API shows it, or 404.
    static func agentRepresentation(_ id: AgentID, server: ServerComponents) async throws(APIError) -> AgentRepresentation {
        guard let found = await server.routing.read({ $0.agents[id].map(AgentRepresentation.init) }) else {
            throw APIError.notFound("unknownAgent", "agent \(id) does not exist")
        }
        return found
    }

    static func setPassword(_ password: String, for agent: AgentID, server: ServerComponents) async throws(APIError) {
        do { try await server.authenticator.setPassword(password, for: agent) } catch {
            throw APIError(.serviceUnavailable, code: "unavailable", "could not save the password (\(error)); try again")
        }
    }
}

/// The body of `POST` and `PUT /api/v1/agents`. PUT replaces the profile: left-out fields take
/// their defaults (name = id, no im capacity of its own, no memberships).
struct AgentBody: JSONRequestBody {
    struct MembershipBody: Decodable {
        var skillGroupId: String
        var skillLevel: Int?
    }

    var id: String?
    var name: String?
    var imCapacity: Int?
    var memberships: [MembershipBody]?
    var password: String?

    static let fields = ["id", "name", "imCapacity", "memberships", "password"]
    static let nestedFields = ["memberships": ["skillGroupId", "skillLevel"]]

    static func checkPassword(_ password: String) throws(APIError) {
        guard (8...128).contains(password.count) else {
            throw APIError.invalid("field 'password' must be 8 to 128 characters, not \(password.count)")
        }
    }

    /// The profile, with every membership checked: each group once, existing, level 1–5.
    func profile(id: AgentID, server: ServerComponents) async throws(APIError) -> AgentProfile {
        try RequestInput.checkName(name)
        if let imCapacity, !(1...100).contains(imCapacity) {
            throw APIError.invalid("field 'imCapacity' must be 1 to 100, not \(imCapacity)")
        }
        var result: [SkillGroupID: Membership] = [:]
        let groups = await server.routing.read { Set($0.skillGroups.keys) }
        for (index, membership) in (memberships ?? []).enumerated() {
            let field = "memberships[\(index)]"
            let group = SkillGroupID(membership.skillGroupId)
            guard groups.contains(group) else {
                throw APIError(.badRequest, code: "unknownSkillGroup", "field '\(field).skillGroupId': skill group \(group) does not exist")
            }
            if result[group] != nil { throw APIError.invalid("field '\(field).skillGroupId': skill group \(group) is listed twice") }
            let level = membership.skillLevel ?? Membership().skillLevel
            guard (1...5).contains(level) else {
                throw APIError.invalid("field '\(field).skillLevel' must be 1 (best) to 5, not \(level)")
            }
            result[group] = Membership(skillLevel: level)
        }
        return AgentProfile(id: id, name: name, memberships: result, imCapacity: imCapacity)
    }
}
