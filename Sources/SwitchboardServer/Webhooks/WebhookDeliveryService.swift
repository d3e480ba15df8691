import AsyncHTTPClient
import Logging
import ServiceLifecycle
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// Sends the webhook outbox: a lifecycle service beside the routing service, never on its path.
///
/// Routing only writes outbox rows inside its commits; this worker reads the due ones, POSTs each
/// (bounded by `concurrency`, one at a time per subscription and session or agent, so a key's
/// events arrive in commit order) and records every attempt. A slow or dead receiver costs it
/// slots until the POSTs' deadline, at most half of them (``WebhookConfiguration/slotsPerSubscription``),
/// so other subscriptions keep moving; never a routing command. Delivery is at least once: a
/// delivery is marked delivered only after a 2xx, so a crash between the POST and the record
/// sends it again, with the same event id.
///
/// On a node of several, only the lease holder sends: the moment the node's ``LeadershipSignal``
/// says the lease is lost, the worker stops taking deliveries and no new attempt starts (another
/// node may already be sending the same outbox). POSTs under way finish; the lease's fence refuses
/// their record once another node holds it, which leaves them pending, so the new leader sends
/// them again (at least once).
public final class WebhookDeliveryService: Service, Sendable {
    private let store: any RoutingStore
    private let subscriptions: WebhookSubscriptions
    private let configuration: WebhookConfiguration
    private let schedule: WebhookRetrySchedule
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private let leadership: LeadershipSignal?
    private let state = Mutex(State())

    private struct State {
        /// Deliveries being sent: left out of the next reads, so none is sent twice at once.
        var inFlight: Set<Int64> = []
        /// Deliveries being sent per subscription: one stalled receiver may hold only its share of
        /// the slots, so it cannot keep every other subscription's events waiting.
        var inFlightPerSubscription: [String: Int] = [:]
        var stopping = false
        var lastPrune = Timestamp(milliseconds: 0)
    }

    /// Wakes the loop: a commit, a finished POST, a redelivery, or the ticker (retries falling due).
    /// One pending wake is enough, however many arrive meanwhile.
    private let wakes: AsyncStream<Void>
    private let waker: AsyncStream<Void>.Continuation
    /// How often the outbox is read without a wake, for retries that fall due.
    private static let tick = Duration.milliseconds(250)

    init(
        store: any RoutingStore, subscriptions: WebhookSubscriptions, configuration: WebhookConfiguration,
        clock: @escaping @Sendable () -> Timestamp, logger: Logger, leadership: LeadershipSignal? = nil
    ) {
        self.store = store
        self.subscriptions = subscriptions
        self.configuration = configuration
        self.schedule = WebhookRetrySchedule(configuration)
        self.clock = clock
        self.logger = logger
        self.leadership = leadership
        (wakes, waker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        leadership?.onLoss { [weak self] reason in self?.stop(losingTheLease: reason) }
    }

    /// Another node may send the outbox from now on: take no more deliveries, start no attempt.
    private func stop(losingTheLease reason: String) {
        state.withLock { $0.stopping = true }
        waker.finish()
        logger.warning("webhook delivery stopped: this node lost the routing lease", metadata: ["reason": "\(reason)"])
    }

    /// Whether a new attempt may start: not once the service is stopping or the lease is lost.
    private var mayStart: Bool {
        !state.withLock { $0.stopping } && leadership?.lossReason == nil
    }

    /// Tells the worker to look at the outbox soon: called after every routing commit (which may
    /// have queued deliveries) and by the redeliver action. Cheap, never waits.
    public func nudge() {
        waker.yield()
    }

    /// Sends due deliveries until graceful shutdown, then lets those under way finish.
    public func run() async throws {
        // The HTTP clients live while the service runs (they must be shut down before they go).
        let sender = WebhookSender(
            timeoutSeconds: configuration.requestTimeoutSeconds, concurrency: configuration.concurrency,
            policy: WebhookURLPolicy(allowPrivateAddresses: configuration.allowPrivateAddresses))
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while self.mayStart && !Task.isCancelled {
                        try? await Task.sleep(for: Self.tick)
                        self.waker.yield()
                    }
                }
                // Deliveries left pending by an earlier run (a crash, a shutdown) go out at once.
                waker.yield()
                for await _ in wakes {
                    if !mayStart || Task.isCancelled { break }
                    await look(group: &group, sender: sender)
                }
            }
        } onGracefulShutdown: {
            // Stop taking deliveries; the POSTs under way finish (each has its deadline) and are recorded.
            self.state.withLock { $0.stopping = true }
            self.waker.finish()
        }
        await sender.shutdown()
        // Stopped by the lost lease: the service stays until the node stops (a service that
        // returned would end the server at once, before it answered its waiting callers).
        if leadership?.lossReason != nil { try? await gracefulShutdown() }
        logger.info("webhook delivery stopped")
    }

    /// Starts what is due, as many as there are free slots.
    private func look(group: inout DiscardingTaskGroup, sender: WebhookSender) async {
        let now = clock()
        await pruneIfDue(now)
        let share = configuration.slotsPerSubscription
        let (inFlight, full) = state.withLock { state in
            (state.inFlight, Set(state.inFlightPerSubscription.filter { $0.value >= share }.keys))
        }
        guard inFlight.count < configuration.concurrency else { return }
        do {
            let due = try await store.dueWebhookDeliveries(
                at: now, excluding: inFlight, skippingSubscriptions: full, limit: configuration.concurrency - inFlight.count)
            for item in due {
                let subscription = item.delivery.subscriptionId
                // One read may hold more of a subscription than its share: the rest wait a turn.
                let taken = state.withLock { state -> Bool in
                    guard state.inFlightPerSubscription[subscription, default: 0] < share else { return false }
                    state.inFlightPerSubscription[subscription, default: 0] += 1
                    state.inFlight.insert(item.delivery.id)
                    return true
                }
                if taken { group.addTask { await self.attempt(item, sender: sender) } }
            }
        } catch {
            logger.warning("cannot read the webhook outbox; trying again shortly", metadata: ["error": "\(error)"])
        }
    }

    /// One attempt of one delivery, recorded; a failure is retried on the schedule until the
    /// retry period is over, then the delivery is marked failed.
    private func attempt(_ due: DueWebhookDelivery, sender: WebhookSender) async {
        let delivery = due.delivery
        defer {
            state.withLock { state in
                state.inFlight.remove(delivery.id)
                state.inFlightPerSubscription[delivery.subscriptionId, default: 1] -= 1
                if state.inFlightPerSubscription[delivery.subscriptionId] == 0 { state.inFlightPerSubscription[delivery.subscriptionId] = nil }
            }
            // The key's next delivery may go now.
            waker.yield()
        }
        let result: WebhookSender.Result
        if let secret = subscriptions.secret(sealed: due.sealedSecret, id: delivery.subscriptionId) {
            let request = WebhookRequest(delivery, secret: secret, unixSeconds: clock().milliseconds / 1000)
            // Checked again as late as it can be: the lease may have been lost since the read.
            guard let sent = await sender.post(request, to: due.url, unless: { !self.mayStart }) else {
                logger.info("webhook delivery not attempted: the worker is stopping", metadata: ["delivery": "\(delivery.id)"])
                return
            }
            result = sent
        } else {
            result = .init(delivered: false, statusCode: nil, error: "the secret cannot be opened: the server's signing secret changed since it was set; give the webhook a new secret")
        }
        let now = clock()
        let outcome: WebhookAttempt
        if result.delivered, let code = result.statusCode {
            outcome = .delivered(at: now, statusCode: code)
        } else if let next = schedule.next(afterAttempts: delivery.attempts + 1, queuedAt: delivery.createdAt, now: now, jitter: Double.random(in: 0...1)) {
            outcome = .retry(at: now, error: result.error ?? "failed", statusCode: result.statusCode, next: next)
        } else {
            outcome = .failed(at: now, error: result.error ?? "failed", statusCode: result.statusCode)
            logger.warning("webhook delivery failed for good", metadata: [
                "webhook": "\(delivery.subscriptionId)", "delivery": "\(delivery.id)", "event": "\(delivery.eventId)",
                "attempts": "\(delivery.attempts + 1)", "error": "\(result.error ?? "")",
            ])
        }
        do {
            try await store.recordWebhookAttempt(delivery.id, outcome)
        } catch {
            // Not recorded: the delivery stays pending and due, and is sent again (at least once).
            logger.warning("cannot record a webhook attempt; it will be sent again", metadata: [
                "delivery": "\(delivery.id)", "error": "\(error)",
            ])
        }
    }

    /// Drops finished deliveries older than the log keeps them, once an hour.
    private func pruneIfDue(_ now: Timestamp) async {
        let due = state.withLock { state -> Bool in
            guard now.milliseconds - state.lastPrune.milliseconds >= 3_600_000 else { return false }
            state.lastPrune = now
            return true
        }
        guard due else { return }
        let before = Timestamp(milliseconds: now.milliseconds - Int64(configuration.logRetentionDays) * 86_400_000)
        do {
            let pruned = try await store.pruneWebhookDeliveries(finishedBefore: before)
            if pruned > 0 { logger.info("pruned the webhook delivery log", metadata: ["deliveries": "\(pruned)"]) }
        } catch {
            logger.warning("cannot prune the webhook delivery log", metadata: ["error": "\(error)"])
        }
    }
}
