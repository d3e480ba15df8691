import Prometheus
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// The Prometheus metrics behind `/metrics`.
///
/// Counters (offers, timeouts, messages) move as events are delivered. The routing gauges (sessions
/// by state, queue length and oldest wait per group, agents by status) are set from the core's
/// running tallies after every committed batch, so a scrape only formats numbers: it never enters
/// the routing actor nor walks the sessions, however many there are.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    /// Every labelled gauge made so far, so a scrape can zero those whose label vanished.
    private let gauges = Mutex<[GaugeKey: Gauge]>([:])
    /// Per group, when its longest-waiting session was created (nil: none waits), and the routing
    /// clock then; a scrape turns them into waits.
    private let waiting = Mutex(Waiting(oldest: [:], clock: Timestamp(milliseconds: 0)))
    private let clock: @Sendable () -> Timestamp

    private struct Waiting: Sendable {
        var oldest: [SkillGroupID: Timestamp?]
        var clock: Timestamp
    }

    // Counters are made once, for every label value, so recording an event is one increment and
    // a scrape shows zeros rather than nothing before the first event.
    private let sessionsCreated: [SessionType: Counter]
    private let sessionsEnded: [CloseBy: Counter]
    private let messages: [MessageAuthor: Counter]
    private let offers: Counter
    private let offerTimeouts: Counter
    private let offersAccepted: Counter
    private let timeouts: Counter
    private let overflows: Counter
    private let customersShed: Counter

    private struct GaugeKey: Hashable {
        let name: String
        let labels: [String]
    }

    private static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "switchboard", metricName: name, unitName: unit, helpText: help)
    }

    /// Creates the metrics; `clock` is the time oldest waits are measured at.
    public init(clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() }) {
        self.clock = clock
        let registry = registry
        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
            registry.makeCounter(descriptor: Self.descriptor(name, "total", help), labels: labels)
        }
        sessionsCreated = Dictionary(uniqueKeysWithValues: SessionType.allCases.map {
            ($0, counter("sessions_created", "Sessions started by customers.", [("type", $0.rawValue)]))
        })
        sessionsEnded = Dictionary(uniqueKeysWithValues: [CloseBy.client, .seat, .admin, .timer].map {
            ($0, counter("sessions_ended", "Sessions ended, by who ended them.", [("close_by", $0.rawValue)]))
        })
        messages = Dictionary(uniqueKeysWithValues: [MessageAuthor.customer, .agent, .system].map {
            ($0, counter("messages", "im messages stored.", [("from", $0.rawValue)]))
        })
        offers = counter("offers", "Offers made to agents (callIn).")
        offerTimeouts = counter("offer_timeouts", "Offers that rang out without an answer.")
        offersAccepted = counter("offers_accepted", "Offers accepted by agents.")
        timeouts = counter("timeouts", "Sessions ended by a timer (queue timeout or im inactivity).")
        overflows = counter("overflows", "Sessions moved to an overflow group by queue timeout.")
        customersShed = counter("customers_shed", "New customers turned away because the server was overloaded.")
    }

    private func gauge(_ name: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        let key = GaugeKey(name: "\(name)_\(unit)", labels: labels.map { "\($0.0)=\($0.1)" })
        return gauges.withLock { gauges in
            if let existing = gauges[key] { return existing }
            let made = registry.makeGauge(descriptor: Self.descriptor(name, unit, help), labels: labels)
            gauges[key] = made
            return made
        }
    }

    /// Counts what the delivered events say happened.
    func record(_ events: [RoutingEvent]) {
        for event in events {
            guard case .history(_, let entry) = event.effect else { continue }
            switch entry {
            case .created(let type, _, _, _): sessionsCreated[type]?.increment()
            case .offered: offers.increment()
            case .missed: offerTimeouts.increment()
            case .accepted: offersAccepted.increment()
            case .ended(let closeBy, _, _, _, _, _):
                sessionsEnded[closeBy]?.increment()
                if closeBy == .timer { timeouts.increment() }
            case .overflowed: overflows.increment()
            default: break
            }
        }
    }

    /// Counts a customer the overload guard turned away.
    func recordShed() { customersShed.increment() }

    /// Whether the overload guard sheds new customers now (1) or not (0).
    func setOverloaded(_ overloaded: Bool) {
        gauge("overloaded", "state", "1 while new customers are shed because the server is overloaded.", []).set(overloaded ? 1.0 : 0.0)
    }

    /// Counts an im message.
    func recordMessage(from author: MessageAuthor) {
        messages[author]?.increment()
    }

    /// Sets the routing gauges from the core's running tallies. Called with the machine as it is
    /// after each committed batch (and once at start), so it costs O(groups), never O(sessions).
    func update(from machine: RoutingStateMachine) {
        gauge("sessions", "live", "Live sessions by state.", [("state", "queued")]).set(Double(machine.tally.queued))
        gauge("sessions", "live", "Live sessions by state.", [("state", "ringing")]).set(Double(machine.tally.ringing))
        gauge("sessions", "live", "Live sessions by state.", [("state", "accepted")]).set(Double(machine.tally.accepted))
        for status in AgentStatus.allCases {
            gauge("agents", "count", "Agents by status.", [("status", status.rawValue)])
                .set(Double(machine.tally.agentsByStatus[status] ?? 0))
        }
        var oldest: [SkillGroupID: Timestamp?] = [:]
        for group in machine.skillGroups.keys {
            gauge("queue", "length", "Sessions waiting in a skill group's queue.", [("group", group.rawValue)])
                .set(Double(machine.waitingCount(of: group)))
            oldest[group] = machine.oldestWaitingSince(in: group)
        }
        let vanished = waiting.withLock { waiting in
            let vanished = waiting.oldest.keys.filter { oldest[$0] == nil }
            waiting = Waiting(oldest: oldest, clock: max(waiting.clock, machine.clock))
            return vanished
        }
        // A removed group reads 0 rather than its last figures.
        for group in vanished {
            gauge("queue", "length", "Sessions waiting in a skill group's queue.", [("group", group.rawValue)]).set(Double(0))
            gauge("queue_oldest_wait", "seconds", "How long the oldest waiting session has waited.", [("group", group.rawValue)]).set(Double(0))
        }
    }

    /// Sets the wait and connection gauges, then renders everything. Touches no routing state.
    func render(agentConnections: Int, customerConnections: Int) -> String {
        let waiting = waiting.withLock { $0 }
        let now = max(clock(), waiting.clock)
        for (group, since) in waiting.oldest {
            let seconds = since.map { Double(max(0, now.milliseconds - $0.milliseconds)) / 1000 } ?? 0
            gauge("queue_oldest_wait", "seconds", "How long the oldest waiting session has waited.", [("group", group.rawValue)]).set(seconds)
        }
        gauge("connections", "open", "Open WebSocket connections.", [("kind", "agent")]).set(Double(agentConnections))
        gauge("connections", "open", "Open WebSocket connections.", [("kind", "customer")]).set(Double(customerConnections))
        return registry.emitToString()
    }
}
