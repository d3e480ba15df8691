import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/api/v1/supervisors`: the accounts that sign in to the supervisor page, their passwords and
/// login locks. Only the API key and `admin` sessions reach these (`AdminAccess`).
extension AdminRoutes {
    static func registerSupervisors(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        let supervisors = server.supervisorSessions

        api.get("/supervisors") { request, _ -> Page<SupervisorRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            do { return page.slice(try await server.store.supervisors().map(SupervisorRepresentation.init)) } catch {
                throw APIError.storeFailed(error)
            }
        }

        api.get("/supervisors/{id}") { request, context -> SupervisorRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return SupervisorRepresentation(try await account(SupervisorID(RequestInput.pathId("id", context)), server: server))
        }

        api.put("/supervisors/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let rawId = try RequestInput.pathId("id", context)
            try RequestInput.checkNewId(rawId, field: "id")
            let id = SupervisorID(rawId)
            let body = try await RequestInput.body(SupervisorBody.self, from: request)
            if let bodyId = body.id, bodyId != rawId {
                throw APIError.invalid("field 'id' is '\(bodyId)' but the path names supervisor \(id); ids cannot be changed")
            }
            try RequestInput.checkName(body.name)
            let role = try RequestInput.enumValue(SupervisorRole.self, body.role, field: "role")
            if let password = body.password { try AgentBody.checkPassword(password) }
            let saved: SavedSupervisor
            do {
                var hash: String?
                if let password = body.password { hash = try await supervisors.hashPassword(password) }
                saved = try await server.store.saveSupervisor(id, name: body.name ?? rawId, role: role, passwordHash: hash, at: Timestamp.now())
            } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not save supervisor \(id) (\(error)); \(storeRetryAdvice(error))")
            }
            if saved.created { supervisors.forgetLoginFailures(of: id) }
            server.logger.notice("supervisor account saved", metadata: [
                "supervisor": "\(id)", "role": "\(role.rawValue)", "created": "\(saved.created)", "passwordSet": "\(body.password != nil)",
            ])
            let representation = SupervisorRepresentation(saved.account)
            guard saved.created else { return try representation.response(from: request, context: context) }
            return try created(representation, at: "/api/v1/supervisors/\(id)", request: request, context: context)
        }

        api.delete("/supervisors/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = SupervisorID(try RequestInput.pathId("id", context))
            let existed: Bool
            do { existed = try await server.store.deleteSupervisor(id) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not delete supervisor \(id) (\(error)); \(storeRetryAdvice(error))")
            }
            guard existed else { throw unknown(id) }
            server.logger.notice("supervisor account deleted; its sessions ended", metadata: ["supervisor": "\(id)"])
            return noContent
        }

        api.put("/supervisors/{id}/password") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = SupervisorID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(PasswordBody.self, from: request)
            try AgentBody.checkPassword(body.password)
            _ = try await account(id, server: server)
            let set: Bool
            do { set = try await server.store.setSupervisorPasswordHash(try await supervisors.hashPassword(body.password), for: id) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not save the password (\(error)); \(storeRetryAdvice(error))")
            }
            // Deleted while the password was being hashed.
            guard set else { throw unknown(id) }
            server.logger.notice("supervisor password set; its sessions ended", metadata: ["supervisor": "\(id)"])
            return noContent
        }

        api.get("/supervisors/{id}/login-lock") { request, context -> LoginLockRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = SupervisorID(try RequestInput.pathId("id", context))
            _ = try await account(id, server: server)
            do { return LoginLockRepresentation(userId: id.rawValue, try await supervisors.loginLockState(of: id)) } catch {
                throw APIError.storeFailed(error)
            }
        }

        api.delete("/supervisors/{id}/login-lock") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = SupervisorID(try RequestInput.pathId("id", context))
            _ = try await account(id, server: server)
            do { try await supervisors.unlockLogins(of: id) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not lift the lock (\(error)); \(storeRetryAdvice(error))")
            }
            server.logger.notice("supervisor login lock lifted", metadata: ["supervisor": "\(id)"])
            return noContent
        }
    }

    private static func account(_ id: SupervisorID, server: ServerComponents) async throws(APIError) -> SupervisorAccount {
        let found: SupervisorAccount?
        do { found = try await server.store.supervisor(id) } catch { throw APIError.storeFailed(error) }
        guard let found else { throw unknown(id) }
        return found
    }

    private static func unknown(_ id: SupervisorID) -> APIError {
        APIError.notFound("unknownSupervisor", "supervisor \(id) does not exist")
    }
}

/// The body of `PUT /api/v1/supervisors/{id}`: name and role replace what was there; a
/// password, when given, is set too (and ends the account's sessions).
struct SupervisorBody: JSONRequestBody {
    var id: String?
    var name: String?
    var role: String
    var password: String?

    static let fields = ["id", "name", "role", "password"]
}

/// A supervisor account as the API shows it; never its hash.
struct SupervisorRepresentation: ResponseEncodable, Sendable {
    var id: String
    var name: String
    var role: String
    /// False: the account cannot sign in until a password is set.
    var hasPassword: Bool
    /// Milliseconds since 1970.
    var createdAt: Int64

    init(_ account: SupervisorAccount) {
        id = account.id.rawValue
        name = account.name
        role = account.role.rawValue
        hasPassword = account.hasPassword
        createdAt = account.createdAt.milliseconds
    }
}
