import Crypto
import Foundation
import Hummingbird

/// `/api/operator/tenants`: the person who runs the server creates and lists the tenants it
/// hosts beside the primary one. Only with `--operator-key`, and only with that key: a tenant's
/// admin API key manages that tenant and nothing above it.
enum OperatorRoutes {
    static func register(on router: Router<ServerRequestContext>, tenants: HostedTenants, operatorKey: String) {
        let api = router.group("/api/operator").add(middleware: OperatorKeyCheck(key: operatorKey))

        api.get("/tenants") { request, _ -> TenantListRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return TenantListRepresentation(
                primary: tenants.primary, tenants: tenants.records.map { TenantRepresentation($0, adminAPIKey: nil) })
        }

        api.post("/tenants") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(TenantBody.self, from: request)
            let (record, adminAPIKey) = try await tenants.create(sdkAppId: body.sdkAppId, name: body.name)
            var response = try TenantRepresentation(record, adminAPIKey: adminAPIKey).response(from: request, context: context)
            response.status = .created
            response.headers[.location] = "/api/operator/tenants/\(record.sdkAppId)"
            response.headers[.cacheControl] = "no-store"
            return response
        }

        api.get("/tenants/{sdkAppId}") { request, context -> TenantRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let text = context.parameters.get("sdkAppId") ?? ""
            guard let id = Int64(text), let tenant = tenants.tenant(id) else {
                throw APIError.notFound("unknownApplication", "this server hosts no tenant with SdkAppId '\(text.prefix(40))'")
            }
            return TenantRepresentation(tenant.record, adminAPIKey: nil)
        }
    }
}

/// Lets a request through with the operator key (`Authorization: Bearer` or `X-API-Key`).
struct OperatorKeyCheck: RouterMiddleware {
    typealias Context = ServerRequestContext
    private let digest: SHA256.Digest

    init(key: String) { digest = SHA256.hash(data: Data(key.utf8)) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = AdminAuthMiddleware<Context>.presentedKey(in: request.headers),
              SHA256.hash(data: Data(presented.utf8)) == digest else {
            var response = try APIError(.unauthorized, code: "unauthorized",
                                        "the operator API needs the operator key (--operator-key) as 'Authorization: Bearer <key>'; a tenant's admin API key is not it")
                .response(from: request, context: context)
            response.headers[.wwwAuthenticate] = #"Bearer realm="switchboard-operator""#
            return response
        }
        return try await next(request, context)
    }
}

/// The body of `POST /api/operator/tenants`.
struct TenantBody: JSONRequestBody {
    var sdkAppId: Int64
    var name: String
    static let fields = ["sdkAppId", "name"]
}

/// A hosted tenant as the operator API shows it; `adminAPIKey` only in the answer that created it.
struct TenantRepresentation: ResponseEncodable, Sendable {
    var sdkAppId: Int64
    var name: String
    /// Milliseconds since 1970, as the admin API gives times.
    var createdAt: Int64
    var adminAPIKey: String?

    init(_ record: TenantRecord, adminAPIKey: String?) {
        sdkAppId = record.sdkAppId
        name = record.name
        createdAt = record.createdAt
        self.adminAPIKey = adminAPIKey
    }
}

struct TenantListRepresentation: ResponseEncodable, Sendable {
    /// The primary tenant's SdkAppId: its data is the data directory itself.
    var primary: Int64
    var tenants: [TenantRepresentation]
}
