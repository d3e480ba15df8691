import AsyncHTTPClient
import NIOPosix

/// HTTP clients that connect a host name to one address checked beforehand, so the address the
/// SSRF check approved is the address the POST goes to (no second DNS lookup a rebinding DNS
/// server could answer differently).
///
/// AsyncHTTPClient takes no resolver per request, but its `dnsOverride` maps a host name to the
/// address to connect to while it still sends that name as the Host header and as TLS SNI and
/// verifies the certificate against it. The override is per client, so there is one client per
/// (host, address) pair; each keeps its connections alive between deliveries like the shared one.
/// A client nobody used for a while is shut down when the next one is borrowed.
actor PinnedHTTPClients {
    private struct Entry {
        let client: HTTPClient
        var users = 0
        var lastUsed = ContinuousClock.now
    }

    private var entries: [Pin: Entry] = [:]
    private let configuration: @Sendable ([String: String]) -> HTTPClient.Configuration
    /// How long an unused client is kept for its open connections.
    private let idleLimit = Duration.seconds(120)

    struct Pin: Hashable {
        var host: String
        var address: String
    }

    /// `configuration`: the client configuration for a dnsOverride.
    init(configuration: @escaping @Sendable ([String: String]) -> HTTPClient.Configuration) {
        self.configuration = configuration
    }

    /// Runs `body` with a client whose connections to `pin.host` go to `pin.address`.
    nonisolated func with<T: Sendable>(_ pin: Pin, _ body: @Sendable (HTTPClient) async -> T) async -> T {
        let client = await borrow(pin)
        let result = await body(client)
        await giveBack(pin)
        return result
    }

    private func borrow(_ pin: Pin) -> HTTPClient {
        let now = ContinuousClock.now
        for (key, entry) in entries where entry.users == 0 && now - entry.lastUsed > idleLimit && key != pin {
            entries[key] = nil
            let client = entry.client
            Task { try? await client.shutdown() }
        }
        if entries[pin] == nil {
            entries[pin] = Entry(client: HTTPClient(
                eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration([pin.host: pin.address])))
        }
        entries[pin]!.users += 1
        entries[pin]!.lastUsed = now
        return entries[pin]!.client
    }

    private func giveBack(_ pin: Pin) {
        entries[pin]?.users -= 1
        entries[pin]?.lastUsed = .now
    }

    /// Shuts every client down (the delivery service is stopping; no POST is under way).
    func shutdown() async {
        let clients = entries.values.map(\.client)
        entries = [:]
        for client in clients { try? await client.shutdown() }
    }
}
