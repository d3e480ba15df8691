import Logging
import ServiceLifecycle
import Synchronization
import SwitchboardStore

/// Keeps the leader's routing lease renewed, and stops the node once leadership is lost: when a
/// renewal is fenced (another node took over), when the lease has run out by this node's own
/// clock without a renewal getting through (a node cut off from the database, or whose
/// connection hangs, must not keep serving clients it can no longer commit for), or when the
/// routing service found a commit fenced. Throwing ``LeadershipLost`` ends the node's service
/// group, and so the process.
///
/// Renewing starts the moment the lease is taken (``start()``), before the routing state is
/// loaded: a load longer than the lease must not hand it to another standby.
public final class LeaseKeeper: Service, Sendable {
    let store: any RoutingLeaseStore
    let settings: ClusterSettings
    let leadership: LeadershipSignal
    let logger: Logger
    /// When the last renewal that got through was sent (the database's expiry is no earlier
    /// than that plus the lease).
    private let lastRenewed: Mutex<ContinuousClock.Instant>
    private let renewing = Mutex<Task<Void, Never>?>(nil)

    /// `acquiredAt`: when the request that took the lease was sent.
    public init(store: any RoutingLeaseStore, settings: ClusterSettings, leadership: LeadershipSignal, acquiredAt: ContinuousClock.Instant, logger: Logger) {
        self.store = store
        self.settings = settings
        self.leadership = leadership
        self.logger = logger
        lastRenewed = Mutex(acquiredAt)
    }

    /// A follower that took the lease over: renewing counts from when it asked for it.
    public func begin(acquiredAt: ContinuousClock.Instant) {
        lastRenewed.withLock { $0 = acquiredAt }
        start()
    }

    /// Starts renewing, on a task of its own. Renewals go one after another; none is waited for
    /// by the watch in ``run()``, so a renewal that hangs cannot keep the node from stepping down.
    public func start() {
        let task = Task { [self] in
            while !Task.isCancelled && leadership.lossReason == nil {
                let asked = ContinuousClock.now
                do {
                    try await store.renewLease(durationMilliseconds: settings.leaseMilliseconds)
                    lastRenewed.withLock { $0 = max($0, asked) }
                } catch let error as StoreError where error.code == .fenced {
                    leadership.lose(error.message)
                    return
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("could not renew the routing lease", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: settings.renewInterval)
            }
        }
        renewing.withLock { $0 = task }
    }

    public func run() async throws {
        // Returns quietly on graceful shutdown: the routing service gives the lease up when it
        // closes the store.
        try await cancelWhenGracefulShutdown { [self] in
            defer { renewing.withLock { $0?.cancel() } }
            let lease = Duration.milliseconds(settings.leaseMilliseconds)
            while !Task.isCancelled {
                if let reason = leadership.lossReason { throw LeadershipLost(reason: reason) }
                let since = ContinuousClock.now - lastRenewed.withLock { $0 }
                if since >= lease {
                    leadership.lose("the routing lease ran out: no renewal got through to the database for \(settings.leaseMilliseconds) ms")
                    continue
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
