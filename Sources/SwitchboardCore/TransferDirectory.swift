/// Whom an agent may hand a session to: the tenant's skill groups and its online colleagues, as
/// ``RoutingStateMachine/transferDirectory(for:session:)`` reads them from the current state.
public struct TransferDirectory: Equatable, Sendable {
    /// A skill group a session can be transferred to (into its queue).
    public struct Group: Equatable, Sendable {
        /// The group's id.
        public var id: SkillGroupID
        /// Its name for people.
        public var name: String
        /// How many sessions wait in its queue now.
        public var waiting: Int
        /// How many of its members are online (any status but `offline`).
        public var membersOnline: Int
    }

    /// An online colleague a session can be transferred to by name.
    public struct Colleague: Equatable, Sendable {
        /// The agent's id.
        public var id: AgentID
        /// Its name for people.
        public var name: String
        /// Its status now (never `offline`: offline agents are no transfer targets).
        public var status: AgentStatus
        /// False once the agent has been without a connection for longer than the reconnect grace.
        public var reachable: Bool
        /// The skill groups it serves, in id order.
        public var skillGroupIds: [SkillGroupID]
        /// Whether it can take the session asked about now; nil when no session was named.
        public var availability: Availability?
    }

    /// Whether a colleague can take one particular session now.
    public enum Availability: Equatable, Sendable {
        /// `Chat.transfer` to this agent would be carried out now.
        case available
        /// `Chat.transfer` to this agent would be refused now, with this message.
        case unavailable(why: String)
    }

    /// The session the availabilities are about, if one was named.
    public var session: SessionID?
    /// Every skill group of the tenant, by name then id.
    public var groups: [Group]
    /// Every online agent except the one asking, by name then id.
    public var colleagues: [Colleague]
}
