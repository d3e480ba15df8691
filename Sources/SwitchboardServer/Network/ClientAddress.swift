import HTTPTypes
import Hummingbird

/// Works out the address a request came from, for connection caps, rate limits, login throttling
/// and logs.
///
/// The peer of the TCP connection is the client unless it is one of the operator's reverse
/// proxies (`--trusted-proxies`). Only then are `Forwarded` (RFC 7239) or, without it,
/// `X-Forwarded-For` read, from the right: each trusted proxy appends the address it received
/// from, so the rightmost address that is not a trusted proxy is the one no client could have
/// written. Everything left of it is whatever the client sent and is ignored.
struct ClientAddressResolver: Sendable {
    private let trusted: [AddressMatcher]

    init(trustedProxies: [String]) {
        trusted = trustedProxies.compactMap(AddressMatcher.init)
    }

    /// Whether forwarding headers are read at all.
    var trustsProxies: Bool { !trusted.isEmpty }

    /// The client's address for a request from `peer` (an IP address as text) with `headers`.
    func clientAddress(peer: String, headers: HTTPFields) -> String {
        guard isTrusted(peer) else { return peer }
        let chain = Self.forwardedFor(headers)
        guard !chain.isEmpty else { return peer }
        for address in chain.reversed() where !isTrusted(address) { return address }
        // Every hop is a trusted proxy: the leftmost is as near the client as anyone knows.
        return chain[0]
    }

    private func isTrusted(_ address: String) -> Bool {
        trusted.contains { $0.matches(address) }
    }

    /// The `for=` addresses of every `Forwarded` element, in order; or, without that header,
    /// the addresses of `X-Forwarded-For`. Ports and IPv6 brackets are stripped; values are cut
    /// to 64 characters so a client cannot put kilobytes into every log line.
    static func forwardedFor(_ headers: HTTPFields) -> [String] {
        let forwarded = headers[values: HTTPField.Name("Forwarded")!]
        if !forwarded.isEmpty {
            var addresses: [String] = []
            for element in forwarded.flatMap({ $0.split(separator: ",") }) {
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
                    addresses.append(normalise(parts[1]))
                }
            }
            return addresses
        }
        return headers[values: HTTPField.Name("X-Forwarded-For")!]
            .flatMap { $0.split(separator: ",") }
            .map(normalise)
            .filter { !$0.isEmpty }
    }

    /// `"[2001:db8::1]:4711"` → `2001:db8::1`; `192.0.2.1:80` → `192.0.2.1`; others as they are.
    private static func normalise(_ raw: Substring) -> String {
        var value = raw.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            value = String(value[value.index(after: value.startIndex)..<close])
        } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
            value = String(value[..<colon])
        }
        return String(value.prefix(64))
    }
}

/// Sets `ServerRequestContext.clientAddress` for every request, WebSocket upgrades included.
struct ClientAddressMiddleware: RouterMiddleware {
    let resolver: ClientAddressResolver

    func handle(_ request: Request, context: ServerRequestContext, next: (Request, ServerRequestContext) async throws -> Response) async throws -> Response {
        guard resolver.trustsProxies else { return try await next(request, context) }
        var context = context
        context.clientAddress = resolver.clientAddress(peer: context.clientAddress, headers: request.headers)
        context.logger[metadataKey: "client"] = "\(context.clientAddress)"
        return try await next(request, context)
    }
}
