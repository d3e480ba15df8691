import SwitchboardCore
import SwitchboardStore

/// Several delivery targets, told in order.
struct RoutingDeliveryTargets: RoutingDeliveryTarget {
    let targets: [any RoutingDeliveryTarget]

    func deliver(_ events: [RoutingEvent], message: StoredMessage?, machine: RoutingStateMachine) {
        for target in targets { target.deliver(events, message: message, machine: machine) }
    }

    func batchDelivered(_ events: [RoutingEvent], machine: RoutingStateMachine) {
        for target in targets { target.batchDelivered(events, machine: machine) }
    }
}
