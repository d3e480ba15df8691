import Foundation
import HTTPTypes
import Hummingbird

/// Sends each request to the tenant it is for, decided by what the client presents, in this
/// order (docs/tenants.md):
/// 1. `?sdkAppId=` in the URL (SDK sockets, the widget, sign-in pages);
/// 2. the credential: a TCCC key pair's SecretId, an admin API key, the `sdk` claim of an agent
///    token;
/// 3. the supervisor cookie, which names a hosted tenant;
/// 4. otherwise the primary tenant.
///
/// Only where a request goes is decided here; whether it may do anything is decided by that
/// tenant alone, against secrets no other tenant has. The `sdkAppId` query parameter is taken
/// off before a route sees it, so every route accepts it; on a server that hosts one tenant it
/// is ignored, as it always was.
struct TenantDispatch: RouterMiddleware {
    typealias Context = ServerRequestContext

    /// Nil on a server that hosts only the primary tenant.
    let tenants: HostedTenants?

    static let parameter = "sdkAppId"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (request, named) = Self.takingParameter(from: request)
        guard let tenants, !request.uri.path.hasPrefix("/api/operator") else { return try await next(request, context) }
        switch await Self.destination(of: request, named: named, in: tenants) {
        case .primary:
            return try await next(request, context)
        case .hosted(let tenant):
            return try await tenant.responder.respond(to: request, context: context)
        case .unknown(let name):
            throw APIError(.notFound, code: "unknownApplication",
                           "this server hosts no application with SdkAppId '\(name.prefix(40))'; check the sdkAppId in the URL")
        }
    }

    enum Destination {
        case primary
        case hosted(HostedTenants.Tenant)
        case unknown(String)
    }

    static func destination(of request: Request, named: String?, in tenants: HostedTenants) async -> Destination {
        if let named {
            guard let id = Int64(named) else { return .unknown(named) }
            if id == tenants.primary { return .primary }
            return tenants.tenant(id).map(Destination.hosted) ?? .unknown(named)
        }
        let headers = request.headers
        if let authorization = headers[.authorization]?.trimmingCharacters(in: .whitespaces) {
            if authorization.hasPrefix(TC3Signature.algorithm + " ") {
                guard let secretId = try? TC3Authorization.parse(authorization).secretId else { return .primary }
                return await tenants.tenant(withSecretId: secretId).map(Destination.hosted) ?? .primary
            }
        }
        if let credential = AdminAuthMiddleware<Context>.presentedKey(in: headers) {
            if let tenant = tenants.tenant(withAdminKey: credential) { return .hosted(tenant) }
            if let id = agentTokenTenant(credential) { return tenants.tenant(id).map(Destination.hosted) ?? .primary }
        }
        if let cookie = request.cookies[SupervisorSessions.cookieName]?.value,
           let id = SupervisorSessions.split(cookie: cookie).tenant, let tenant = tenants.tenant(id) {
            return .hosted(tenant)
        }
        return .primary
    }

    /// The `sdk` claim of what looks like an agent token, read without checking the signature:
    /// it only chooses the tenant, which then checks the token with its own key.
    static func agentTokenTenant(_ token: String) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count <= 4096 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let sdk = claims["sdk"] as? String else { return nil }
        return Int64(sdk)
    }

    /// The request without its `sdkAppId` query parameter, and that parameter's value.
    static func takingParameter(from request: Request) -> (Request, String?) {
        guard let query = request.uri.query, query.contains(parameter) else { return (request, nil) }
        var named: String?
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { item in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.first.map(String.init)?.removingPercentEncoding == parameter else { return true }
            named = pair.count == 2 ? String(pair[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(pair[1]) : ""
            return false
        }
        guard let named else { return (request, nil) }
        var head = request.head
        head.path = request.uri.path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        return (Request(head: head, body: request.body), named)
    }
}
