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
struct WebhookSender: Sendable {
    /// How an attempt went.
    struct Result: Sendable {
        /// A 2xx answer.
        var delivered: Bool
        var statusCode: Int?
        /// What went wrong, for the delivery log.
        var error: String?
    }

    let client: HTTPClient
    let policy: WebhookURLPolicy
    let timeoutSeconds: Int

    static func makeClient(timeoutSeconds: Int, concurrency: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: .makeClientConfiguration(), redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(timeoutSeconds)), read: .seconds(Int64(timeoutSeconds))),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration)
    }

    func post(_ request: WebhookRequest, to url: String) async -> Result {
        if let refusal = await addressRefusal(url) { return Result(delivered: false, statusCode: nil, error: refusal) }
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

    /// Why the receiver's host must not be connected to now (it resolves to a non-public
    /// address, or not at all); nil when it may be.
    private func addressRefusal(_ url: String) async -> String? {
        guard !policy.allowPrivateAddresses else { return nil }
        guard let host = URLComponents(string: url)?.host else { return "the URL names no host" }
        let bare = WebhookURLPolicy.literalAddress(host) ?? host
        let addresses: [String]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(bare) }
        } catch {
            return "the host \(host) cannot be resolved: \(error)"
        }
        for address in addresses {
            if let why = policy.refusal(of: address) {
                return "the host \(host) resolves to \(address), \(why); refused without --webhooks-allow-private-addresses"
            }
        }
        return nil
    }

    struct ResolutionError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every address `host` resolves to (getaddrinfo, as the HTTP client resolves it).
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
