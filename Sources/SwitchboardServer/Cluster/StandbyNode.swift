import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle
import Synchronization
import SwitchboardStore

/// A node that does not hold the routing lease: it listens where the leader would, answers
/// `/healthz` (the process is fine) and `/readyz` with 503 and who leads (so a load balancer's
/// health check sends clients to the leader only), refuses everything else with 503
/// `standby` naming the leader, and asks for the lease until it gets it. It keeps no routing
/// state: on taking over it loads the committed state from the database like a restart does.
public enum StandbyNode {
    /// What taking the lease gave this node.
    public struct Leadership: Sendable {
        public var epoch: Int64
        /// When the request that took the lease was sent: its expiry is no earlier than this plus the lease.
        public var acquiredAt: ContinuousClock.Instant
        /// The port the standby listened on (the leader listens there next), nil if it never had to.
        public var port: Int?
    }

    /// Returns once this node holds the routing lease, or nil when it was told to shut down
    /// (SIGTERM) while standing by. `announce` is called with the port once the standby listens.
    public static func waitForLease(
        configuration: ServerConfiguration, store: any RoutingLeaseStore, settings: ClusterSettings, logger: Logger,
        announce: @escaping @Sendable (Int, RoutingLeaseView?) async -> Void = { _, _ in }
    ) async throws -> Leadership? {
        let asked = ContinuousClock.now
        if let epoch = try await store.tryAcquireLease(
            node: settings.node, address: settings.advertiseURL, durationMilliseconds: settings.leaseMilliseconds) {
            return Leadership(epoch: epoch, acquiredAt: asked, port: nil)
        }
        let boundPort = LockedValue<Int?>(nil)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: StandbyRefusal(store: store))
        router.get("/healthz") { _, _ in ["status": "ok"] }
        router.get("/readyz") { _, _ -> Response in
            let view = try? await store.leaseView()
            return standbyResponse(status: .serviceUnavailable, body: StandbyReadiness(view))
        }
        // As the serving node: idle kept-alive connections do not stay for ever.
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.httpIdleTimeoutSeconds))))
        let app = Application(
            router: router,
            server: try configuration.loadTLSConfiguration().map { try .tls(http1, tlsConfiguration: $0) } ?? http1,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Switchboard"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                boundPort.set(port)
                await announce(port, try? await store.leaseView())
            },
            logger: logger)
        let watcher = LeaseWatcher(store: store, settings: settings, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: app),
                // Taking the lease ends the standby gracefully; its listener closes for the leader's.
                .init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .cancelGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        guard let (epoch, acquiredAt) = watcher.taken.value else { return nil }
        return Leadership(epoch: epoch, acquiredAt: acquiredAt, port: boundPort.value)
    }

    static func standbyResponse(status: HTTPResponse.Status, body: some Encodable) -> Response {
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.retryAfter] = "1"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Asks for the lease until this node gets it, then returns (which ends the standby).
private final class LeaseWatcher: Service {
    let store: any RoutingLeaseStore
    let settings: ClusterSettings
    let logger: Logger
    /// The epoch taken and when it was asked for, once it is.
    let taken = LockedValue<(Int64, ContinuousClock.Instant)?>(nil)

    init(store: any RoutingLeaseStore, settings: ClusterSettings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                do {
                    let asked = ContinuousClock.now
                    if let epoch = try await store.tryAcquireLease(
                        node: settings.node, address: settings.advertiseURL, durationMilliseconds: settings.leaseMilliseconds) {
                        taken.set((epoch, asked))
                        logger.notice("took the routing lease; this node leads now", metadata: ["epoch": "\(epoch)"])
                        return
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("could not ask for the routing lease", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: settings.standbyPollInterval)
            }
        }
    }
}

/// Every request but the health checks: 503 `standby`, naming the leader to go to.
private struct StandbyRefusal: RouterMiddleware {
    typealias Context = BasicRequestContext
    let store: any RoutingLeaseStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" || request.uri.path == "/readyz" { return try await next(request, context) }
        let view = try? await store.leaseView()
        let leader = view?.address ?? view?.holder ?? "another node"
        return try APIError(
            .serviceUnavailable, code: "standby",
            "this node is a standby: the routing leader is \(leader); connect there (or through the load balancer), or retry shortly if it is taking over",
            retryAfter: 1
        ).response(from: request, context: context)
    }
}

/// A standby's `/readyz`.
private struct StandbyReadiness: Encodable {
    var status = "standby"
    var role = "standby"
    var leader: Leader?

    struct Leader: Encodable {
        var node: String?
        var address: String?
        var epoch: Int64
        var leaseExpiresInMilliseconds: Int64
    }

    init(_ view: RoutingLeaseView?) {
        leader = view.map { Leader(node: $0.holder, address: $0.address, epoch: $0.epoch, leaseExpiresInMilliseconds: $0.expiresInMilliseconds) }
    }
}

/// A value shared between tasks and closures.
final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    func set(_ value: Value) { storage.withLock { $0 = value } }
}
