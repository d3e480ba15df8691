/// A telephone number of the tenant's and what a call to it reaches: a skill group's queue, or an
/// IVR flow (a menu) that ends in one; exactly one of the two.
///
/// Kept in the routing core with the skill groups (journaled, in snapshots), so a number can never
/// point at a group that no longer exists.
public struct PhoneNumberBinding: Codable, Equatable, Sendable {
    /// The number as the trunk sends it in the Request-URI (digits, a leading `+`).
    public var number: String
    /// The skill group whose queue its calls join; nil when an IVR flow answers them.
    public var skillGroupId: SkillGroupID?
    /// The IVR flow its calls go through first; nil when they join `skillGroupId`'s queue at once.
    public var ivrFlowId: IVRFlowID?
    /// The queue priority its calls get (higher goes first); a flow's `queue` node sets its own.
    public var priority: Int
    /// Leave calls ringing (180) until an agent accepts, instead of answering at once with queue
    /// audio; nil or false answers at once. Callers then hear the carrier's ringback while queued.
    public var answerWhenAccepted: Bool?
    /// Record calls to this number (and outbound calls presenting it) from the moment an agent
    /// answers (true), or never (false), whatever their skill group's `recordCalls` says; nil:
    /// the group decides. Routing never reads it, so journals written before it
    /// existed replay unchanged (an absent field decodes as nil) and the rules version stays.
    public var record: Bool?

    /// Creates a binding.
    public init(number: String, skillGroupId: SkillGroupID? = nil, ivrFlowId: IVRFlowID? = nil, priority: Int = 0, answerWhenAccepted: Bool? = nil, record: Bool? = nil) {
        self.number = number
        self.skillGroupId = skillGroupId
        self.ivrFlowId = ivrFlowId
        self.priority = priority
        self.answerWhenAccepted = answerWhenAccepted
        self.record = record
    }
}

extension RoutingStateMachine {
    mutating func upsertPhoneNumber(_ binding: PhoneNumberBinding) throws(RoutingError) {
        try OutboundCall.checkNumber(binding.number, field: "number", code: .invalidConfiguration)
        switch (binding.skillGroupId, binding.ivrFlowId) {
        case (let group?, nil):
            _ = try requireGroup(group)
        case (nil, let flow?):
            _ = try requireFlow(flow)
            if binding.answerWhenAccepted == true {
                // A menu needs the call answered: it cannot ring until an agent accepts.
                throw RoutingError(.invalidConfiguration, "phone number \(binding.number): answerWhenAccepted cannot be used with an IVR flow, which answers the call to play its menu")
            }
        default:
            throw RoutingError(.invalidConfiguration, "phone number \(binding.number) must be bound to a skill group or to an IVR flow: give exactly one of skillGroupId and ivrFlowId")
        }
        if abs(binding.priority) > Self.maximumPriority {
            throw RoutingError(.invalidConfiguration, "priority must be between -\(Self.maximumPriority) and \(Self.maximumPriority), not \(binding.priority)")
        }
        phoneNumbers[binding.number] = binding
    }

    mutating func removePhoneNumber(_ number: String) throws(RoutingError) {
        guard phoneNumbers[number] != nil else {
            throw RoutingError(.invalidConfiguration, "phone number \(number) is not bound to anything")
        }
        phoneNumbers[number] = nil
    }

    /// The number bound to `group`, if any (a group with a number cannot be removed).
    func phoneNumber(boundTo group: SkillGroupID) -> String? {
        phoneNumbers.values.filter { $0.skillGroupId == group }.map(\.number).min()
    }

    /// The number bound to `flow`, if any (a flow with a number cannot be removed).
    func phoneNumber(boundTo flow: IVRFlowID) -> String? {
        phoneNumbers.values.filter { $0.ivrFlowId == flow }.map(\.number).min()
    }
}
