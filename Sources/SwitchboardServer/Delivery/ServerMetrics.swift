import Prometheus
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// The Prometheus metrics behind `/metrics`.
///
/// Counters (offers, timeouts, messages) move as events are delivered; the gauges (sessions by
/// state, queue length and oldest wait per group, agents by status, connections) are read off the
/// routing state when scraped, so they can never drift from it.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    /// Every labelled gauge made so far, so a scrape can zero those whose label vanished.
    private let gauges = Mutex<[GaugeKey: Gauge]>([:])

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

    private struct GaugeKey: Hashable {
        let name: String
        let labels: [String]
    }

    private static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "switchboard", metricName: name, unitName: unit, helpText: help)
    }

    /// Creates the metrics.
    public init() {
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

    /// Counts an im message.
    func recordMessage(from author: MessageAuthor) {
        messages[author]?.increment()
    }

    /// Sets the gauges from the routing state and connection counts, then renders everything.
    func render(machine: RoutingStateMachine, now: Timestamp, agentConnections: Int, customerConnections: Int) -> String {
        // Zero every labelled gauge first, so a group or status that disappeared reads 0.
        for gauge in gauges.withLock({ Array($0.values) }) { gauge.set(Double(0)) }
        var byState: [String: Int] = ["queued": 0, "ringing": 0, "accepted": 0]
        var oldest: [SkillGroupID: Int64] = [:]
        for session in machine.sessions.values {
            switch session.state {
            case .queued:
                byState["queued", default: 0] += 1
                let wait = now.milliseconds - session.createdAt.milliseconds
                oldest[session.skillGroupId] = max(oldest[session.skillGroupId] ?? 0, wait)
            case .ringing: byState["ringing", default: 0] += 1
            case .accepted: byState["accepted", default: 0] += 1
            }
        }
        for (state, count) in byState {
            gauge("sessions", "live", "Live sessions by state.", [("state", state)]).set(Double(count) as Double)
        }
        for group in machine.skillGroups.keys {
            gauge("queue", "length", "Sessions waiting in a skill group's queue.", [("group", group.rawValue)])
                .set(Double(machine.waitingCount(of: group)) as Double)
            gauge("queue_oldest_wait", "seconds", "How long the oldest waiting session has waited.", [("group", group.rawValue)])
                .set(Double(oldest[group] ?? 0) / 1000)
        }
        var byStatus: [AgentStatus: Int] = [:]
        for status in AgentStatus.allCases { byStatus[status] = 0 }
        for agent in machine.agents.values { byStatus[agent.status, default: 0] += 1 }
        for (status, count) in byStatus {
            gauge("agents", "count", "Agents by status.", [("status", status.rawValue)]).set(Double(count) as Double)
        }
        gauge("connections", "open", "Open WebSocket connections.", [("kind", "agent")]).set(Double(agentConnections) as Double)
        gauge("connections", "open", "Open WebSocket connections.", [("kind", "customer")]).set(Double(customerConnections) as Double)
        return registry.emitToString()
    }
}
