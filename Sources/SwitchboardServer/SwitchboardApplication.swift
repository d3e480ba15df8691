import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import SwitchboardCore

/// Builds the Hummingbird application: one router for the admin and chat APIs, the operations
/// endpoints and the two WebSocket upgrades, with the routing service as a lifecycle service.
public enum SwitchboardApplication {
    /// The router with every route, for the application and for the OpenAPI test: the primary
    /// tenant's routes, with every request first sent to the tenant it is for (`TenantDispatch`).
    public static func makeRouter(server: ServerComponents) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        let origins = OriginPolicy(allowed: server.configuration.allowedOrigins)
        // First, so limits, logs and errors all see the client's address and get the headers.
        router.add(middleware: ClientAddressMiddleware(resolver: ClientAddressResolver(trustedProxies: server.configuration.trustedProxies)))
        router.add(middleware: SecurityHeaders(
            publicDirectory: server.configuration.publicDirectory, allowedOrigins: server.configuration.allowedOrigins).middleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: origins.middleware())
        // Before every route (a middleware wraps only the routes added after it).
        router.add(middleware: TenantDispatch(tenants: server.hostedTenants))
        if let tenants = server.hostedTenants, let operatorKey = server.configuration.operatorKey {
            OperatorRoutes.register(on: router, tenants: tenants, operatorKey: operatorKey)
        }
        registerTenantRoutes(on: router, server: server, origins: origins)
        ClusterLinkServer.register(on: router, server: server)
        if server.configuration.enableEchoEndpoint {
            // The load generator's floor: the same sockets with no routing behind them.
            router.webSocket("/ws/echo") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message { try await outbound.write(.text(text)) }
                }
            }
        }
        serveFiles(on: router, server: server)
        return router
    }

    /// The routes of a tenant hosted beside the primary one. The primary's router has already
    /// run the shared middlewares (address, headers, log, origins) when it hands a request here.
    static func makeTenantRouter(server: ServerComponents) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        registerTenantRoutes(on: router, server: server, origins: OriginPolicy(allowed: server.configuration.allowedOrigins))
        serveFiles(on: router, server: server)
        return router
    }

    /// The browser SDK and pages, for paths no route takes.
    private static func serveFiles(on router: Router<ServerRequestContext>, server: ServerComponents) {
        if let directory = server.configuration.publicDirectory {
            router.add(middleware: TypeScriptContentType())
            router.add(middleware: FileMiddleware(directory, searchForIndexHtml: true))
        }
    }

    /// Every route one tenant has: its APIs and its two WebSocket upgrades.
    private static func registerTenantRoutes(on router: Router<ServerRequestContext>, server: ServerComponents, origins: OriginPolicy) {
        OperationsRoutes.register(on: router, server: server)
        // After the health checks and metrics (a follower answers those from itself at once).
        router.add(middleware: FollowerReadBarrier(server: server))
        AdminRoutes.register(on: router, server: server)
        ChatRoutes.register(on: router, server: server)
        AttachmentRoutes.register(on: router, server: server)
        AgentHistoryRoutes.register(on: router, server: server)
        AgentCustomerHistoryRoutes.register(on: router, server: server)
        IVRPromptAudioRoutes.register(on: router, server: server)
        SignInRoutes.register(on: router, server: server)
        CloudAPIEndpoint.register(on: router, server: server)
        // Browsers send Origin on WebSocket upgrades too; CORS does not cover them, so check here.
        let upgradeIfAllowed: @Sendable (Request, ServerRequestContext) async throws -> RouterShouldUpgrade = { request, _ in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                throw APIError(.upgradeRequired, code: "upgradeRequired", "this is a WebSocket endpoint: connect with a WebSocket client (see docs/protocol.md)")
            }
            guard origins.allows(request.headers[.origin]) else {
                throw APIError(.forbidden, code: "originNotAllowed", "origin '\(request.headers[.origin] ?? "")' is not allowed; see --allowed-origins")
            }
            return .upgrade([:])
        }
        // Agents' and customers' sockets are served by channel handlers: an idle agent holds no
        // task, a customer one (its protocol's), none of hummingbird-websocket's.
        router.nativeWebSocket("/ws/agent", shouldUpgrade: upgradeIfAllowed) { _, context in
            AgentSocketConnection.starter(server: server, address: context.clientAddress)
        }
        router.nativeWebSocket("/ws/customer", shouldUpgrade: upgradeIfAllowed) { _, context in
            CustomerSocketConnection.starter(server: server, address: context.clientAddress)
        }
    }

    /// Connections the kernel may hold completed for the server to accept (Linux caps it at
    /// `net.core.somaxconn`, 4096 by default). Hummingbird's 256 overflowed under bursts of
    /// thousands of connections a second: the kernel then drops the handshake's last packet,
    /// the client believes it is connected and its request waits for the SYN-ACK's retries
    /// (1, 3, 7 s and on), up to a minute (docs/benchmarks.md, "Overload").
    static let listenBacklog = 4096
    /// Connections accepted each time the listening socket is readable.
    static let acceptsPerRead: UInt = 64

    /// The application, ready to run (`runService()`) or test. With `server.tls` it speaks only
    /// HTTPS and WSS: TLS wraps the whole connection, so the WebSocket upgrade happens inside it.
    public static func make(
        server: ServerComponents, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = makeRouter(server: server)
        let webSocket = WebSocketServerConfiguration(
            maxFrameSize: AgentSocket.hardMessageLimit, autoPing: .enabled(timePeriod: .seconds(30)))
        // Idle clients cannot hold the server's sockets: a kept-alive HTTP connection with no
        // request for a minute is closed (nginx keeps one 75 s; browsers reconnect unnoticed),
        // and a new connection must send its first request's head within 30 s.
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(server.configuration.httpIdleTimeoutSeconds)))
        let http = HTTPServerBuilder.switchboard(
            webSocketRouter: router, configuration: .init(http1: http1, ws: webSocket),
            requestHeadTimeout: .seconds(Int64(server.configuration.requestHeadTimeoutSeconds)))
        return Application(
            router: router,
            server: try server.tls.map { try .tls(http, tlsConfiguration: $0) } ?? http,
            configuration: .init(
                address: .hostname(server.configuration.host, port: server.configuration.port), serverName: "Switchboard",
                backlog: Self.listenBacklog),
            // The phone gateway after the routing service: it queues calls into it. The webhook
            // worker last: it only reads what routing committed, and stops first on shutdown.
            // Hosted tenants' services after the primary's, so they stop first.
            // A follower runs those only a leader may (phone, webhooks) once it takes over.
            services: [server.routing, server.overload, MemoryTrimmer(intervalSeconds: server.configuration.memoryTrimIntervalSeconds, logger: server.logger)]
                + (server.phone.map { [LeaderOnly($0, gate: server.leaderGate) as any Service] } ?? [])
                + [LeaderOnly(server.webhookDelivery, gate: server.leaderGate)]
                + (server.hostedTenants.map { [$0 as any Service] } ?? []),
            onServerRunning: { channel in
                // Each time the listening socket is readable, accept up to this many connections
                // (NIO's default is 4): the event loop also serves sockets, and under a burst
                // accepting four at a turn left the kernel's queue full, and clients timing out
                // on a connect nobody answered, not even with "busy" (docs/benchmarks.md, "Overload").
                try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: Self.acceptsPerRead).get()
                await onServerRunning(channel.localAddress?.port ?? 0)
            },
            logger: server.logger)
    }
}
