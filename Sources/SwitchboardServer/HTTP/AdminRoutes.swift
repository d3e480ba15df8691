import Hummingbird
import SwitchboardCore

/// The admin REST API under `/api/v1`, for supervisors, provisioning scripts and load tests.
///
/// Every route needs the admin API key or a signed-in supervisor whose role `AdminAccess` allows
/// (`AdminAuthMiddleware`); the customer chat fallback (`/api/v1/chat/...`, `ChatRoutes`) and the
/// sign-in itself (`/api/v1/auth/session`, `SignInRoutes`) live in groups of their own without it. Changes go through the
/// routing service like every SDK call, so they are journaled, durable when answered, and
/// checked by the same rules: a refused change changes nothing. `docs/admin-api.md` describes
/// the routes for people and `OpenAPIDocument` for programs; `OpenAPITests` keeps both in step.
enum AdminRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        // `SwitchboardApplication` only knows the admin and chat entry points, so the document
        // that describes them is registered here, outside the key check.
        OpenAPIDocument.register(on: router)
        let api = router.group("/api/v1").add(
            middleware: AdminAuthMiddleware(apiKey: server.secrets.adminAPIKey, supervisors: server.supervisorSessions))
        registerSkillGroups(on: api, server: server)
        registerAgents(on: api, server: server)
        registerAgentActions(on: api, server: server)
        registerSessions(on: api, server: server)
        registerAssign(on: api, server: server)
        registerSessionExport(on: api, server: server)
        registerReports(on: api, server: server)
        registerLiveMetrics(on: api, server: server)
        registerMonitors(on: api, server: server)
        registerRecordings(on: api, server: server)
        registerLive(on: api, server: server)
        registerPhoneNumbers(on: api, server: server)
        registerIVRFlows(on: api, server: server)
        registerIVRPrompts(on: api, server: server)
        registerSupervisors(on: api, server: server)
        registerAPIKeys(on: api, server: server)
        registerWebhooks(on: api, server: server)
        registerCannedReplies(on: api, server: server)
        registerAttachments(on: api, server: server)
    }

    /// Runs a routing command, turning a refusal into the API error for its code.
    @discardableResult
    static func execute(_ command: RoutingCommand, on server: ServerComponents) async throws(APIError) -> RoutingReply {
        do {
            return try await server.routing.execute(command)
        } catch {
            throw APIError(error)
        }
    }

    /// Runs a create command. The routing core checks and creates in one step, so of two
    /// simultaneous POSTs with one id exactly one succeeds; the other gets 409 and `message`.
    static func create(
        _ command: RoutingCommand, on server: ServerComponents, refusedAs code: RoutingError.Code, _ message: String
    ) async throws(APIError) {
        do {
            _ = try await server.routing.execute(command)
        } catch {
            if case .refused(let refusal) = error, refusal.code == code { throw APIError(.conflict, code: code.rawValue, message) }
            throw APIError(error)
        }
    }

    /// The time views measure waits against: the wall clock, but never before the core's clock.
    static func now(_ machine: RoutingStateMachine) -> Timestamp { max(Timestamp.now(), machine.clock) }

    /// The `Location` header of a created resource.
    static func created(_ body: some ResponseEncodable, at location: String, request: Request, context: ServerRequestContext) throws -> Response {
        var response = try body.response(from: request, context: context)
        response.status = .created
        response.headers[.location] = location
        return response
    }

    /// A PUT's answer: 201 with `Location` when it created the resource, 200 when it replaced one.
    static func saved(_ body: some ResponseEncodable, created: Bool, at location: String, request: Request, context: ServerRequestContext) throws -> Response {
        created ? try Self.created(body, at: location, request: request, context: context) : try body.response(from: request, context: context)
    }

    /// The answer to a successful DELETE or a change with nothing to report.
    static var noContent: Response { Response(status: .noContent) }
}

extension APIError {
    /// A refused or failed routing command as an API error.
    ///
    /// Unknown ids are 404, conflicts with what exists or with the current state are 409, values
    /// that can never be right are 400, and a store that could not commit is 503 (retry).
    init(_ failure: RoutingService.Failure) {
        switch failure {
        case .refused(let error):
            self.init(Self.status(for: error.code), code: error.code.rawValue, error.message)
        case .unavailable(let why):
            self.init(.serviceUnavailable, code: "unavailable", why)
        }
    }

    static func status(for code: RoutingError.Code) -> HTTPResponse.Status {
        switch code {
        case .unknownAgent, .unknownSession, .unknownSkillGroup, .unknownIVRFlow:
            .notFound
        case .agentExists, .skillGroupExists, .inUse, .statusNotAllowed, .agentOffline, .agentHoldsSessions, .notRinging, .notHeld,
             .sessionRinging, .notWaiting, .transferTargetUnavailable:
            .conflict
        case .invalidConfiguration, .invalidStatus, .transferWithoutTarget, .invalidSession, .invalidConnection:
            .badRequest
        }
    }

    /// 404 for an id in the path that names nothing.
    static func notFound(_ code: String, _ message: String) -> APIError { APIError(.notFound, code: code, message) }

    /// 400 for a value that is not allowed.
    static func invalid(_ message: String) -> APIError { APIError(.badRequest, code: "invalidValue", message) }

    /// 503 for a store read that failed; the request may be retried.
    static func storeFailed(_ error: any Error) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", "could not read the records (\(error)); try again")
    }
}
