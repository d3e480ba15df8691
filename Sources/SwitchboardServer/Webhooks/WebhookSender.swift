import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// POSTs one webhook request and says how it went; never throws. HTTPS certificates are
/// verified against the system's trust store, redirects are not followed (a receiver cannot
/// bounce the server to another address), and each POST has a deadline.
///
/// Unless private addresses are allowed, the receiver's host name is resolved once, every
/// address it resolves to is checked, and the POST connects to the first of them, pinned
/// (``PinnedHTTPClients``): the address checked is the address connected to, so a DNS server
/// that answers differently the second time (DNS rebinding) cannot steer the POST inside.
struct WebhookSender: Sendable {
    /// How an attempt went.
    struct Result: Sendable {
        /// A 2xx answer.
        var delivered: Bool
        var statusCode: Int?
        /// What went wrong, for the delivery log.
        var error: String?
    }

    /// Where a POST may connect.
    enum Route: Equatable, Sendable {
        /// As the URL says: private addresses are allowed, or the host is a literal address that was checked.
        case direct
        /// To `address`, the checked address the host name resolved to.
        case pinned(host: String, address: String)
        /// Nowhere; why.
        case refused(String)
    }

    let client: HTTPClient
    let pinned: PinnedHTTPClients
    let policy: WebhookURLPolicy
    let timeoutSeconds: Int

    init(timeoutSeconds: Int, concurrency: Int, policy: WebhookURLPolicy) {
        let configuration = { @Sendable (dnsOverride: [String: String]) in
            Self.configuration(timeoutSeconds: timeoutSeconds, concurrency: concurrency, dnsOverride: dnsOverride)
        }
        client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration([:]))
        pinned = PinnedHTTPClients(configuration: configuration)
        self.policy = policy
        self.timeoutSeconds = timeoutSeconds
    }

    static func configuration(timeoutSeconds: Int, concurrency: Int, dnsOverride: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: .makeClientConfiguration(), redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(timeoutSeconds)), read: .seconds(Int64(timeoutSeconds))),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.httpVersion = .http1Only
        configuration.dnsOverride = dnsOverride
        return configuration
    }

    /// Shuts the clients down; no POST may be under way.
    func shutdown() async {
        try? await client.shutdown()
        await pinned.shutdown()
    }

    /// POSTs `request` to `url`; nil when `stopped` says, after the address was checked, that no
    /// attempt may start any more (nothing was sent).
    func post(_ request: WebhookRequest, to url: String, unless stopped: @Sendable () -> Bool = { false }) async -> Result? {
        let route = await route(url)
        if stopped() { return nil }
        switch route {
        case .refused(let why): return Result(delivered: false, statusCode: nil, error: why)
        case .direct: return await post(request, to: url, with: client)
        case .pinned(let host, let address):
            return await pinned.with(.init(host: host, address: address)) { client in await post(request, to: url, with: client) }
        }
    }

    /// POSTs through `client` (whose dnsOverride, if any, pins where it connects).
    func post(_ request: WebhookRequest, to url: String, with client: HTTPClient) async -> Result {
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        http.body = .bytes(ByteBuffer(data: request.body))
        do {
            let response = try await client.execute(http, timeout: .seconds(Int64(timeoutSeconds)))
            let code = Int(response.status.code)
            // A few bytes of the answer say why a receiver refused; more is not kept.
            let answer = try? await response.body.collect(upTo: 64 * 1024)
            if (200..<300).contains(code) { return Result(delivered: true, statusCode: code, error: nil) }
            let snippet = answer.map { String(buffer: $0).prefix(200) } ?? ""
            return Result(delivered: false, statusCode: code, error: "the receiver answered HTTP \(code)" + (snippet.isEmpty ? "" : ": \(snippet)"))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return Result(delivered: false, statusCode: nil, error: "no answer within \(timeoutSeconds) s")
        } catch {
            return Result(delivered: false, statusCode: nil, error: "could not POST to the receiver: \(error)")
        }
    }

    /// Where the POST to `url` may connect: resolves its host name once and checks every address.
    func route(_ url: String) async -> Route {
        guard !policy.allowPrivateAddresses else { return .direct }
        // The host as the HTTP client reads it (Foundation's URL), so the pin matches its key.
        guard let host = URL(string: url)?.host, !host.isEmpty else { return .refused("the URL names no host") }
        if let literal = WebhookURLPolicy.literalAddress(host) {
            if let why = policy.refusal(of: literal) {
                return .refused("the host \(host) is \(why); refused without --webhooks-allow-private-addresses")
            }
            return .direct
        }
        let addresses: [String]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host) }
        } catch {
            return .refused("the host \(host) cannot be resolved: \(error)")
        }
        for address in addresses {
            if let why = policy.refusal(of: address) {
                return .refused("the host \(host) resolves to \(address), \(why); refused without --webhooks-allow-private-addresses")
            }
        }
        guard let first = addresses.first else { return .refused("the host \(host) resolves to no address") }
        return .pinned(host: host, address: first)
    }

    struct ResolutionError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every address `host` resolves to (getaddrinfo, as the HTTP client would resolve it).
    static func resolve(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else { throw ResolutionError(description: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if entry.pointee.ai_family == AF_INET {
                var address = entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
                addresses.append(String(cString: buffer))
            } else if entry.pointee.ai_family == AF_INET6 {
                var address = entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
                addresses.append(String(cString: buffer))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
