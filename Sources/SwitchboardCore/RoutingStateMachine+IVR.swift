/// IVR flows as configuration (journaled, in snapshots, like skill groups and numbers), and the
/// record of calls that ended inside one. Running a flow is ``IVRRun``'s, in the phone gateway.
extension RoutingStateMachine {
    /// The skill group id a call that ended in an IVR flow is recorded under: none, as TCCC's call
    /// records leave `SkillGroup` empty for calls that never reached one.
    public static let noSkillGroup = SkillGroupID("")

    mutating func upsertIVRFlow(_ flow: IVRFlow) throws(RoutingError) {
        try flow.validate(knownGroups: Set(skillGroups.keys))
        ivrFlows[flow.id] = flow
    }

    mutating func removeIVRFlow(_ id: IVRFlowID) throws(RoutingError) {
        _ = try requireFlow(id)
        if let number = phoneNumber(boundTo: id) {
            throw RoutingError(.inUse, "IVR flow \(id) answers phone number \(number); bind the number elsewhere or remove it first")
        }
        ivrFlows[id] = nil
    }

    /// The flow that queues to `group`, if any (a group a flow queues to cannot be removed).
    func ivrFlow(queueingTo group: SkillGroupID) -> IVRFlowID? {
        ivrFlows.values.filter { flow in
            flow.nodes.contains { if case .queue(group, _) = $0.action { true } else { false } }
        }.map(\.id).min()
    }

    func requireFlow(_ id: IVRFlowID) throws(RoutingError) -> IVRFlow {
        guard let flow = ivrFlows[id] else { throw RoutingError(.unknownIVRFlow, "IVR flow \(id) does not exist") }
        return flow
    }

    /// Records a call that ended in an IVR flow: created when it entered the flow, ended now.
    mutating func ivrEnded(_ ending: IVREnding) throws(RoutingError) -> RoutingReply {
        guard IVREnding.endStatuses.contains(ending.endStatus) else {
            throw RoutingError(.invalidSession, "endStatus must be one of \(IVREnding.endStatuses.joined(separator: ", ")), not '\(ending.endStatus.prefix(40))'")
        }
        let type = ending.type ?? .phone
        guard IVREnding.types.contains(type) else {
            throw RoutingError(.invalidSession, "an IVR flow takes phone and voip calls, not \(type.rawValue)")
        }
        if ending.keys.count > IVRRun.maximumKeys || !ending.keys.allSatisfy({ "0123456789*#ABCD".contains($0) }) {
            throw RoutingError(.invalidSession, "keys must be at most \(IVRRun.maximumKeys) of 0-9, *, #, A-D")
        }
        if (ending.customer.ivrPath?.count ?? 0) > IVRRun.maximumPath {
            throw RoutingError(.invalidSession, "ivrPath has \(ending.customer.ivrPath!.count) steps; at most \(IVRRun.maximumPath) are kept")
        }
        let fields = [ending.customer.nickname, ending.customer.calleePhoneNumber, ending.customer.callerPhoneNumber]
        if fields.contains(where: { ($0?.count ?? 0) > Self.maximumFieldLength }) {
            throw RoutingError(.invalidSession, "a caller field is longer than \(Self.maximumFieldLength) characters")
        }
        let id = SessionID("s-\(counters.nextSessionNumber)")
        counters.nextSessionNumber += 1
        // The record starts when the call entered the flow (never later than now: the clocks of
        // the gateway and the core may differ by a little).
        let entered = min(ending.enteredAt, clock)
        pendingEvents.append(RoutingEvent(at: entered, effect: .history(
            id, .created(type: type, skillGroupId: Self.noSkillGroup, priority: 0, customer: ending.customer))))
        if !ending.keys.isEmpty { record(id, .digits(ending.keys)) }
        // The caller hanging up is the client's doing; the flow hanging up is the system's.
        let gaveUp = ending.endStatus == IVREnding.ivrGiveUp
        record(id, .ended(
            closeBy: gaveUp ? .client : .admin, agent: nil, mainReason: gaveUp ? nil : ending.endStatus, subReason: nil,
            why: gaveUp ? "the caller hung up in IVR flow \(ending.flowId)" : "IVR flow \(ending.flowId) ended the call",
            endStatus: ending.endStatus))
        return .sessionRecorded(id)
    }
}
