import Logging
import NIOPosix
import NIOSSL
import SwitchboardCore
import SwitchboardStore

/// The parts of a running server, built once at start and shared by every route and socket.
///
/// A class, so that the routes, sockets and requests that hold it hold one reference: as a
/// struct (the configuration, the TLS settings, two dozen references) every async function and
/// child task that kept it copied a kilobyte into its frame, and a connected agent's tasks kept
/// the deepest such stack for as long as the connection lived (see docs/benchmarks.md).
public final class ServerComponents: Sendable {
    public let configuration: ServerConfiguration
    public let secrets: ServerSecrets
    public let store: any RoutingStore
    public let routing: RoutingService
    public let agentHub: AgentHub
    public let customerHub: CustomerHub
    public let metrics: ServerMetrics
    public let authenticator: AgentAuthenticator
    /// Supervisors' password sign-ins and cookie sessions.
    public let supervisorSessions: SupervisorSessions
    /// The TCCC server API's key pairs.
    public let apiKeys: CloudAPIKeys
    /// Webhook subscriptions, their sealed secrets, and the worker that sends their outbox.
    public let webhooks: WebhookSubscriptions
    public let webhookDelivery: WebhookDeliveryService
    public let messaging: ChatMessaging
    /// Canned replies, for the admin API and agents.
    public let cannedReplies: CannedReplyBook
    /// Agents' wrap-ups of ended sessions.
    public let wrapUps: SessionWrapUps
    public let calls: CallSignaling
    public let connectionLimiter: ConnectionLimiter
    /// The agents' and customers' sockets, served by channel handlers: closed when routing stops.
    let openSockets = OpenSockets()
    /// Customers' start and message rates.
    let customerAdmission: CustomerAdmission
    /// Turns new customers away while the server is overloaded.
    public let overload: OverloadGuard
    /// The phone channel, when `configuration.phone` turns it on.
    public let phone: PhoneGateway?
    /// Call recordings under the data directory (listed and served even with phone calls off).
    public let recordings: RecordingLibrary
    /// The live floor, computed once a second for all the streams that show it.
    let liveFloors = LiveFloorFeed()
    /// IVR prompts for web calls, whose widget plays a flow's menu (the phone gateway keeps its own
    /// view of the same files).
    let ivrPrompts: IVRPromptLibrary
    /// The TLS settings the server listens with; nil for plain HTTP.
    public let tls: TLSConfiguration?
    public let logger: Logger
    /// Set on a node of several (PostgreSQL with the routing lease): who to tell when it is lost.
    public let leadership: LeadershipSignal?
    /// Open while this node leads (always, alone); a follower's opens when it takes over. The
    /// services only a leader runs wait behind it.
    public let leaderGate: LeaderGate
    /// Delivers frames other nodes relay to the sockets this one holds.
    let relayedFrames: RelayedFrameDelivery
    /// The tenants hosted beside this, the primary one (with `--operator-key`); nil otherwise and
    /// in the hosted tenants themselves.
    public let hostedTenants: HostedTenants?

    init(
        configuration: ServerConfiguration, secrets: ServerSecrets, store: any RoutingStore, routing: RoutingService,
        agentHub: AgentHub, customerHub: CustomerHub, metrics: ServerMetrics, authenticator: AgentAuthenticator,
        supervisorSessions: SupervisorSessions, apiKeys: CloudAPIKeys, webhooks: WebhookSubscriptions,
        webhookDelivery: WebhookDeliveryService, messaging: ChatMessaging, cannedReplies: CannedReplyBook,
        wrapUps: SessionWrapUps, calls: CallSignaling, connectionLimiter: ConnectionLimiter, customerAdmission: CustomerAdmission,
        phone: PhoneGateway?, recordings: RecordingLibrary, tls: TLSConfiguration?, logger: Logger, leadership: LeadershipSignal?,
        leaderGate: LeaderGate, carrier: CarrierLink, hostedTenants: HostedTenants?
    ) {
        relayedFrames = RelayedFrameDelivery(
            agents: agentHub, customers: customerHub, carrier: carrier, relay: customerHub.relay, node: routing.nodeTag)
        self.configuration = configuration
        self.secrets = secrets
        self.store = store
        self.routing = routing
        self.agentHub = agentHub
        self.customerHub = customerHub
        self.metrics = metrics
        self.authenticator = authenticator
        self.supervisorSessions = supervisorSessions
        self.apiKeys = apiKeys
        self.webhooks = webhooks
        self.webhookDelivery = webhookDelivery
        self.messaging = messaging
        self.cannedReplies = cannedReplies
        self.wrapUps = wrapUps
        self.calls = calls
        self.connectionLimiter = connectionLimiter
        self.customerAdmission = customerAdmission
        // Hummingbird serves on NIO's shared event loops (the application's default group).
        overload = OverloadGuard(
            lagLimitMilliseconds: configuration.overloadLagLimitMilliseconds, metrics: metrics,
            eventLoops: Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        ) { [routing] in
            await routing.awaitCommitted()
        }
        self.phone = phone
        self.recordings = recordings
        ivrPrompts = IVRPromptLibrary(dataDirectory: configuration.dataDirectory, voice: configuration.phone?.ivrVoice ?? "en")
        self.tls = tls
        self.logger = logger
        self.leadership = leadership
        self.leaderGate = leaderGate
        self.hostedTenants = hostedTenants
    }

    /// On a follower, waits until its replica holds what the leader had committed
    /// (``RoutingService/readBarrier()``). A node that leads, or the only one, reads its own state:
    /// the gate tells without a hop onto the routing actor, which every request would otherwise make.
    func awaitCurrentReplica() async {
        if !leaderGate.isOpen { await routing.readBarrier() }
    }

    /// What every tenant of one server shares: the limits a client could otherwise multiply by
    /// choosing another tenant (connections and customer starts per address, starts overall) and
    /// the threads bcrypt runs on.
    struct SharedLimits: Sendable {
        let connections: ConnectionLimiter
        let customers: CustomerAdmission
        let passwordHashing: PasswordHashingPool

        init(_ configuration: ServerConfiguration) {
            connections = ConnectionLimiter(limit: configuration.maxConnectionsPerAddress)
            customers = CustomerAdmission(policy: configuration.customers)
            passwordHashing = PasswordHashingPool(threads: configuration.logins.concurrentChecks, waitingLimit: configuration.logins.waitingChecks)
        }
    }

    /// Opens the store, rebuilds routing from it and wires delivery together. `verifyPasswordHash`
    /// replaces bcrypt's check (tests count or slow it); nil is bcrypt.
    public static func make(
        configuration: ServerConfiguration, store: any RoutingStore, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
        verifyPasswordHash: PasswordHashVerifier? = nil,
        leadership: LeadershipSignal? = nil,
        following: Bool = false
    ) async throws -> ServerComponents {
        try await make(
            configuration: configuration, store: store, logger: logger, clock: clock, verifyPasswordHash: verifyPasswordHash,
            leadership: leadership, following: following, shared: SharedLimits(configuration))
    }

    /// As above, with the limits shared with the other tenants of the server.
    static func make(
        configuration: ServerConfiguration, store: any RoutingStore, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
        verifyPasswordHash: PasswordHashVerifier? = nil,
        leadership: LeadershipSignal? = nil, following: Bool = false, shared: SharedLimits
    ) async throws -> ServerComponents {
        let secrets = if let shared = store as? any RoutingLeaseStore {
            try await ServerSecrets.load(for: configuration, shared: shared)
        } else {
            try ServerSecrets.load(for: configuration)
        }
        let tls = try configuration.loadTLSConfiguration()
        // Each start numbers agent events above everything earlier starts gave out, so a client
        // holding a cursor from before a crash is never told that the new numbering continues it.
        let seqBase: Int
        do {
            seqBase = AgentHub.seqBase(forStart: try await store.recordServerStart(at: clock()))
        } catch {
            // A store that cannot be written (a full disk) must not keep the server from serving
            // reads; the clock in ms × 2^10 is above every start-counted base.
            seqBase = Int(clock().milliseconds) << 10
            logger.warning("could not count this start in the store; numbering agent events from the clock", metadata: ["error": "\(error)"])
        }
        // Frames that are not journaled reach sockets on the other nodes through it (several nodes).
        let relay = ClusterRelay()
        let agentHub = AgentHub(bufferSize: configuration.resumeBufferSize, seqBase: seqBase, relay: relay)
        let customerHub = CustomerHub(relay: relay)
        let metrics = ServerMetrics(clock: clock)
        let holds = CallHolds()
        let carrier = CarrierLink(relay: relay)
        let leaderGate = LeaderGate(open: !following)
        carrier.runs(behind: leaderGate)
        let dispatcher = EventDispatcher(
            agents: agentHub, customers: customerHub, metrics: metrics, holds: holds, ice: configuration.ice, carrier: carrier)
        let webhooks = WebhookSubscriptions(store: store, signingSecret: secrets.signingSecret, clock: clock)
        let webhookDelivery = WebhookDeliveryService(
            store: store, subscriptions: webhooks, configuration: configuration.webhooks, clock: clock, logger: logger,
            leadership: leadership)
        let routing = try await RoutingService(
            store: store, clock: clock, snapshotInterval: configuration.snapshotInterval, logger: logger,
            delivery: RoutingDeliveryTargets(targets: [dispatcher, WebhookCommitNudge(worker: webhookDelivery)]),
            leadership: leadership, following: following)
        if leadership != nil { relay.connect(to: routing) }
        if following {
            await routing.onReplicaReplaced {
                agentHub.disconnectEveryone()
                customerHub.disconnectEveryone()
            }
        }
        // The gauges start from the state just loaded; from here on each commit moves them.
        await routing.read { machine in metrics.update(from: machine) }
        let authenticator = await AgentAuthenticator(
            signingSecret: secrets.signingSecret, tokenLifetimeSeconds: configuration.tokenLifetimeSeconds, store: store,
            application: configuration.sdkAppId, logins: configuration.logins, hashing: shared.passwordHashing, clock: clock, verifyHash: verifyPasswordHash ?? AgentAuthenticator.bcryptVerifier)
        let supervisorSessions = SupervisorSessions(
            store: store, passwords: authenticator, policy: configuration.supervisorSessions, speaksTLS: tls != nil,
            signingSecret: secrets.signingSecret, cookieTenant: configuration.isHostedTenant ? configuration.sdkAppId : nil, clock: clock)
        let customerAdmission = shared.customers
        let messaging = ChatMessaging(
            service: routing, store: store, customers: customerHub, agents: agentHub, metrics: metrics, admission: customerAdmission,
            attachmentPolicy: configuration.attachments)
        let calls = CallSignaling(
            service: routing, store: store, clock: clock, agents: agentHub, customers: customerHub, holds: holds,
            callerGraceSeconds: configuration.callerGraceSeconds, carrier: carrier)
        // A follower's calls are another node's to judge; it judges its own after taking over.
        if following {
            // The calls whose callers were on the leader that died are this node's to judge now.
            await routing.onPromotion { calls.hangUpCallsAbandonedAcrossRestart(logger: logger) }
        } else {
            calls.hangUpCallsAbandonedAcrossRestart(logger: logger)
        }
        let recordings = try RecordingLibrary(dataDirectory: configuration.dataDirectory, logger: logger)
        let phone = try configuration.phone.map { settings in
            try PhoneGateway(
                configuration: settings, dataDirectory: configuration.dataDirectory, routing: routing, agents: agentHub,
                recordings: recordings, logger: logger)
        }
        if let phone { carrier.connect(phone) }
        let hostedTenants = configuration.operatorKey != nil && !configuration.isHostedTenant
            ? try await HostedTenants.open(primary: configuration, shared: shared, logger: logger) : nil
        let components = ServerComponents(
            configuration: configuration, secrets: secrets, store: store, routing: routing, agentHub: agentHub,
            customerHub: customerHub, metrics: metrics, authenticator: authenticator, supervisorSessions: supervisorSessions,
            apiKeys: CloudAPIKeys(store: store, signingSecret: secrets.signingSecret, clock: clock),
            webhooks: webhooks, webhookDelivery: webhookDelivery,
            messaging: messaging, cannedReplies: CannedReplyBook(store: store, routing: routing, clock: clock),
            wrapUps: SessionWrapUps(store: store, routing: routing, clock: clock), calls: calls,
            connectionLimiter: shared.connections, customerAdmission: customerAdmission,
            phone: phone, recordings: recordings, tls: tls, logger: logger, leadership: leadership,
            leaderGate: leaderGate, carrier: carrier, hostedTenants: hostedTenants)
        // Agents' and customers' sockets are served by channel handlers, which the HTTP server's
        // shutdown does not wait for: they are closed when routing stops (clients reconnect to
        // the next process).
        await routing.onStopping { [openSockets = components.openSockets] in openSockets.closeAll() }
        return components
    }
}
