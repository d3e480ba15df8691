/// The `data` of a successful `Agent.getTransferTargets`: whom the agent may transfer to, the
/// tenant's skill groups and its online colleagues (a Switchboard extension of the TCCC SDK).
public struct TransferTargets: Sendable, Codable, Equatable, Hashable {
    /// The session asked about, when the request named one.
    public var sessionId: String?
    /// Every skill group of the tenant, by name then id.
    public var skillGroups: [SkillGroupTarget]
    /// Every online agent except the one asking, by name then id.
    public var agents: [AgentTarget]

    /// Creates the result.
    public init(sessionId: String? = nil, skillGroups: [SkillGroupTarget], agents: [AgentTarget]) {
        self.sessionId = sessionId
        self.skillGroups = skillGroups
        self.agents = agents
    }

    /// A skill group, as `Chat.transfer`'s `skillGroupId` takes it: the session joins its queue.
    public struct SkillGroupTarget: Sendable, Codable, Equatable, Hashable {
        /// The group's id, for `Chat.transfer`.
        public var skillGroupId: String
        /// Its name for people.
        public var name: String
        /// How many sessions wait in its queue now.
        public var waiting: Int
        /// How many of its members are online (any status but `offline`).
        public var membersOnline: Int

        /// Creates an entry.
        public init(skillGroupId: String, name: String, waiting: Int, membersOnline: Int) {
            self.skillGroupId = skillGroupId
            self.name = name
            self.waiting = waiting
            self.membersOnline = membersOnline
        }
    }

    /// An online colleague, as `Chat.transfer`'s `userId` takes it: the session rings there.
    public struct AgentTarget: Sendable, Codable, Equatable, Hashable {
        /// The agent's id, for `Chat.transfer`.
        public var userId: String
        /// Its name for people.
        public var name: String
        /// Its status now; never `offline`.
        public var status: AgentStatus
        /// False once the agent has been without a connection for longer than the reconnect grace.
        public var connected: Bool
        /// The skill groups it serves, in id order.
        public var skillGroupIds: [String]
        /// With a `sessionId`: whether `Chat.transfer` of that session to this agent would be
        /// carried out now. Absent without one.
        public var available: Bool?
        /// When `available` is false: why, in the words `Chat.transfer` would refuse with.
        public var why: String?

        /// Creates an entry.
        public init(
            userId: String, name: String, status: AgentStatus, connected: Bool = true, skillGroupIds: [String] = [],
            available: Bool? = nil, why: String? = nil
        ) {
            self.userId = userId
            self.name = name
            self.status = status
            self.connected = connected
            self.skillGroupIds = skillGroupIds
            self.available = available
            self.why = why
        }
    }
}
