import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The browser-side protections on everything the server serves: a Content-Security-Policy,
/// `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and `frame-ancestors`.
///
/// Pages may run only scripts served from this origin plus the inline scripts they were shipped
/// with: those are found when the server starts and allowed by their SHA-256 (so an injected
/// `<script>` or `onclick` runs nowhere, and there is still no build step). Pages can be framed by
/// this origin only, except the customer chat page, which sites on `--allowed-origins` may embed
/// (every site when that is `*`). API answers get a policy that allows nothing at all.
struct SecurityHeaders: Sendable {
    /// The policy of every page: the hashes of all inline scripts found under the public directory.
    private let scriptSources: String
    /// `frame-ancestors` for the embeddable chat page.
    private let chatAncestors: String

    /// Pages under these paths may be embedded by other sites.
    static let embeddablePrefixes = ["/chat/"]

    init(publicDirectory: String?, allowedOrigins: [String]) {
        let hashes = publicDirectory.map(Self.inlineScriptHashes(in:)) ?? []
        scriptSources = (["'self'"] + hashes.sorted().map { "'sha256-\($0)'" }).joined(separator: " ")
        chatAncestors = allowedOrigins.contains("*") ? "*" : (["'self'"] + allowedOrigins).joined(separator: " ")
    }

    /// The Content-Security-Policy of an HTML page at `path`, asked for with `host`.
    func pagePolicy(path: String, host: String?) -> String {
        // 'self' covers same-origin WebSockets in current browsers; the explicit ws/wss origin is
        // for those that still read it as http(s) only. The Host header is the page's own.
        var connect = "'self'"
        if let host, !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:[]".contains($0) }) {
            connect += " ws://\(host) wss://\(host)"
        }
        let embeddable = Self.embeddablePrefixes.contains { path.hasPrefix($0) }
        return [
            "default-src 'self'", "script-src \(scriptSources)", "style-src 'self' 'unsafe-inline'",
            // Avatars are customers' and agents' own URLs.
            "img-src 'self' data: blob: https:", "media-src 'self' blob: data:", "connect-src \(connect)",
            "font-src 'self' data:", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
            "frame-ancestors \(embeddable ? chatAncestors : "'self'")",
        ].joined(separator: "; ")
    }

    /// For JSON and everything else that is not a page: nothing may run or embed it.
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'"

    /// The base64 SHA-256 of every inline `<script>` (one without `src`) in the HTML files under
    /// `directory`, as CSP hash sources want them.
    static func inlineScriptHashes(in directory: String) -> [String] {
        guard let files = FileManager.default.enumerator(atPath: directory) else { return [] }
        var hashes: Set<String> = []
        for case let file as String in files where file.hasSuffix(".html") {
            guard let html = try? String(contentsOfFile: (directory as NSString).appendingPathComponent(file), encoding: .utf8) else { continue }
            for body in inlineScripts(in: html) {
                hashes.insert(Data(SHA256.hash(data: Data(body.utf8))).base64EncodedString())
            }
        }
        return Array(hashes)
    }

    /// The text of each `<script ...>` element without a `src` attribute, exactly as written
    /// (the hash covers every byte between the tags).
    static func inlineScripts(in html: String) -> [String] {
        var scripts: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<script", options: .caseInsensitive) {
            guard let tagEnd = rest[open.upperBound...].firstIndex(of: ">"),
                  let close = rest[rest.index(after: tagEnd)...].range(of: "</script>", options: .caseInsensitive) else { break }
            let attributes = rest[open.upperBound..<tagEnd].lowercased()
            if !attributes.contains("src=") { scripts.append(String(rest[rest.index(after: tagEnd)..<close.lowerBound])) }
            rest = rest[close.upperBound...]
        }
        return scripts
    }

    func middleware<Context: RequestContext>() -> some RouterMiddleware<Context> {
        SecurityHeadersMiddleware<Context>(headers: self)
    }
}

private struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let headers: SecurityHeaders

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            // Errors get the headers too: an error page is a page.
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        let isPage = response.headers[.contentType]?.hasPrefix("text/html") == true
        // A route may set a stricter policy of its own (a chat attachment adds `sandbox`); pages
        // always get the page policy.
        response.headers[.contentSecurityPolicy] = isPage
            ? headers.pagePolicy(path: request.uri.path, host: request.head.authority)
            : response.headers[.contentSecurityPolicy] ?? SecurityHeaders.apiPolicy
        return response
    }
}
