/// An agent's membership of one skill group.
public struct Membership: Codable, Equatable, Sendable {
    /// 1 (best) to 5; TCCC's agent priority in the group. Defaults to 3.
    public var skillLevel: Int

    /// Creates a membership.
    public init(skillLevel: Int = 3) { self.skillLevel = skillLevel }
}

/// What an administrator sets about an agent: who it is and what it serves.
public struct AgentProfile: Codable, Equatable, Sendable {
    /// The agent's id (TCCC's `userId`).
    public var id: AgentID
    /// A name customers and colleagues see.
    public var name: String
    /// The skill groups the agent serves, with its skill level in each.
    public var memberships: [SkillGroupID: Membership]
    /// How many `im` sessions the agent may hold at once; nil uses the tenant default.
    public var imCapacity: Int?

    /// Creates a profile.
    public init(id: AgentID, name: String? = nil, memberships: [SkillGroupID: Membership] = [:], imCapacity: Int? = nil) {
        self.id = id
        self.name = name ?? id.rawValue
        self.memberships = memberships
        self.imCapacity = imCapacity
    }

    func validate() throws(RoutingError) {
        if id.rawValue.isEmpty { throw RoutingError(.invalidConfiguration, "an agent needs a non-empty id") }
        for (group, membership) in memberships where !(1...5).contains(membership.skillLevel) {
            throw RoutingError(.invalidConfiguration, "agent \(id): skill level in \(group) must be 1 (best) to 5, not \(membership.skillLevel)")
        }
        if let imCapacity, !(1...100).contains(imCapacity) {
            throw RoutingError(.invalidConfiguration, "agent \(id): imCapacity must be 1 to 100, not \(imCapacity)")
        }
    }
}
