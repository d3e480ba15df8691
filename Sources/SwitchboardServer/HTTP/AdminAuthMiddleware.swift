import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardStore

/// Lets a request through with the admin API key, or with a signed-in supervisor's cookie whose
/// role `AdminAccess` allows for the route.
///
/// The key comes as `Authorization: Bearer <key>` or `X-API-Key: <key>` (the second for tools
/// that reserve `Authorization` for a proxy) and opens every route: it is for provisioning
/// scripts. Both sides are hashed before the comparison so neither where they differ nor how
/// long the key is shows in the time taken. When a request has both, the key decides.
///
/// A cookie session needs, on every state-changing request, the session's CSRF token in
/// `X-CSRF-Token`: the cookie is SameSite=Strict, so other sites never send it, and the token
/// also refuses forms and links from pages on the same site (the chat widget's host, say),
/// which cannot read it.
///
/// Refusals say which problem it was (no key, a wrong key, a session that ended, a missing or
/// wrong CSRF token, a role too low, naming the role) because the person debugging a script or
/// reading the page needs to know, and none of it gives anything away.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    static var apiKeyHeader: HTTPField.Name { HTTPField.Name("X-API-Key")! }
    static var csrfHeader: HTTPField.Name { HTTPField.Name(SupervisorSessions.csrfHeader)! }

    private let keyDigest: String
    private let supervisors: SupervisorSessions

    init(apiKey: String, supervisors: SupervisorSessions) {
        keyDigest = Self.digest(apiKey)
        self.supervisors = supervisors
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let presented = Self.presentedKey(in: request.headers) {
            guard constantTimeEquals(Self.digest(presented), keyDigest) else {
                return try refusal(APIError(.unauthorized, code: "unauthorized", "the admin API key is not valid"), request: request, context: context)
            }
            return try await next(request, context)
        }
        let secret = supervisors.secret(fromCookie: request.cookies[SupervisorSessions.cookieName]?.value)
        guard !secret.isEmpty else {
            return try refusal(
                APIError(.unauthorized, code: "unauthorized",
                         "this endpoint needs the admin API key (send 'Authorization: Bearer <key>' or 'X-API-Key: <key>') or a supervisor signed in with POST /api/v1/auth/session"),
                request: request, context: context)
        }
        let session: SupervisorSessions.SignedIn?
        do { session = try await supervisors.session(secret: secret) } catch {
            throw APIError(.serviceUnavailable, code: "unavailable", "could not check the sign-in (\(error)); try again")
        }
        guard let session else {
            return try refusal(
                APIError(.unauthorized, code: "unauthorized",
                         "your supervisor session has ended (signed out, timed out, or the password changed); sign in again"),
                request: request, context: context)
        }
        if AdminAccess.changesState(request.method) {
            guard let token = request.headers[Self.csrfHeader], !token.isEmpty else {
                throw APIError(.forbidden, code: "csrfTokenMissing",
                               "a change made with a supervisor session needs its CSRF token in '\(SupervisorSessions.csrfHeader)' (from POST or GET /api/v1/auth/session); nothing changed")
            }
            guard supervisors.isCSRFToken(token, for: secret) else {
                throw APIError(.forbidden, code: "csrfTokenInvalid",
                               "the '\(SupervisorSessions.csrfHeader)' header is not this session's CSRF token (GET /api/v1/auth/session gives it); nothing changed")
            }
        }
        let rule = AdminAccess.rule(for: request.method, path: context.endpointPath ?? request.uri.path)
        guard session.account.role >= rule.role else {
            throw APIError(.forbidden, code: "forbiddenForRole",
                           "supervisor '\(session.account.id)' has role '\(session.account.role.rawValue)', which may not \(request.method.rawValue) \(request.uri.path) (\(rule.why)): that needs role '\(rule.role.rawValue)'; nothing changed")
        }
        return try await next(request, context)
    }

    /// The key from `Authorization: Bearer` (scheme case-insensitive) or `X-API-Key`.
    static func presentedKey(in headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let key = parts[1].trimmingCharacters(in: .whitespaces)
                if !key.isEmpty { return key }
            }
        }
        if let key = headers[apiKeyHeader]?.trimmingCharacters(in: .whitespaces), !key.isEmpty { return key }
        return nil
    }

    private static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A 401 with `WWW-Authenticate`, which HTTP asks for and which tells a client which scheme to use.
    private func refusal(_ error: APIError, request: Request, context: Context) throws -> Response {
        var response = try error.response(from: request, context: context)
        response.headers[.wwwAuthenticate] = #"Bearer realm="switchboard-admin""#
        return response
    }
}
