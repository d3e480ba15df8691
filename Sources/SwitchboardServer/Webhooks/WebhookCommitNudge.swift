import SwitchboardCore
import SwitchboardStore

/// Nudges the webhook worker after every committed batch: the batch may have queued deliveries.
struct WebhookCommitNudge: RoutingDeliveryTarget {
    let worker: WebhookDeliveryService

    func deliver(_ events: [RoutingEvent], message: StoredMessage?, machine: RoutingStateMachine) {}

    func batchDelivered(_ events: [RoutingEvent], machine: RoutingStateMachine) { worker.nudge() }
}
