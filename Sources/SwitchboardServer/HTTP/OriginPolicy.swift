import HTTPTypes
import Hummingbird

/// Which web origins may call the APIs from a browser and open the SDK sockets.
///
/// `*` (the default) allows every origin: the APIs authenticate by key, token or session secret in
/// headers or frames, never by cookie, so a foreign page gains nothing a script elsewhere would not
/// have. A deployment that embeds the SDK only on its own sites lists them, and then browsers on
/// other origins can neither call the APIs nor open `/ws/agent` and `/ws/customer`.
struct OriginPolicy: Sendable {
    let allowed: [String]

    var allowsAll: Bool { allowed.contains("*") }

    /// Whether a request with this `Origin` header (nil: not from a browser page) may proceed.
    func allows(_ origin: String?) -> Bool {
        guard let origin, !allowsAll else { return true }
        return allowed.contains(origin)
    }

    /// CORS for the APIs: preflights answered, allowed origins echoed, others get no CORS headers
    /// (so the browser blocks the page from reading the answer).
    func middleware<Context: RequestContext>() -> some RouterMiddleware<Context> {
        AllowedOriginCORS<Context>(policy: self)
    }
}

private struct AllowedOriginCORS<Context: RequestContext>: RouterMiddleware {
    let policy: OriginPolicy
    let cors = CORSMiddleware<Context>(
        allowOrigin: .originBased,
        allowHeaders: [.accept, .authorization, .contentType, .origin, HTTPField.Name("X-API-Key")!, HTTPField.Name("X-Session-Secret")!],
        allowMethods: [.get, .post, .put, .delete, .head, .options],
        maxAge: .seconds(600))

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard policy.allows(request.headers[.origin]) else {
            throw APIError(.forbidden, code: "originNotAllowed", "origin '\(request.headers[.origin] ?? "")' is not allowed; see --allowed-origins")
        }
        return try await cors.handle(request, context: context, next: next)
    }
}

/// Serves TypeScript declarations (`tccc.d.ts`) as text: FileMiddleware would call `.ts` an MPEG
/// transport stream.
struct TypeScriptContentType<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if request.uri.path.hasSuffix(".ts"), response.status == .ok {
            response.headers[.contentType] = "application/typescript; charset=utf-8"
        }
        return response
    }
}
