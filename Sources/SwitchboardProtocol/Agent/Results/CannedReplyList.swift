/// The `data` of a successful `CannedReplies.list`: the replies this agent may insert, its
/// personal ones first, then those its skill groups share (a Switchboard extension).
public struct CannedReplyList: Sendable, Codable, Equatable, Hashable {
    /// The replies, personal first, each by shortcut.
    public var replies: [CannedReplyItem]

    /// Creates the result.
    public init(replies: [CannedReplyItem]) { self.replies = replies }
}

/// One canned reply as an agent sees it (the `data` of `CannedReplies.save` too).
public struct CannedReplyItem: Sendable, Codable, Equatable, Hashable {
    /// Its id, for `CannedReplies.save` and `CannedReplies.delete`.
    public var id: String
    /// `agent` (this agent's own, which it may change) or `skillGroup` (shared; read-only here).
    public var scope: String
    /// The group that shares it, for a `skillGroup` reply.
    public var skillGroupId: String?
    /// What follows the `/`, lower case.
    public var shortcut: String
    /// A few words saying what it is for.
    public var title: String
    /// The text it inserts.
    public var text: String

    /// Creates an entry.
    public init(id: String, scope: String, skillGroupId: String? = nil, shortcut: String, title: String, text: String) {
        self.id = id
        self.scope = scope
        self.skillGroupId = skillGroupId
        self.shortcut = shortcut
        self.title = title
        self.text = text
    }
}
