import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Lets a request through only with the admin API key, as `Authorization: Bearer <key>` or
/// `X-API-Key: <key>` (the second for tools that reserve `Authorization` for a proxy).
///
/// Both sides are hashed before the comparison so neither where they differ nor how long the
/// key is shows in the time taken. A refusal says which of the two problems it was (no key or a
/// wrong one) because the person debugging a script needs to know, and it gives nothing away.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    static var apiKeyHeader: HTTPField.Name { HTTPField.Name("X-API-Key")! }

    private let keyDigest: String

    init(apiKey: String) { keyDigest = Self.digest(apiKey) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = Self.presentedKey(in: request.headers) else {
            return try refusal(
                APIError(.unauthorized, code: "unauthorized",
                         "this endpoint needs the admin API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"),
                request: request, context: context)
        }
        guard constantTimeEquals(Self.digest(presented), keyDigest) else {
            return try refusal(
                APIError(.unauthorized, code: "unauthorized", "the admin API key is not valid"),
                request: request, context: context)
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
