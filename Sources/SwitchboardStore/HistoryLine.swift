import SwitchboardCore

/// A session history entry as every backend stores it: a kind name, the agent and skill group it
/// concerns (as columns, so lists can filter on them), and its fields as JSON text for the admin API.
struct HistoryLine: Equatable, Sendable {
    var kind: String
    var agentId: AgentID?
    var skillGroupId: SkillGroupID?
    var detail: String

    init(_ entry: SessionHistoryEntry) throws(StoreError) {
        switch entry {
        case .created(let type, let group, let priority, let customer):
            try self.init("created", nil, group, CreatedDetail(type: type, skillGroupId: group, priority: priority, customer: customer))
        case .queued(let group):
            try self.init("queued", nil, group, QueuedDetail(skillGroupId: group))
        case .offered(let agent, let reason):
            let passedOver = reason.passedOver.map { PassedOverDetail(agent: $0.agent, why: $0.why) }
            try self.init("offered", agent, nil, OfferedDetail(
                agent: agent, strategy: reason.strategy, skillLevel: reason.skillLevel,
                idleMilliseconds: reason.idleMilliseconds, activeSessions: reason.activeSessions, passedOver: passedOver,
                lastSeat: reason.lastSeat ? true : nil, ringAll: reason.ringAll ? true : nil, assigned: reason.assigned ? true : nil))
        case .missed(let agent):
            try self.init("missed", agent, nil, AgentDetail(agent: agent, why: nil))
        case .overdue(let agent):
            try self.init("overdue", agent, nil, AgentDetail(agent: agent, why: "the offer timed out; the group's timeout transfer is off, so it rings on"))
        case .withdrawn(let agent, let why):
            try self.init("withdrawn", agent, nil, AgentDetail(agent: agent, why: why))
        case .accepted(let agent):
            try self.init("accepted", agent, nil, AgentDetail(agent: agent, why: nil))
        case .transferred(let from, let toGroup, let toAgent):
            try self.init("transferred", from, toGroup, TransferredDetail(from: from, toSkillGroup: toGroup, toAgent: toAgent))
        case .overflowed(let from, let to):
            try self.init("overflowed", nil, to, OverflowedDetail(from: from, to: to))
        case .returnedToQueue(let agent, let why):
            try self.init("returnedToQueue", agent, nil, AgentDetail(agent: agent, why: why))
        case .ended(let closeBy, let agent, let mainReason, let subReason, let why, let endStatus):
            try self.init("ended", agent, nil, EndedDetail(
                closeBy: closeBy, agent: agent, mainReason: mainReason, subReason: subReason, why: why, endStatus: endStatus))
        case .dialled(let agent, let phoneNumber):
            try self.init("dialled", agent, nil, DialledDetail(agent: agent, phoneNumber: phoneNumber))
        case .digits(let digits):
            try self.init("digits", nil, nil, DigitsDetail(digits: digits))
        }
    }

    private init(_ kind: String, _ agentId: AgentID?, _ skillGroupId: SkillGroupID?, _ detail: some Encodable) throws(StoreError) {
        self.kind = kind
        self.agentId = agentId
        self.skillGroupId = skillGroupId
        self.detail = try StoreJSON.encode(detail, "the detail of a '\(kind)' history entry")
    }
}

private struct CreatedDetail: Encodable {
    var type: SessionType, skillGroupId: SkillGroupID, priority: Int, customer: CustomerDetails
}

private struct QueuedDetail: Encodable {
    var skillGroupId: SkillGroupID
}

private struct OfferedDetail: Encodable {
    var agent: AgentID, strategy: RoutingStrategy?, skillLevel: Int?, idleMilliseconds: Int64, activeSessions: Int
    var passedOver: [PassedOverDetail]
    /// Present (true) only when the group's usingLastSeat chose the customer's last agent.
    var lastSeat: Bool?
    /// Present (true) only when the offer rang at every eligible agent together.
    var ringAll: Bool?
    /// Present (true) only when a supervisor chose the agent (the admin API's assign).
    var assigned: Bool?
}

private struct PassedOverDetail: Encodable {
    var agent: AgentID, why: String
}

private struct AgentDetail: Encodable {
    var agent: AgentID, why: String?
}

private struct TransferredDetail: Encodable {
    var from: AgentID, toSkillGroup: SkillGroupID?, toAgent: AgentID?
}

private struct OverflowedDetail: Encodable {
    var from: SkillGroupID, to: SkillGroupID
}

private struct EndedDetail: Encodable {
    var closeBy: CloseBy, agent: AgentID?, mainReason: String?, subReason: String?, why: String?, endStatus: String?
}

private struct DialledDetail: Encodable {
    var agent: AgentID, phoneNumber: String
}

private struct DigitsDetail: Encodable {
    var digits: String
}
