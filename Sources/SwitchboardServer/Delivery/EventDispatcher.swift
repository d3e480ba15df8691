import SwitchboardCore
import SwitchboardProtocol

/// Delivers committed routing events: SDK events to agents, chat frames to customers, counts to
/// the metrics, and fresh queue positions to the customers still waiting.
public final class EventDispatcher: Sendable {
    let agents: AgentHub
    let customers: CustomerHub
    let metrics: ServerMetrics
    let holds: CallHolds
    let ice: IceConfiguration
    let carrier: CarrierLink

    init(agents: AgentHub, customers: CustomerHub, metrics: ServerMetrics, holds: CallHolds, ice: IceConfiguration, carrier: CarrierLink) {
        self.agents = agents
        self.customers = customers
        self.metrics = metrics
        self.holds = holds
        self.ice = ice
        self.carrier = carrier
    }

    /// Called by the routing service after each commit, in commit order.
    func deliver(_ events: [RoutingEvent], machine: RoutingStateMachine) {
        var queuesChanged = false
        for event in events {
            switch event.effect {
            case .agent(let agent, let notification):
                agents.publish(WireTranslation.event(notification), to: agent.rawValue)
            case .customer(let session, let notification):
                let isCall = machine.sessions[session].map { CallSignaling.callTypes.contains($0.type) } ?? false
                deliver(notification, to: session.rawValue, isCall: isCall)
                // The phone gateway is the customer side of phone calls; it ignores other sessions.
                carrier.carrier?.sessionNotification(notification, for: session)
            case .history:
                // Anything in a session's history may move someone's place in a queue.
                queuesChanged = true
            }
        }
        metrics.record(events)
        metrics.update(from: machine)
        if queuesChanged { refreshQueuePositions(machine) }
    }

    private func deliver(_ notification: CustomerNotification, to session: String, isCall: Bool) {
        switch notification {
        case .queued:
            // The position itself is sent by `refreshQueuePositions`, once per change.
            customers.clearPosition(of: session)
        case .agentJoined(_, let name):
            customers.clearPosition(of: session)
            // A call's TURN logins go out only once it is answered.
            let iceServers = isCall ? ice.iceServers(for: "customer-\(session)") : nil
            customers.publish(.agentJoined(nickname: name, iceServers: iceServers), to: session)
        case .ringing:
            customers.clearPosition(of: session)
            customers.publish(.ringing, to: session)
        case .transferred:
            // A hold belongs to the agent who set it; the next agent starts off hold.
            _ = holds.remove(SessionID(session))
            customers.publish(.transferred, to: session)
        case .ended(let closeBy):
            _ = holds.remove(SessionID(session))
            customers.publish(.ended(closeBy: WireTranslation.closeBy(closeBy)), to: session)
        }
    }

    /// Tells each waiting customer with an open connection its place, computing each group's
    /// queue once however many of its customers are watching.
    func refreshQueuePositions(_ machine: RoutingStateMachine) {
        var watchedByGroup: [SkillGroupID: Set<String>] = [:]
        for session in customers.watchedSessions {
            guard let live = machine.sessions[SessionID(session)], live.state == .queued else { continue }
            watchedByGroup[live.skillGroupId, default: []].insert(session)
        }
        for (group, watched) in watchedByGroup {
            for (index, session) in machine.queue(of: group).enumerated() where watched.contains(session.rawValue) {
                customers.updatePosition(index + 1, of: session.rawValue)
            }
        }
    }
}
