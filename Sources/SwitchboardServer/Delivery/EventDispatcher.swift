import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Delivers committed routing events and im messages: SDK events to agents, chat frames to
/// customers, counts to the metrics, and fresh queue positions to the customers still waiting.
public final class EventDispatcher: RoutingDeliveryTarget {
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

    /// One committed change, in commit order, with the committed state right after it.
    public func deliver(_ events: [RoutingEvent], message: StoredMessage?, machine: RoutingStateMachine) {
        for event in events {
            switch event.effect {
            case .agent(let agent, let notification):
                agents.publish(WireTranslation.event(notification, sessions: machine.sessions), to: agent.rawValue)
            case .customer(let session, let notification):
                let isCall = machine.sessions[session].map { CallSignaling.callTypes.contains($0.type) } ?? false
                deliver(notification, to: session.rawValue, isCall: isCall)
                // The phone gateway is the customer side of phone calls; it ignores other sessions.
                carrier.carrier?.sessionNotification(notification, for: session)
            case .history:
                break
            }
        }
        if let message, !message.storedBefore { deliver(message, machine: machine) }
    }

    /// After a batch: the metrics, and queue positions when anything in a history moved.
    public func batchDelivered(_ events: [RoutingEvent], machine: RoutingStateMachine) {
        metrics.record(events)
        metrics.update(from: machine)
        let queuesChanged = events.contains { if case .history = $0.effect { true } else { false } }
        if queuesChanged { refreshQueuePositions(machine) }
    }

    /// An im message goes to the customer's connections and to the agent holding the session at
    /// the moment it was committed (a retried `clientMessageId`, stored before, goes nowhere).
    private func deliver(_ message: StoredMessage, machine: RoutingStateMachine) {
        customers.publish(.message(ChatMessaging.wire(message)), to: message.sessionId.rawValue)
        if case .accepted(let holder)? = machine.sessions[message.sessionId]?.state {
            var authors: [AgentID: String] = [:]
            if let writer = message.agentId { authors[writer] = machine.agents[writer]?.profile.name }
            let wire = ChatMessaging.wire(message, authors: authors)
            agents.publish(.message(SessionMessage(sessionId: message.sessionId.rawValue, message: wire)), to: holder.rawValue)
        }
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
