import Foundation
import HummingbirdWSClient
import Logging
import NIOSSL
import ServiceLifecycle
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// A node that serves its own clients while another leads (several nodes, `--advertise-url` on
/// the leader). It keeps the link to the leader up (``ClusterLinkServer`` is the other end), and
/// asks for the lease; taking it, it promotes its routing service in place, so its sockets stay
/// up, then opens the gate of the services only a leader runs (timers and the webhook worker
/// with the routing service; the phone gateway; the lease keeper).
public final class FollowerNode: Service, Sendable {
    let routing: RoutingService
    let store: any RoutingLeaseStore
    let settings: ClusterSettings
    let signingSecret: String
    let keeper: LeaseKeeper
    let gate: LeaderGate
    let relayed: RelayedFrameDelivery
    let logger: Logger

    public convenience init(server: ServerComponents, store: any RoutingLeaseStore, settings: ClusterSettings, keeper: LeaseKeeper, logger: Logger) {
        self.init(
            routing: server.routing, store: store, settings: settings, signingSecret: server.secrets.signingSecret,
            keeper: keeper, gate: server.leaderGate, relayed: server.relayedFrames, logger: logger)
    }

    init(
        routing: RoutingService, store: any RoutingLeaseStore, settings: ClusterSettings, signingSecret: String,
        keeper: LeaseKeeper, gate: LeaderGate, relayed: RelayedFrameDelivery, logger: Logger
    ) {
        self.relayed = relayed
        self.routing = routing
        self.store = store
        self.settings = settings
        self.signingSecret = signingSecret
        self.keeper = keeper
        self.gate = gate
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { [self] in
            // The link and the outcome timer on tasks of their own, cancelled but not waited for
            // once this node takes over: a link stuck on a frozen leader must not hold up the
            // takeover (what it would still deliver is refused once this node leads).
            let link = Task { await self.followUntilCancelled() }
            let outcomes = Task {
                // A request waits for its outcome at most this long, leader or no leader.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await self.routing.giveUpWaiting(after: FollowerNode.outcomeWaitLimit)
                }
            }
            let epoch = await askForTheLease()
            link.cancel()
            outcomes.cancel()
            guard let epoch else { return }
            // Renew from now: a catch-up longer than the lease must not hand it to another node.
            keeper.begin(acquiredAt: leaseAskedAt.value)
            try await routing.promote()
            gate.open()
            logger.notice("took the routing lease over; this node leads now, keeping its clients connected", metadata: ["epoch": "\(epoch)"])
        }
    }

    private let leaseAskedAt = LockedValue<ContinuousClock.Instant>(.now)
    /// The leader epoch whose link failure was last logged.
    private let linkFailureReported = LockedValue<Int64?>(nil)

    /// How long a forwarded request waits to learn its outcome before it is answered "unknown".
    static let outcomeWaitLimit: Duration = .seconds(30)

    /// Fault injection for the tests, never set in production: the replica applies each batch this
    /// many milliseconds late (`SWITCHBOARD_FAULT_REPLICA_DELAY_MS`), as on a loaded machine or a
    /// slow network, so a test can show that nothing a client sees depends on the replica being
    /// quick (``FollowerReadBarrier``).
    static let injectedReplicaDelay: Duration? = ProcessInfo.processInfo.environment["SWITCHBOARD_FAULT_REPLICA_DELAY_MS"]
        .flatMap(Int.init).map { .milliseconds($0) }

    /// Asks for the lease every poll interval until this node gets it; returns its epoch.
    private func askForTheLease() async -> Int64? {
        while !Task.isCancelled {
            do {
                let asked = ContinuousClock.now
                if let epoch = try await store.tryAcquireLease(
                    node: settings.node, address: settings.advertiseURL, durationMilliseconds: settings.leaseMilliseconds) {
                    leaseAskedAt.set(asked)
                    return epoch
                }
            } catch {
                if Task.isCancelled { return nil }
                logger.warning("could not ask for the routing lease", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: settings.standbyPollInterval)
        }
        return nil
    }

    /// Links to whoever leads, again and again, until cancelled.
    private func followUntilCancelled() async {
        var warnedAbout: Int64?
        while !Task.isCancelled {
            if let view = try? await store.leaseView(), view.holder != settings.node, view.expiresInMilliseconds > 0 {
                if let address = view.address, let url = Self.linkURL(address) {
                    await follow(url: url, leader: view.holder ?? address, epoch: view.epoch)
                    await routing.followerUnlinked()
                } else if warnedAbout != view.epoch {
                    warnedAbout = view.epoch
                    logger.error("""
                        the routing leader advertises no address, so this node cannot follow it: its clients are told                         there is no leader until it takes over. Give every node --advertise-url
                        """, metadata: ["leader": "\(view.holder ?? "?")", "epoch": "\(view.epoch)"])
                }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The link's URL on the leader's advertised address.
    static func linkURL(_ advertised: String) -> String? {
        guard var components = URLComponents(string: advertised) else { return nil }
        components.scheme = components.scheme == "https" ? "wss" : "ws"
        components.path = ClusterLinkServer.path
        return components.string
    }

    /// Follows the leader at `url` until the link ends, or until the lease names another epoch (a
    /// leader frozen past its lease keeps its sockets open: its followers must not wait for it).
    private func follow(url: String, leader: String, epoch: Int64) async {
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 24, additionalHeaders: [.init(ClusterLinkCoding.header)!: ClusterLinkCoding.credential(signingSecret: signingSecret)],
            autoPing: .enabled(timePeriod: .seconds(5)))
        let tls: TLSConfiguration? = url.hasPrefix("wss:") ? .makeClientConfiguration() : nil
        do {
            try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: logger) { [self] inbound, outbound, _ in
                let (outgoing, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(RoutingService.followerBacklogLimit))
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in outgoing {
                            do { try await outbound.write(.text(text)) } catch { return }
                        }
                    }
                    group.addTask { [self] in
                        await receive(inbound.messages(maxSize: 1 << 26), leader: leader, hello: { nonce in
                            // The first frame on the link, before anything else is queued.
                            sink.yield(await self.hello(answering: nonce).encodedText)
                        }) { text in
                            if case .enqueued = sink.yield(text) { return true }
                            return false
                        }
                    }
                    group.addTask { [self] in
                        while !Task.isCancelled {
                            try? await Task.sleep(for: settings.standbyPollInterval)
                            if let view = try? await store.leaseView(), view.epoch != epoch || view.expiresInMilliseconds <= 0 {
                                logger.notice("the routing lease moved on; leaving the old leader", metadata: ["leader": "\(leader)"])
                                return
                            }
                        }
                    }
                    await group.next()
                    group.cancelAll()
                }
                sink.finish()
            }
        } catch {
            // Tried every 200 ms while a dead leader's lease runs out: said once per leader.
            if !Task.isCancelled && linkFailureReported.value != epoch {
                linkFailureReported.set(epoch)
                logger.warning("could not link to the routing leader; trying again until the lease moves on", metadata: [
                    "leader": "\(leader)", "error": "\(error)",
                ])
            }
        }
    }

    private func hello(answering nonce: String) async -> FollowerFrame {
        .hello(
            node: routing.nodeTag, rulesVersion: RoutingStateMachine.rulesVersion,
            waiting: await routing.unansweredOrigins, holding: Array(routing.held.ids),
            proof: ClusterLinkCoding.proof(nonce: nonce, node: routing.nodeTag, signingSecret: signingSecret))
    }

    /// Applies what the leader sends until the link ends or the stream cannot be followed.
    private func receive(
        _ messages: WebSocketInboundMessageStream, leader: String, hello: @escaping @Sendable (String) async -> Void,
        send: @escaping @Sendable (String) -> Bool
    ) async {
        do {
            for try await message in messages {
                guard case .text(let text) = message else { continue }
                switch try LeaderFrame.decode(text) {
                case .challenge(let nonce):
                    await hello(nonce)
                case .welcome(let sequence, let answersSync):
                    try await routing.followerLinked(through: sequence, answersSync: answersSync == true, send: send)
                    logger.notice("following the routing leader", metadata: ["leader": "\(leader)", "sequence": "\(sequence)"])
                case .batch(let changes):
                    if let delay = Self.injectedReplicaDelay { try await Task.sleep(for: delay) }
                    guard await routing.applyReplicated(changes) else { return }
                case .failed(let id, let failure):
                    await routing.forwardFailed(id, failure)
                case .synced(let id):
                    // Frames are applied in order: every batch the leader had committed is in.
                    await routing.synced(id)
                case .relay(let frame):
                    relayed.deliver(frame)
                case .goodbye(let reason):
                    logger.notice("the routing leader said goodbye", metadata: ["reason": "\(reason)"])
                    return
                }
            }
        } catch {
            if !Task.isCancelled { logger.warning("the link to the routing leader failed", metadata: ["error": "\(error)"]) }
        }
    }
}

/// Opens once this node leads: services only a leader may run wait behind it.
public final class LeaderGate: Sendable {
    private let state: Mutex<(open: Bool, waiters: [CheckedContinuation<Bool, Never>])>

    public init(open: Bool) { state = Mutex((open, [])) }

    public var isOpen: Bool { state.withLock { $0.open } }

    public func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// True once open; false when the node shuts down first.
    func waitUntilOpen() async -> Bool {
        await withGracefulShutdownHandler {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiters.append(continuation) }
                    return state.open
                }
                if open { continuation.resume(returning: true) }
            }
        } onGracefulShutdown: { [self] in
            let waiters = state.withLock { state in
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: false) }
        }
    }
}

/// A service only the leader runs: it waits behind the gate (a follower's until it takes over).
public struct LeaderOnly: Service {
    let service: any Service
    let gate: LeaderGate

    public init(_ service: any Service, gate: LeaderGate) {
        self.service = service
        self.gate = gate
    }

    public func run() async throws {
        guard await gate.waitUntilOpen() else { return }
        try await service.run()
    }
}
