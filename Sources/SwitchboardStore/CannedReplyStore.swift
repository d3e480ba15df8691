import SwitchboardCore

/// Canned replies: texts an agent inserts into a chat with a `/shortcut`. A reply belongs either
/// to a skill group (shared by its members, managed through the admin API) or to one agent (its
/// personal replies, which it manages itself from the workbench). A shortcut is unique within its
/// owner. Every write is one committed transaction; the contract tests in
/// `CannedReplyContractTests` run against each backend.
public protocol CannedReplyStore: Sendable {
    /// Stores a new reply, unless its owner already has a reply with that shortcut or already
    /// holds `limit` replies; the check and the insert are one transaction.
    func createCannedReply(_ reply: CannedReply, limit: Int) async throws -> CannedReplyWrite

    /// Replaces a reply's shortcut, title and text (its owner and creation time stay), unless
    /// another reply of the same owner has that shortcut.
    func updateCannedReply(_ reply: CannedReply) async throws -> CannedReplyWrite

    /// One reply; nil when unknown.
    func cannedReply(id: String) async throws -> CannedReply?

    /// The replies of these owners (all replies when `owners` is nil), by owner then shortcut.
    func cannedReplies(of owners: [CannedReplyOwner]?) async throws -> [CannedReply]

    /// Deletes one reply; true if it existed.
    @discardableResult
    func deleteCannedReply(id: String) async throws -> Bool

    /// Deletes every reply of an owner (a skill group or agent that was deleted); how many.
    @discardableResult
    func deleteCannedReplies(of owner: CannedReplyOwner) async throws -> Int
}

/// Whose a canned reply is.
public enum CannedReplyOwner: Hashable, Sendable {
    /// Shared by the members of a skill group.
    case skillGroup(SkillGroupID)
    /// One agent's personal reply.
    case agent(AgentID)

    /// The stored scope name: `skillGroup` or `agent`.
    public var scope: String {
        switch self {
        case .skillGroup: "skillGroup"
        case .agent: "agent"
        }
    }

    /// The owner's id, as stored.
    public var ownerId: String {
        switch self {
        case .skillGroup(let group): group.rawValue
        case .agent(let agent): agent.rawValue
        }
    }

    /// The owner from its stored scope and id; nil for a scope this version does not know.
    public init?(scope: String, ownerId: String) {
        switch scope {
        case "skillGroup": self = .skillGroup(SkillGroupID(ownerId))
        case "agent": self = .agent(AgentID(ownerId))
        default: return nil
        }
    }
}

/// One canned reply as stored.
public struct CannedReply: Equatable, Sendable {
    /// Its id, e.g. `cr-3f9a0c1b2d4e`.
    public var id: String
    /// The skill group or agent it belongs to.
    public var owner: CannedReplyOwner
    /// What the agent types after `/` to find it, lower case, without the slash.
    public var shortcut: String
    /// A few words saying what it is for, shown in the picker.
    public var title: String
    /// The text it inserts.
    public var text: String
    /// When it was created.
    public var createdAt: Timestamp
    /// When it was last changed.
    public var updatedAt: Timestamp

    /// Creates a reply.
    public init(id: String, owner: CannedReplyOwner, shortcut: String, title: String, text: String, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.owner = owner
        self.shortcut = shortcut
        self.title = title
        self.text = text
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The outcome of writing a canned reply.
public enum CannedReplyWrite: Equatable, Sendable {
    /// Written; the reply as stored now.
    case saved(CannedReply)
    /// Nothing written: another reply of the same owner has this shortcut (its id).
    case shortcutTaken(existingId: String)
    /// Nothing written: the owner already has the most replies allowed.
    case full
    /// Nothing written: no reply has this id.
    case notFound
}
