import Logging
import ServiceLifecycle
import SwitchboardStore

/// Keeps the leader's routing lease renewed, and stops the node once leadership is lost: when a
/// renewal is fenced (another node took over), when renewals keep failing until the lease has
/// run out by this node's own clock (a node cut off from the database must not keep serving
/// clients it can no longer commit for), or when the routing service found a commit fenced.
/// Throwing ``LeadershipLost`` ends the node's service group, and so the process.
public struct LeaseKeeper: Service {
    let store: any RoutingLeaseStore
    let settings: ClusterSettings
    let leadership: LeadershipSignal
    let logger: Logger

    public init(store: any RoutingLeaseStore, settings: ClusterSettings, leadership: LeadershipSignal, logger: Logger) {
        self.store = store
        self.settings = settings
        self.leadership = leadership
        self.logger = logger
    }

    public func run() async throws {
        // Returns quietly on graceful shutdown: the routing service gives the lease up when it
        // closes the store.
        try await cancelWhenGracefulShutdown { try await keepRenewing() }
    }

    private func keepRenewing() async throws {
        let clock = ContinuousClock()
        var lastRenewed = clock.now
        var nextRenewal = clock.now + settings.renewInterval
        let lease = Duration.milliseconds(settings.leaseMilliseconds)
        do {
            while !Task.isCancelled {
                if let reason = leadership.lossReason { throw LeadershipLost(reason: reason) }
                if clock.now >= nextRenewal {
                    // Counted from before the call: the database's expiry is no later than that.
                    let asked = clock.now
                    do {
                        try await store.renewLease(durationMilliseconds: settings.leaseMilliseconds)
                        lastRenewed = asked
                    } catch let error as StoreError where error.code == .fenced {
                        leadership.lose(error.message)
                        continue
                    } catch {
                        if Task.isCancelled { return }
                        logger.warning("could not renew the routing lease", metadata: ["error": "\(error)"])
                        if clock.now - lastRenewed >= lease {
                            leadership.lose("the routing lease could not be renewed for \(settings.leaseMilliseconds) ms (\(error))")
                            continue
                        }
                    }
                    nextRenewal = clock.now + settings.renewInterval
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
