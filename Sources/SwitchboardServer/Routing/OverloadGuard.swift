import NIOCore
import ServiceLifecycle
import Synchronization

/// Sheds new customers while the server is overloaded, so the customers it already serves keep
/// their latency instead of everyone's growing without bound (docs/benchmarks.md, "Overload").
///
/// Every `probeInterval` it measures how late the server is: how much longer than asked a short
/// sleep took (the task pool's backlog), how long a command would now wait for its commit (the
/// routing actor's queue and the group commits ahead of it), and how long a job waits for each
/// NIO event loop (where sockets are accepted, upgraded and, for agents and customers, served),
/// and keeps a moving average of the largest. A probe still unanswered past the limit counts
/// at once: a server swamped by a burst answers its probe only seconds later, and a guard that
/// waited for the answer admitted the whole burst first (docs/benchmarks.md, "Overload").
/// Above `lagLimit` (one probe, or the average) it sheds: a customer's
/// `start` (socket or REST) gets `serverBusy` with `retryAfter`, cheap next to a routed session
/// (it is checked before anything else). It stops shedding once the average is below
/// half the limit, so it does not flap at the edge. Sessions already started, agents, admins and
/// resumed customers are never shed.
public final class OverloadGuard: Service, Sendable {
    /// The limit in milliseconds for one probe and for the average; 0 turns shedding off.
    let lagLimitMilliseconds: Int
    let probeInterval: Duration
    /// Returns once everything applied so far is committed (`RoutingService.awaitCommitted`).
    private let waitForCommits: @Sendable () async -> Void
    /// The event loops the sockets are served on, probed for their backlog.
    private let eventLoops: [any EventLoop]
    private let state = Mutex(State())
    private let metrics: ServerMetrics?

    /// How long a shed customer is asked to wait.
    static let retryAfterSeconds = 2
    /// The weight of each new sample in the moving average: about four probes to react.
    static let smoothing = 0.25

    struct State {
        var averageMilliseconds = 0.0
        var shedding = false
        /// When the probe under way should have come back, if it had not been late at all.
        var probeDue: ContinuousClock.Instant?
    }

    init(
        lagLimitMilliseconds: Int, metrics: ServerMetrics?, probeInterval: Duration = .milliseconds(50),
        eventLoops: [any EventLoop] = [], waitForCommits: @escaping @Sendable () async -> Void
    ) {
        self.lagLimitMilliseconds = lagLimitMilliseconds
        self.waitForCommits = waitForCommits
        self.eventLoops = eventLoops
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

    /// Whether it sheds now: a probe or the average was over the limit, or the probe under way
    /// is already later than the limit. The last starts shedding as a late sample would (it
    /// stays until the average is under half the limit), so the gauge changes once, here.
    var isShedding: Bool {
        guard lagLimitMilliseconds > 0 else { return false }
        let limit = Double(lagLimitMilliseconds)
        let now = ContinuousClock.now
        let (shedding, started) = state.withLock { state -> (Bool, Bool) in
            if state.shedding { return (true, false) }
            guard let due = state.probeDue, Self.milliseconds(due.duration(to: now)) > limit else { return (false, false) }
            state.shedding = true
            return (true, true)
        }
        if started { metrics?.setOverloaded(true) }
        return shedding
    }

    /// Takes one lateness sample into the average and decides whether to shed.
    func record(lateMilliseconds sample: Double) {
        guard lagLimitMilliseconds > 0 else { return }
        let limit = Double(lagLimitMilliseconds)
        let changed = state.withLock { state -> Bool? in
            state.probeDue = nil
            state.averageMilliseconds += Self.smoothing * (sample - state.averageMilliseconds)
            let was = state.shedding
            // A probe later than the limit sheds by itself, as it did while it was overdue, so
            // shedding does not stop the moment that probe comes back; the average ends it.
            if sample > limit || state.averageMilliseconds > limit {
                state.shedding = true
            } else if state.averageMilliseconds < limit / 2 {
                state.shedding = false
            }
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
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    do { try await self.probe() } catch { return }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// One probe: sleeps `probeInterval`, then takes how late the server was into the average.
    /// Throws when cancelled.
    func probe() async throws {
        let clock = ContinuousClock()
        let asked = clock.now
        state.withLock { $0.probeDue = asked + probeInterval }
        // A probe cancelled (at shutdown) must not stay overdue and shed for ever.
        defer { state.withLock { $0.probeDue = nil } }
        try await Task.sleep(for: probeInterval)
        let slept = asked.duration(to: clock.now) - probeInterval
        let reached = clock.now
        await waitForCommits()
        let hop = reached.duration(to: clock.now)
        let loops = await eventLoopBacklog()
        record(lateMilliseconds: max(Self.milliseconds(slept), Self.milliseconds(hop), Self.milliseconds(loops)))
    }

    /// How long a job waited for the busiest event loop (each probed at once).
    func eventLoopBacklog() async -> Duration {
        let clock = ContinuousClock()
        // From before the probes are sent: a task pool too busy to send them is late as well.
        let asked = clock.now
        return await withTaskGroup(of: Duration.self) { group in
            for loop in eventLoops {
                group.addTask {
                    _ = try? await loop.submit {}.get()
                    return asked.duration(to: clock.now)
                }
            }
            return await group.reduce(.zero) { max($0, $1) }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
