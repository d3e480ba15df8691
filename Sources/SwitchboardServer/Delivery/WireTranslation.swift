import SwitchboardCore
import SwitchboardProtocol

/// Turns the core's values into the wire protocol's. The two modules each have their own
/// `SessionType`, `AgentStatus`, `CloseBy` and `StatusChangeCause` so that the SDK does not depend
/// on the core; they share raw values, which is what these conversions rely on.
enum WireTranslation {
    static func sessionType(_ type: SwitchboardCore.SessionType) -> SwitchboardProtocol.SessionType {
        SwitchboardProtocol.SessionType(rawValue: type.rawValue)!
    }

    static func status(_ status: SwitchboardCore.AgentStatus) -> SwitchboardProtocol.AgentStatus {
        SwitchboardProtocol.AgentStatus(rawValue: status.rawValue)!
    }

    /// A status asked for while busy, as the wire names it.
    static func status(_ requested: RequestedStatus) -> SwitchboardProtocol.AgentStatus {
        SwitchboardProtocol.AgentStatus(rawValue: requested.rawValue)!
    }

    static func closeBy(_ closeBy: SwitchboardCore.CloseBy) -> SwitchboardProtocol.CloseBy {
        SwitchboardProtocol.CloseBy(rawValue: closeBy.rawValue)!
    }

    /// The `data` of `Agent.getTransferTargets`.
    static func transferTargets(_ directory: TransferDirectory) -> TransferTargets {
        TransferTargets(
            sessionId: directory.session?.rawValue,
            skillGroups: directory.groups.map {
                TransferTargets.SkillGroupTarget(skillGroupId: $0.id.rawValue, name: $0.name, waiting: $0.waiting, membersOnline: $0.membersOnline)
            },
            agents: directory.colleagues.map { colleague in
                var target = TransferTargets.AgentTarget(
                    userId: colleague.id.rawValue, name: colleague.name, status: status(colleague.status), connected: colleague.reachable,
                    skillGroupIds: colleague.skillGroupIds.map(\.rawValue))
                switch colleague.availability {
                case nil: break
                case .available: target.available = true
                case .unavailable(let why):
                    target.available = false
                    target.why = why
                }
                return target
            })
    }

    /// The `callIn` payload for a session: the document's fields for its type.
    static func callIn(sessionId: SessionID, type: SwitchboardCore.SessionType, timeout: Int, customer: CustomerDetails) -> CallIn {
        var callIn = CallIn(sessionId: sessionId.rawValue, type: sessionType(type), timeout: timeout)
        switch type {
        case .im:
            callIn.nickname = customer.nickname ?? ""
            callIn.avatar = customer.avatar
            callIn.remark = customer.remark
            callIn.peerSource = customer.peerSource
            callIn.channelName = customer.channelName
            callIn.clientData = customer.clientData
        case .phone:
            callIn.calleePhoneNumber = customer.calleePhoneNumber ?? ""
            callIn.callerPhoneNumber = customer.callerPhoneNumber
            callIn.callerLocation = customer.callerLocation
            callIn.remark = customer.remark
            callIn.ivrPath = (customer.ivrPath ?? []).map { CallIn.IVRStep(key: $0.key, label: $0.label) }
            callIn.serverType = customer.serverType ?? "staffSeat"
        case .voip:
            callIn.callee = customer.callee ?? ""
            callIn.calleeRemark = customer.calleeRemark
            callIn.userId = visitorId(customer)
            callIn.nickname = customer.nickname
            callIn.avatar = customer.avatar
            callIn.remark = customer.remark
            callIn.peerSource = customer.peerSource
            callIn.ivrPath = customer.ivrPath.map { $0.map { CallIn.IVRStep(key: $0.key, label: $0.label) } }
        case .video:
            callIn.userId = visitorId(customer)
            callIn.nickname = customer.nickname
            callIn.avatar = customer.avatar
            callIn.remark = customer.remark
        case .internal:
            callIn.peerUserId = customer.peerUserId ?? ""
        }
        return callIn
    }

    /// A call's `callIn.userId`: the site's id for the customer, or, for a page that does not know
    /// its visitor, a stable one made up from the nickname (never stored as the customer's id, so
    /// two visitors of the same name are not taken for one returning customer).
    static func visitorId(_ customer: CustomerDetails) -> String {
        if let userId = customer.userId, !userId.isEmpty { return userId }
        return "visitor-\(customer.nickname ?? "")"
    }

    /// The SDK event for a core notification, with what the live session adds: a telephone
    /// call's `callOuted` carries the numbers, remark and uui, so a page that did not dial the
    /// call (one placed with the server API's `CreateCallOutSession`) knows it as the dialler does.
    static func event(_ notification: AgentNotification, sessions: [SessionID: Session]) -> AgentEvent {
        let event = event(notification)
        guard case .callOuted(var placed) = event, placed.type == .phone,
              let customer = sessions[SessionID(placed.sessionId)]?.customer else { return event }
        placed.callerPhoneNumber = customer.callerPhoneNumber
        placed.remark = customer.remark
        placed.uui = customer.clientData
        placed.serverType = customer.serverType ?? "staffSeat"
        return .callOuted(placed)
    }

    /// The SDK event for a core notification.
    static func event(_ notification: AgentNotification) -> AgentEvent {
        switch notification {
        case .callIn(let offer):
            .callIn(callIn(sessionId: offer.sessionId, type: offer.type, timeout: offer.timeout, customer: offer.customer))
        case .userAccessed(let sessionId):
            .userAccessed(sessionId: sessionId.rawValue)
        case .autoTransfer(let sessionId):
            .autoTransfer(sessionId: sessionId.rawValue)
        case .sessionEnded(let end):
            .sessionEnded(SessionEnded(
                sessionId: end.sessionId.rawValue, closeBy: closeBy(end.closeBy), mainReason: end.mainReason,
                subReason: end.subReason, type: sessionType(end.type), duration: end.duration, endStatus: end.endStatus))
        case .transfer(let sessionId, let skillGroupId, let userId):
            .transfer(sessionId: sessionId.rawValue, skillGroupId: skillGroupId?.rawValue, userId: userId?.rawValue)
        case .statusChanged(let change):
            .statusChanged(StatusChanged(
                status: status(change.status), restReason: change.restReason,
                cause: SwitchboardProtocol.StatusChangeCause(rawValue: change.cause.rawValue)))
        case .sessionCompleted(let sessionId):
            .sessionCompleted(sessionId: sessionId.rawValue)
        case .callOuted(let sessionId, let calleeUserId, let skillGroupId, let phoneNumber, let byServerAPI):
            .callOuted(CallOuted(
                sessionId: sessionId.rawValue, type: phoneNumber == nil ? .internal : .phone, calleeUserId: calleeUserId?.rawValue,
                skillGroupId: skillGroupId.rawValue, calleePhoneNumber: phoneNumber, placedBy: byServerAPI ? "serverAPI" : nil))
        case .calloutAccepted(let sessionId):
            .calloutAccepted(sessionId: sessionId.rawValue)
        }
    }

    /// What the agent's workbench shows for a live session it has ringing or holds.
    static func summary(of session: Session, machine: RoutingStateMachine, now: Timestamp) -> SessionSummary? {
        // A ringing offer tells a reconnecting agent the seconds it has left, not the full timeout
        // it was offered with (rounded up: a last fraction of a second still counts as one); one
        // that rang past its timeout and rings on (timeout transfer off) has no countdown: 0.
        var timeout = machine.skillGroups[session.skillGroupId]?.offerTimeoutSeconds ?? 0
        if case .ringing(_, let deadline) = session.state {
            timeout = deadline.map { max(1, Int(($0.milliseconds - max(now, machine.clock).milliseconds + 999) / 1000)) } ?? 0
        }
        let callIn = callIn(sessionId: session.id, type: session.type, timeout: timeout, customer: session.customer)
        let group = session.skillGroupId.rawValue
        let direction = session.direction?.rawValue
        switch session.state {
        case .queued: return nil
        case .ringing: return SessionSummary(callIn: callIn, state: .ringing, skillGroupId: group, direction: direction)
        case .accepted:
            return SessionSummary(
                callIn: callIn, state: .accepted, acceptedAt: session.acceptedAt?.milliseconds, skillGroupId: group, direction: direction)
        }
    }
}
