import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// Per-agent actions: memberships, password, login lock, login tokens, status and status history.
extension AdminRoutes {
    static func registerAgentActions(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.put("/agents/{id}/memberships/{skillGroupId}") { request, context -> AgentRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let (id, group) = (AgentID(try RequestInput.pathId("id", context)), SkillGroupID(try RequestInput.pathId("skillGroupId", context)))
            let body = try await RequestInput.body(MembershipLevelBody.self, from: request)
            let level = body.skillLevel ?? Membership().skillLevel
            guard (1...5).contains(level) else { throw APIError.invalid("field 'skillLevel' must be 1 (best) to 5, not \(level)") }
            var profile = try await profile(of: id, server: server)
            _ = try await representation(of: group, server: server)
            profile.memberships[group] = Membership(skillLevel: level)
            try await execute(.upsertAgent(profile), on: server)
            return try await agentRepresentation(id, server: server)
        }

        api.delete("/agents/{id}/memberships/{skillGroupId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let (id, group) = (AgentID(try RequestInput.pathId("id", context)), SkillGroupID(try RequestInput.pathId("skillGroupId", context)))
            var profile = try await profile(of: id, server: server)
            guard profile.memberships.removeValue(forKey: group) != nil else {
                throw APIError.notFound("notMember", "agent \(id) is not a member of skill group \(group)")
            }
            try await execute(.upsertAgent(profile), on: server)
            return noContent
        }

        api.put("/agents/{id}/password") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(PasswordBody.self, from: request)
            try AgentBody.checkPassword(body.password)
            _ = try await agentRepresentation(id, server: server)
            try await setPassword(body.password, for: id, server: server)
            // A new password ends what the old one let in: earlier tokens are refused (durably)
            // and the agent's connections close; its SDK logs in again with the new password.
            do { try await server.authenticator.revokeTokens(of: id) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "the password was changed, but the agent's earlier tokens could not be revoked (\(error)); send the same request again")
            }
            _ = server.agentHub.disconnectAll(agent: id.rawValue)
            return noContent
        }

        api.post("/agents/{id}/disconnect") { request, context -> DisconnectRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            _ = try await agentRepresentation(id, server: server)
            return DisconnectRepresentation(userId: id.rawValue, closedConnections: server.agentHub.disconnectAll(agent: id.rawValue))
        }
        api.post("/agents/{id}/tokens/revoke") { request, context -> RevocationRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            _ = try await agentRepresentation(id, server: server)
            let before = Timestamp.now()
            do { try await server.authenticator.revokeTokens(of: id) } catch { throw APIError.storeFailed(error) }
            // Connections logged in with a revoked token go too; password logins may come back.
            let closed = server.agentHub.disconnectAll(agent: id.rawValue)
            return RevocationRepresentation(userId: id.rawValue, revokedBefore: before.milliseconds, closedConnections: closed)
        }
        api.get("/agents/{id}/login-lock") { request, context -> LoginLockRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            _ = try await agentRepresentation(id, server: server)
            do { return LoginLockRepresentation(userId: id.rawValue, try await server.authenticator.loginLockState(of: id)) } catch {
                throw APIError.storeFailed(error)
            }
        }
        api.delete("/agents/{id}/login-lock") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            _ = try await agentRepresentation(id, server: server)
            do { try await server.authenticator.unlockLogins(of: id) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not lift the lock (\(error)); \(storeRetryAdvice(error))")
            }
            server.logger.notice("agent login lock lifted", metadata: ["agent": "\(id)"])
            return noContent
        }
        api.post("/agents/{id}/tokens") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(TokenBody.self, from: request)
            if let lifetime = body.lifetimeSeconds, !(60...86_400).contains(lifetime) {
                throw APIError.invalid("field 'lifetimeSeconds' must be 60 to 86400, not \(lifetime)")
            }
            _ = try await agentRepresentation(id, server: server)
            let issued: (token: String, expiresAt: Date)
            do { issued = try await server.authenticator.issueToken(for: id, lifetime: body.lifetimeSeconds) } catch {
                throw APIError(.internalServerError, code: "internalError", "could not sign the token (\(error))")
            }
            let token = TokenRepresentation(
                token: issued.token, userId: id.rawValue, expiresAt: Int64((issued.expiresAt.timeIntervalSince1970 * 1000).rounded(.down)))
            var response = try token.response(from: request, context: context)
            response.status = .created
            response.headers[.cacheControl] = "no-store"
            return response
        }

        api.put("/agents/{id}/status") { request, context -> AgentRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = AgentID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(StatusBody.self, from: request)
            _ = try await agentRepresentation(id, server: server)
            try await execute(.adminSetStatus(id, status: body.status, restReason: body.restReason), on: server)
            return try await agentRepresentation(id, server: server)
        }

        api.get("/agents/{id}/status-history") { request, context -> Page<StatusRecordRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            let id = AgentID(try RequestInput.pathId("id", context))
            // The store reads the newest changes first with a limit and no offset, at most 500.
            if page.offset + page.limit > PageRequest.maximumLimit {
                throw APIError.invalid("the newest \(PageRequest.maximumLimit) status changes can be read: offset + limit must be at most \(PageRequest.maximumLimit), not \(page.offset + page.limit)")
            }
            _ = try await agentRepresentation(id, server: server)
            let wanted = min(page.offset + page.limit + 1, PageRequest.maximumLimit)
            let records: [StatusRecord]
            do { records = try await server.store.statusHistory(of: id, limit: wanted) } catch { throw APIError.storeFailed(error) }
            let items = records.dropFirst(page.offset).prefix(page.limit).map(StatusRecordRepresentation.init)
            let complete = records.count < wanted
            return Page(items: Array(items), total: complete ? records.count : nil, limit: page.limit, offset: page.offset,
                        hasMore: records.count > page.offset + page.limit)
        }
    }

    private static func profile(of id: AgentID, server: ServerComponents) async throws(APIError) -> AgentProfile {
        guard let profile = await server.routing.read({ $0.agents[id]?.profile }) else {
            throw APIError.notFound("unknownAgent", "agent \(id) does not exist")
        }
        return profile
    }
}

/// `PUT /api/v1/agents/{id}/memberships/{skillGroupId}`; an empty body means level 3.
struct MembershipLevelBody: JSONRequestBody {
    var skillLevel: Int?
    static let fields = ["skillLevel"]
    static let emptyMeansEmptyObject = true
}

/// `PUT /api/v1/agents/{id}/password`.
struct PasswordBody: JSONRequestBody {
    var password: String
    static let fields = ["password"]
}

/// `POST /api/v1/agents/{id}/tokens`; an empty body means the configured lifetime.
struct TokenBody: JSONRequestBody {
    var lifetimeSeconds: Int?
    static let fields = ["lifetimeSeconds"]
    static let emptyMeansEmptyObject = true
}

/// `PUT /api/v1/agents/{id}/status`: the same statuses as `Agent.setStatus`, case-insensitive.
struct StatusBody: JSONRequestBody {
    var status: String
    var restReason: String?
    static let fields = ["status", "restReason"]
}

/// What `POST /agents/{id}/disconnect` did.
struct DisconnectRepresentation: ResponseEncodable {
    var userId: String
    var closedConnections: Int
}

/// What `POST /agents/{id}/tokens/revoke` did.
struct RevocationRepresentation: ResponseEncodable {
    var userId: String
    /// Tokens issued before this time (milliseconds) are refused.
    var revokedBefore: Int64
    var closedConnections: Int
}

/// `GET /agents/{id}/login-lock` (and `/supervisors/{id}/login-lock`): the id's password-login
/// lock and recent failures.
struct LoginLockRepresentation: ResponseEncodable {
    var userId: String
    /// Password logins are refused until an admin deletes the lock.
    var locked: Bool
    /// Milliseconds since 1970, when locked.
    @Nullable var lockedAt: Int64?
    /// Failed password logins counted now.
    var recentFailures: Int
    /// Seconds before the next password login may be tried, when it has to wait.
    @Nullable var retryAfterSeconds: Int?

    init(userId: String, _ state: AgentAuthenticator.LoginLockState) {
        self.userId = userId
        locked = state.locked
        lockedAt = state.lockedAt?.milliseconds
        recentFailures = state.recentFailures
        retryAfterSeconds = state.retryAfterSeconds
    }
}
