import ServiceLifecycle
import Synchronization

/// Sheds new customers while the server is overloaded, so the customers it already serves keep
/// their latency instead of everyone's growing without bound (docs/benchmarks.md, "Overload").
///
/// Every `probeInterval` it measures how late the server is: how much longer than asked a short
/// sleep took (the task pool's backlog) and how long a command would now wait for its commit (the
/// routing actor's queue and the group commits ahead of it), and keeps a moving average of the
/// larger. Above `lagLimit` it sheds: a customer's
/// `start` (socket or REST) gets `serverBusy` with `retryAfter`, cheap next to a routed session
/// (it is checked before anything else). It stops shedding once the average is below
/// half the limit, so it does not flap at the edge. Sessions already started, agents, admins and
/// resumed customers are never shed.
public final class OverloadGuard: Service, Sendable {
    /// The moving average's limit in milliseconds; 0 turns shedding off.
    let lagLimitMilliseconds: Int
    let probeInterval: Duration
    /// Returns once everything applied so far is committed (`RoutingService.awaitCommitted`).
    private let waitForCommits: @Sendable () async -> Void
    private let state = Mutex(State())
    private let metrics: ServerMetrics?

    /// How long a shed customer is asked to wait.
    static let retryAfterSeconds = 2
    /// The weight of each new sample in the moving average: about four probes to react.
    static let smoothing = 0.25

    struct State {
        var averageMilliseconds = 0.0
        var shedding = false
    }

    init(
        lagLimitMilliseconds: Int, metrics: ServerMetrics?, probeInterval: Duration = .milliseconds(50),
        waitForCommits: @escaping @Sendable () async -> Void
    ) {
        self.lagLimitMilliseconds = lagLimitMilliseconds
        self.waitForCommits = waitForCommits
        self.metrics = metrics
        self.probeInterval = probeInterval
    }

    /// Why a new customer is turned away now, or nil to let it in. Counts the refusal.
    func refusal() -> ProtocolRefusal? {
        guard isShedding else { return nil }
        metrics?.recordShed()
        return ProtocolRefusal(
            "the server is busy serving the customers it has; nothing was started, retry in \(Self.retryAfterSeconds) s",
            retryAfter: Self.retryAfterSeconds)
    }

    /// Whether it sheds now.
    var isShedding: Bool { state.withLock { $0.shedding } }

    /// Takes one lateness sample into the average and decides whether to shed.
    func record(lateMilliseconds sample: Double) {
        guard lagLimitMilliseconds > 0 else { return }
        let limit = Double(lagLimitMilliseconds)
        let changed = state.withLock { state -> Bool? in
            state.averageMilliseconds += Self.smoothing * (sample - state.averageMilliseconds)
            let was = state.shedding
            if state.averageMilliseconds > limit { state.shedding = true } else if state.averageMilliseconds < limit / 2 { state.shedding = false }
            return was == state.shedding ? nil : state.shedding
        }
        if let changed { metrics?.setOverloaded(changed) }
    }

    /// Probes until the server shuts down.
    public func run() async throws {
        // A service that returns early ends the whole server: off, it waits for the shutdown.
        guard lagLimitMilliseconds > 0 else {
            try? await gracefulShutdown()
            return
        }
        let clock = ContinuousClock()
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    let asked = clock.now
                    do { try await Task.sleep(for: self.probeInterval) } catch { return }
                    let slept = asked.duration(to: clock.now) - self.probeInterval
                    let reached = clock.now
                    await self.waitForCommits()
                    let hop = reached.duration(to: clock.now)
                    self.record(lateMilliseconds: max(Self.milliseconds(slept), Self.milliseconds(hop)))
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
