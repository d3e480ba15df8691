/// Telephone calls through the trunk. Inbound calls are ordinary sessions of type `phone`
/// (`createSession`); this file holds what only calls have: outbound calls an agent places,
/// the callee answering or failing, and the digits a caller presses.
///
/// An outbound call is held by its agent from the moment it is dialled (the agent is `busy`, and
/// the browser starts the media at once so it hears ringback or early media), but it counts as
/// accepted, for the record and its durations, only when the callee answers.
extension RoutingStateMachine {
    /// The end status of an outbound call the agent hung up before anyone answered.
    static let callerCancel = "callerCancel"

    mutating func startOutboundCall(_ agentId: AgentID, _ call: OutboundCall) throws(RoutingError) -> SessionID {
        let agent = try requireOnlineAgent(agentId)
        try OutboundCall.checkNumber(call.phoneNumber, field: "phoneNumber")
        if let caller = call.callerPhoneNumber { try OutboundCall.checkNumber(caller, field: "callerPhoneNumber") }
        for (name, value) in [("phoneDesc", call.phoneDesc), ("uui", call.uui)] where (value?.count ?? 0) > Self.maximumFieldLength {
            throw RoutingError(.invalidSession, "\(name) is \(value!.count) characters; at most \(Self.maximumFieldLength) are allowed")
        }
        if !agent.reachable {
            throw RoutingError(.agentOffline, "agent \(agentId) has no open connection to take the call's audio")
        }
        if !agent.hasCapacity(for: .phone, configuration: configuration) {
            throw RoutingError(.inUse, "agent \(agentId) is already on a call (or has chats that a call may not join): finish it before dialling")
        }
        let groupId: SkillGroupID
        if let requested = call.skillGroupId {
            groupId = try requireGroup(requested).id
        } else {
            guard let first = agent.profile.memberships.keys.filter({ skillGroups[$0] != nil }).sorted().first else {
                throw RoutingError(.unknownSkillGroup, "agent \(agentId) belongs to no skill group; name one with skillGroupId")
            }
            groupId = first
        }

        // The uui is kept as the customer's clientData, so the record and TCCC's call records
        // (`UUI`) give it back. It is not a routing input: an outbound call's returning-customer
        // key is the number dialled, so replaying older journals decides nothing differently.
        let customer = CustomerDetails(
            remark: call.phoneDesc, clientData: call.uui, calleePhoneNumber: call.phoneNumber, callerPhoneNumber: call.callerPhoneNumber,
            serverType: "staffSeat")
        let id = SessionID("s-\(counters.nextSessionNumber)")
        counters.nextSessionNumber += 1
        let arrival = counters.nextArrival
        counters.nextArrival += 1
        sessions[id] = Session(
            id: id, type: .phone, skillGroupId: groupId, priority: 0, customer: customer, createdAt: clock,
            arrival: arrival, state: .accepted(agent: agentId), excludedAgents: [], queueDeadline: nil, acceptedAt: nil,
            lastActivity: clock, offerCount: 0, queueTicket: 0, direction: .outbound)
        tally.count(sessions[existing: id].state, by: 1)
        agents[existing: agentId].held.insert(id)
        agents[existing: agentId].addLoad(.phone)
        record(id, .created(type: .phone, skillGroupId: groupId, priority: 0, customer: customer))
        record(id, .dialled(agent: agentId, phoneNumber: call.phoneNumber))
        notify(agentId, .callOuted(
            sessionId: id, calleeUserId: nil, skillGroupId: groupId, phoneNumber: call.phoneNumber, byServerAPI: call.placedByServerAPI == true))
        if agents[existing: agentId].status == .busy {
            reindex(agentId)
        } else {
            // After the call the agent returns to a rest or not-ready it dialled from.
            if agent.pendingStatus == nil, agent.status == .rest || agent.status == .notReady {
                agents[existing: agentId].pendingStatus = agent.status == .rest ? .rest : .notReady
                agents[existing: agentId].pendingRestReason = agent.restReason
            }
            changeStatus(agentId, to: .busy, restReason: nil, cause: .callPlaced)
        }
        return id
    }

    /// The callee of an outbound call answered: the call is accepted from now on.
    mutating func calleeAnswered(_ sessionId: SessionID) throws(RoutingError) {
        let session = try requireUnansweredOutbound(sessionId)
        guard case .accepted(let agent) = session.state else { return }
        sessions[existing: sessionId].acceptedAt = clock
        sessions[existing: sessionId].lastActivity = clock
        scheduleDurationLimit(sessionId)
        // The callee is a customer this agent served: calling back, they are its returning customer.
        if let customer = session.returningCustomerKey { lastSeats.remember(agent, for: customer) }
        record(sessionId, .accepted(agent: agent))
        notify(agent, .calloutAccepted(sessionId: sessionId))
    }

    /// An outbound call failed before it was answered: busy, no answer, declined, unreachable.
    mutating func outboundCallFailed(_ sessionId: SessionID, _ failure: OutboundCallFailure, detail: String?) throws(RoutingError) {
        _ = try requireUnansweredOutbound(sessionId)
        if let detail, detail.count > Self.maximumFieldLength {
            throw RoutingError(.invalidSession, "detail is \(detail.count) characters; at most \(Self.maximumFieldLength) are allowed")
        }
        endSession(sessionId, closeBy: .client, why: detail, endStatus: failure.rawValue)
    }

    /// The caller (or callee) pressed keys during a call; kept in the session's history.
    mutating func callerDigits(_ sessionId: SessionID, _ digits: String) throws(RoutingError) {
        let session = try requireSession(sessionId)
        guard session.type == .phone || session.type == .voip else {
            throw RoutingError(.invalidSession, "session \(sessionId) is a \(session.type.rawValue) session; digits are recorded for phone and voip calls")
        }
        guard !digits.isEmpty, digits.count <= 64, digits.allSatisfy({ "0123456789*#ABCD".contains($0) }) else {
            throw RoutingError(.invalidSession, "digits must be 1 to 64 of 0-9, *, #, A-D, not '\(digits.prefix(70))'")
        }
        record(sessionId, .digits(digits))
    }

    private func requireUnansweredOutbound(_ sessionId: SessionID) throws(RoutingError) -> Session {
        let session = try requireSession(sessionId)
        guard session.direction == .outbound else {
            throw RoutingError(.invalidSession, "session \(sessionId) is not an outbound call")
        }
        guard session.acceptedAt == nil else {
            throw RoutingError(.invalidSession, "outbound call \(sessionId) has already been answered")
        }
        return session
    }
}
