import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardStore

/// `/api/v1/auth/session`: supervisors sign in with a password, the page asks who is signed in
/// (after a reload, for the CSRF token it keeps only in memory), and signs out.
///
/// These routes sit outside the admin key check: signing in is how a person without the key
/// gets in. The cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page
/// sends it), `Path=/`, and `Secure` when the server speaks TLS or `--secure-cookies` says so.
/// See docs/security.md ("Supervisor accounts").
enum SignInRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        let auth = router.group("/api/v1/auth")
        let supervisors = server.supervisorSessions

        auth.post("/session") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(SignInBody.self, from: request)
            guard !body.userId.isEmpty, body.userId.count <= 128 else {
                throw APIError.invalid("field 'userId' must be 1 to 128 characters, not \(body.userId.count)")
            }
            guard !body.password.isEmpty, body.password.count <= 128 else {
                throw APIError.invalid("field 'password' must be 1 to 128 characters, not \(body.password.count)")
            }
            // The client's address (the one a trusted proxy forwarded), as agent logins count it.
            let address = context.clientAddress
            let signedIn: (secret: String, session: SupervisorSessions.SignedIn)
            do throws(AuthenticationFailure) {
                signedIn = try await supervisors.signIn(userId: SupervisorID(body.userId), password: body.password, from: address)
            } catch {
                server.logger.info("supervisor sign-in refused", metadata: ["userId": "\(body.userId)", "address": "\(address)", "why": "\(error.description)"])
                return try refusal(error, request: request, context: context)
            }
            server.logger.notice("supervisor signed in", metadata: [
                "supervisor": "\(body.userId)", "role": "\(signedIn.session.account.role.rawValue)", "address": "\(address)",
            ])
            var response = try SignedInRepresentation(signedIn.session).response(from: request, context: context)
            response.setCookie(cookie(signedIn.secret, supervisors: supervisors))
            response.headers[.cacheControl] = "no-store"
            return response
        }

        auth.get("/session") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let secret = supervisors.secret(fromCookie: request.cookies[SupervisorSessions.cookieName]?.value)
            guard !secret.isEmpty, let session = try await session(secret, supervisors: supervisors) else {
                var response = try APIError(.unauthorized, code: "notSignedIn",
                                            "no supervisor is signed in here, or the session has ended; sign in with POST /api/v1/auth/session")
                    .response(from: request, context: context)
                if !secret.isEmpty { response.setCookie(expiredCookie(supervisors: supervisors)) }
                return response
            }
            var response = try SignedInRepresentation(session).response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }

        auth.delete("/session") { request, _ -> Response in
            _ = try QueryParameters(request, accepted: [])
            let secret = supervisors.secret(fromCookie: request.cookies[SupervisorSessions.cookieName]?.value)
            // Signing out a live session is a change like any other: it needs the CSRF token, so
            // another page on the site cannot sign the supervisor out. A cookie that opens
            // nothing is only cleared.
            if !secret.isEmpty, try await session(secret, supervisors: supervisors) != nil {
                guard let token = request.headers[AdminAuthMiddleware<ServerRequestContext>.csrfHeader],
                      supervisors.isCSRFToken(token, for: secret) else {
                    throw APIError(.forbidden, code: "csrfTokenInvalid",
                                   "signing out needs this session's CSRF token in '\(SupervisorSessions.csrfHeader)'; still signed in")
                }
                do { try await supervisors.signOut(secret: secret) } catch {
                    throw APIError(.serviceUnavailable, code: "unavailable", "could not sign out (\(error)); still signed in, try again")
                }
            }
            var response = AdminRoutes.noContent
            response.setCookie(expiredCookie(supervisors: supervisors))
            return response
        }
    }

    private static func session(_ secret: String, supervisors: SupervisorSessions) async throws(APIError) -> SupervisorSessions.SignedIn? {
        do { return try await supervisors.session(secret: secret) } catch {
            throw APIError(.serviceUnavailable, code: "unavailable", "could not check the sign-in (\(error)); try again")
        }
    }

    /// The session cookie. Its Max-Age is the session's lifetime; the idle timeout is the
    /// server's to enforce.
    static func cookie(_ secret: String, supervisors: SupervisorSessions) -> Cookie {
        Cookie(
            name: SupervisorSessions.cookieName, value: supervisors.cookieValue(for: secret), maxAge: supervisors.policy.lifetimeSeconds, path: "/",
            secure: supervisors.secureCookie, httpOnly: true, sameSite: .strict)
    }

    /// A cookie that tells the browser to drop the session cookie.
    static func expiredCookie(supervisors: SupervisorSessions) -> Cookie {
        Cookie(name: SupervisorSessions.cookieName, value: "", maxAge: 0, path: "/", secure: supervisors.secureCookie, httpOnly: true, sameSite: .strict)
    }

    /// A refused sign-in as an answer: wrong credentials 401, waits 429, a lock 403, a store
    /// failure 503; `Retry-After` and `retryAfter` whenever waiting helps.
    private static func refusal(_ failure: AuthenticationFailure, request: Request, context: ServerRequestContext) throws -> Response {
        let (status, code): (HTTPResponse.Status, String) = switch failure.reason {
        case .wrongCredentials: (.unauthorized, "wrongCredentials")
        case .tooManyAttempts: (.tooManyRequests, "tooManyAttempts")
        case .locked: (.forbidden, "signInLocked")
        case .unavailable: (.serviceUnavailable, "unavailable")
        case .invalid: (.badRequest, "invalidValue")
        }
        return try APIError(status, code: code, failure.description, retryAfter: failure.retryAfterSeconds).response(from: request, context: context)
    }
}

/// The body of `POST /api/v1/auth/session`.
struct SignInBody: JSONRequestBody {
    var userId: String
    var password: String
    static let fields = ["userId", "password"]
}

/// Who is signed in, and what the page needs to act: the CSRF token and when the session ends.
struct SignedInRepresentation: ResponseEncodable, Sendable {
    var userId: String
    var name: String
    var role: String
    /// Send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE.
    var csrfToken: String
    /// Milliseconds since 1970: when the session ends unless used again, or at the latest.
    var expiresAt: Int64

    init(_ session: SupervisorSessions.SignedIn) {
        userId = session.account.id.rawValue
        name = session.account.name
        role = session.account.role.rawValue
        csrfToken = session.csrfToken
        expiresAt = session.expiresAt.milliseconds
    }
}
