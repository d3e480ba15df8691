import Hummingbird
import Logging

/// Logs each request's method and path, at `debug`, with the values of its query parameters
/// replaced by `***`.
///
/// Hummingbird's `LogRequestsMiddleware` logs the whole URI. A query string may carry a secret:
/// TCCC integrations load the SDK from an `SdkURL` with the agent's `token` in it, and a client
/// may put anything in a query. The parameter names are kept; they are what a person debugging
/// needs (`unknownParameter` answers name them too). Headers are never logged.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.debug("Request", metadata: [
            "hb.request.path": .string(Self.redacted(path: request.uri.path, query: request.uri.query)),
            "hb.request.method": .string(request.method.rawValue),
        ])
        return try await next(request, context)
    }

    /// `path?name=***&other=***`: the path and the query's parameter names, no values.
    static func redacted(path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return path }
        let names = query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return pair.contains("=") ? "\(name)=***" : String(name)
        }
        return path + "?" + names.joined(separator: "&")
    }
}
