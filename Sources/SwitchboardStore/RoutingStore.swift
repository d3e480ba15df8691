import SwitchboardCore

/// Where Switchboard keeps everything it acknowledged: the routing journal and snapshots that
/// rebuild the core after a restart, and the records the admin API reads (sessions with their
/// history, im messages, agent status history, credentials), and supervisor accounts with their
/// sign-in sessions (``SupervisorStore``, which this protocol refines), and the TCCC server API's
/// key pairs (``APIKeyStore``, refined too), and the single-use login tokens already spent
/// (``SpentTokenStore``), and webhook subscriptions with their outbox (``WebhookStore``).
///
/// One protocol, one implementation per backend (SQLite now, PostgreSQL later); the contract tests
/// in `SwitchboardStoreTests` run against each. Every method that writes returns only after the
/// write is durable (committed), so an acknowledgement sent after it survives a crash.
///
/// Methods throw ``StoreError``: `.invalidQuery` for out-of-range paging, `.sequenceGap` and
/// `.invalidSnapshot` for journal misuse, `.corruptData` for rows that cannot be read back,
/// `.database` when the database itself fails. A write that throws has written nothing.
public protocol RoutingStore: SupervisorStore, APIKeyStore, SpentTokenStore, WebhookStore, CannedReplyStore, WrapUpStore, ReportStore, AttachmentStore {
    /// Loads the newest snapshot and every journal entry after it, oldest first.
    func loadRoutingState() async throws -> StoredRoutingState

    /// Appends journal entries in one transaction, and records what their events say (session
    /// rows and history, agent status history) and what their configuration commands set (agents,
    /// skill groups, memberships). Entries carry consecutive sequence numbers: the first must
    /// follow the last one ever appended (1 for a new store), or nothing is written and it throws
    /// `.sequenceGap`.
    func append(_ entries: [JournalEntry]) async throws

    /// Appends journal entries and stores im messages in ONE transaction, returning the stored
    /// messages in order: the server's group commit, so a message costs no commit of its own.
    /// The entries follow `append`'s rules and the messages `appendMessage`'s; if anything fails,
    /// nothing is written.
    func commit(_ entries: [JournalEntry], messages: [NewMessage]) async throws -> [StoredMessage]

    /// Saves a snapshot taken after the entry `sequence`; entries up to it and older snapshots are
    /// then pruned. `sequence` must be an appended entry (or 0) and not before the newest snapshot's,
    /// else it throws `.invalidSnapshot`.
    func saveSnapshot(_ snapshot: RoutingSnapshot, throughSequence sequence: Int64) async throws

    /// Stores an im message and returns it with its id and position. A message whose
    /// `clientMessageId` the session already has is not stored again: the original is returned.
    func appendMessage(_ message: NewMessage) async throws -> StoredMessage

    /// A page of a session's messages, oldest or newest first; see ``MessagePageQuery``.
    func messages(of session: SessionID, query: MessagePageQuery) async throws -> [StoredMessage]

    /// The journal entries after `sequence`, also those a snapshot already covers (the newest are
    /// kept behind it a while), or nil when some are gone: what a follower catches up from.
    func journal(after sequence: Int64) async throws -> [JournalEntry]?

    /// The messages stored with the journal entries in `sequences` (their `activity`), by entry,
    /// in the order they were stored: what a follower catching up from the journal delivers.
    /// Messages stored before the journal kept this link are not found.
    func messages(committedWith sequences: ClosedRange<Int64>) async throws -> [Int64: [StoredMessage]]

    /// A session's record: type, group, customer, timestamps, end; nil when unknown.
    func session(_ id: SessionID) async throws -> SessionRecord?

    /// A page of session records, newest first, optionally only live ones or one agent's.
    func sessions(_ query: SessionListQuery) async throws -> [SessionRecord]

    /// A session's history, oldest first.
    func history(of session: SessionID) async throws -> [HistoryRecord]

    /// An agent's status changes, newest first; `limit` is 1 to 500.
    func statusHistory(of agent: AgentID, limit: Int) async throws -> [StatusRecord]

    /// Sets (or replaces) an agent's password hash. A journaled `removeAgent` deletes it, so a
    /// later agent with the same id does not inherit the password.
    func setPasswordHash(_ hash: String, for agent: AgentID) async throws

    /// An agent's password hash, if it has a password.
    func passwordHash(for agent: AgentID) async throws -> String?

    /// Refuses, from now on, the agent's login tokens issued before `time` (a supervisor's revoke).
    func revokeTokens(of agent: AgentID, issuedBefore time: Timestamp) async throws

    /// The time before which the agent's tokens are refused, if they were ever revoked.
    func tokensRevokedBefore(of agent: AgentID) async throws -> Timestamp?

    /// Locks an agent's password logins (too many failed attempts) until ``unlockLogins(of:)``;
    /// locking again keeps the first lock's time and the larger failure count. The lock survives
    /// restarts, and a journaled `removeAgent` deletes it with the password.
    func lockLogins(of agent: AgentID, at time: Timestamp, failures: Int) async throws

    /// The agent's login lock, if its password logins are locked.
    func loginLock(of agent: AgentID) async throws -> LoginLock?

    /// Lifts the agent's login lock; true if there was one.
    @discardableResult
    func unlockLogins(of agent: AgentID) async throws -> Bool

    /// Records that a server process started and returns its number: 1 for the first start of
    /// this store, then higher than every number returned before, even across crashes.
    func recordServerStart(at time: Timestamp) async throws -> Int64

    /// Flushes and closes; called on graceful shutdown.
    func close() async throws
}

/// What `loadRoutingState` finds.
public struct StoredRoutingState: Sendable {
    /// The newest snapshot, if any was saved.
    public var snapshot: RoutingSnapshot?
    /// The sequence number the snapshot was taken after (0 without a snapshot).
    public var snapshotSequence: Int64
    /// Journal entries after the snapshot, oldest first.
    public var journal: [JournalEntry]

    /// Creates a loaded state.
    public init(snapshot: RoutingSnapshot?, snapshotSequence: Int64, journal: [JournalEntry]) {
        self.snapshot = snapshot
        self.snapshotSequence = snapshotSequence
        self.journal = journal
    }
}

/// One accepted routing command, as journaled: replaying `command` at `time` in sequence
/// rebuilds the core. `events` are what it caused, for the records; they are not replayed.
///
/// Journal only accepted commands: the store projects configuration commands (`upsertAgent`,
/// `removeAgent`, ...) into records as given. When timers fired before a refused command (its
/// outcome still has events), journal `.tick` at that time with those events instead: it replays
/// the same.
public struct JournalEntry: Sendable {
    /// Consecutive, starting at 1.
    public var sequence: Int64
    /// The time the command was applied at.
    public var time: Timestamp
    /// The command.
    public var command: RoutingCommand
    /// The events it caused (including timers that fired before it). Not stored: loaded entries
    /// have none.
    public var events: [RoutingEvent]
    /// The routing rules it was decided by (`RoutingStateMachine.rulesVersion` when written;
    /// 1 for entries stored before versions were kept).
    public var rulesVersion: Int
    /// The id a follower gave the request this entry carried out (nil for the leader's own):
    /// after a failover, a forwarded request found here was done, one absent changed nothing.
    public var origin: String?

    /// Creates an entry.
    public init(
        sequence: Int64, time: Timestamp, command: RoutingCommand, events: [RoutingEvent],
        rulesVersion: Int = RoutingStateMachine.rulesVersion, origin: String? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.command = command
        self.events = events
        self.rulesVersion = rulesVersion
        self.origin = origin
    }
}

/// Encoded without its events, as the journal stores it: whoever reads it recomputes them by
/// applying the command (a follower's replica, a restart).
extension JournalEntry: Codable {
    private enum CodingKeys: String, CodingKey { case sequence, time, command, rulesVersion, origin }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            sequence: try container.decode(Int64.self, forKey: .sequence), time: try container.decode(Timestamp.self, forKey: .time),
            command: try container.decode(RoutingCommand.self, forKey: .command), events: [],
            rulesVersion: try container.decode(Int.self, forKey: .rulesVersion), origin: try container.decodeIfPresent(String.self, forKey: .origin))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(time, forKey: .time)
        try container.encode(command, forKey: .command)
        try container.encode(rulesVersion, forKey: .rulesVersion)
        try container.encodeIfPresent(origin, forKey: .origin)
    }
}

/// Who wrote an im message.
public enum MessageAuthor: String, Codable, Sendable {
    case customer, agent, system
}

/// An im message to store.
public struct NewMessage: Codable, Sendable {
    /// The session it belongs to.
    public var sessionId: SessionID
    /// Who wrote it.
    public var author: MessageAuthor
    /// The agent, for agent messages.
    public var agentId: AgentID?
    /// The text.
    public var text: String
    /// When it was received.
    public var sentAt: Timestamp
    /// The sender's own id for it, so a retried send is stored once.
    public var clientMessageId: String?
    /// The journal entry committed with it (its session's `activity`), which places its webhook
    /// event among the commit's others; nil places it after them.
    public var journalSequence: Int64?
    /// The file it carries, already saved with ``AttachmentStore/saveAttachment(_:)``.
    public var attachment: AttachmentInfo?

    /// Creates a message.
    public init(
        sessionId: SessionID, author: MessageAuthor, agentId: AgentID? = nil, text: String, sentAt: Timestamp, clientMessageId: String? = nil,
        journalSequence: Int64? = nil, attachment: AttachmentInfo? = nil
    ) {
        self.journalSequence = journalSequence
        self.attachment = attachment
        self.sessionId = sessionId
        self.author = author
        self.agentId = agentId
        self.text = text
        self.sentAt = sentAt
        self.clientMessageId = clientMessageId
    }
}

/// A stored im message.
public struct StoredMessage: Codable, Equatable, Sendable {
    /// Unique across the store, increasing.
    public var id: Int64
    /// The session.
    public var sessionId: SessionID
    /// Who wrote it.
    public var author: MessageAuthor
    /// The agent, for agent messages.
    public var agentId: AgentID?
    /// The text.
    public var text: String
    /// When it was received.
    public var sentAt: Timestamp
    /// The sender's own id, if it gave one.
    public var clientMessageId: String?
    /// The file it carries, if any.
    public var attachment: AttachmentInfo?
    /// True when this is what a retried `clientMessageId` found: stored the first time, not now.
    /// Not a column: it describes one write.
    public var storedBefore: Bool = false

    private enum CodingKeys: String, CodingKey { case id, sessionId, author, agentId, text, sentAt, clientMessageId, attachment }

    /// The same message, however it was reached (`storedBefore` describes the write, not the message).
    public static func == (lhs: StoredMessage, rhs: StoredMessage) -> Bool {
        lhs.id == rhs.id && lhs.sessionId == rhs.sessionId && lhs.author == rhs.author && lhs.agentId == rhs.agentId
            && lhs.text == rhs.text && lhs.sentAt == rhs.sentAt && lhs.clientMessageId == rhs.clientMessageId && lhs.attachment == rhs.attachment
    }

    /// Creates a stored message.
    public init(
        id: Int64, sessionId: SessionID, author: MessageAuthor, agentId: AgentID?, text: String, sentAt: Timestamp, clientMessageId: String?,
        attachment: AttachmentInfo? = nil
    ) {
        self.attachment = attachment
        self.id = id
        self.sessionId = sessionId
        self.author = author
        self.agentId = agentId
        self.text = text
        self.sentAt = sentAt
        self.clientMessageId = clientMessageId
    }
}

/// Which page of messages.
public struct MessagePageQuery: Sendable {
    /// Oldest first (`true`) or newest first.
    public var oldestFirst: Bool
    /// At most this many (1 to 500).
    public var limit: Int
    /// Only messages with an id below this (paging newest first) ...
    public var beforeId: Int64?
    /// ... or above this (paging oldest first).
    public var afterId: Int64?

    /// Creates a query.
    public init(oldestFirst: Bool = true, limit: Int = 50, beforeId: Int64? = nil, afterId: Int64? = nil) {
        self.oldestFirst = oldestFirst
        self.limit = limit
        self.beforeId = beforeId
        self.afterId = afterId
    }
}

/// Which page of sessions.
public struct SessionListQuery: Sendable {
    /// Only sessions not yet ended.
    public var liveOnly: Bool
    /// Only sessions this agent was offered, held or transferred.
    public var agentId: AgentID?
    /// Only this skill group's.
    public var skillGroupId: SkillGroupID?
    /// Only sessions created at or after this time.
    public var createdFrom: Timestamp?
    /// Only sessions created before this time.
    public var createdBefore: Timestamp?
    /// Only sessions of these types (an empty list matches none).
    public var types: [SessionType]?
    /// At most this many (1 to 500).
    public var limit: Int
    /// Skip this many (in the listing's order).
    public var offset: Int
    /// Oldest first instead of newest first. Exports that page through a range use it: sessions
    /// are created with ever later times, so new ones land after every page already read and
    /// offsets stay stable; newest first, each new session would shift every page by one.
    public var oldestFirst: Bool
    /// Only sessions this agent accepted (an agent's own history: not those that only rang at it).
    public var acceptedBy: AgentID?
    /// Only sessions whose customer details (name, numbers, remark, user ids) or messages
    /// contain this text, ignoring case (ASCII letters); 1 to `maximumSearchLength` characters.
    public var containing: String?
    /// Only sessions of this customer (the identity `usingLastSeat` uses), matched on the
    /// identifying value as the session recorded it.
    public var customer: ReturningCustomer?
    /// Leaves this session out (the one whose customer's other sessions are asked for).
    public var excluding: SessionID?
    /// Only sessions now filed under one of these skill groups (an empty set matches none).
    public var skillGroupIds: Set<SkillGroupID>?

    /// The longest `containing` text.
    public static let maximumSearchLength = 100
    /// The customer details `containing` looks in.
    public static let searchedCustomerFields = ["nickname", "remark", "callerPhoneNumber", "calleePhoneNumber", "userId", "peerUserId"]

    /// Creates a query.
    public init(
        liveOnly: Bool = false, agentId: AgentID? = nil, skillGroupId: SkillGroupID? = nil, createdFrom: Timestamp? = nil,
        createdBefore: Timestamp? = nil, types: [SessionType]? = nil, limit: Int = 50, offset: Int = 0, oldestFirst: Bool = false,
        acceptedBy: AgentID? = nil, containing: String? = nil, customer: ReturningCustomer? = nil,
        excluding: SessionID? = nil, skillGroupIds: Set<SkillGroupID>? = nil
    ) {
        self.customer = customer
        self.excluding = excluding
        self.skillGroupIds = skillGroupIds
        self.acceptedBy = acceptedBy
        self.containing = containing
        self.oldestFirst = oldestFirst
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.types = types
        self.liveOnly = liveOnly
        self.agentId = agentId
        self.skillGroupId = skillGroupId
        self.limit = limit
        self.offset = offset
    }
}

/// A session as the record keeps it, with TCCC's record fields.
public struct SessionRecord: Codable, Equatable, Sendable {
    /// The session.
    public var id: SessionID
    /// Its type.
    public var type: SessionType
    /// Its current (or last) skill group.
    public var skillGroupId: SkillGroupID
    /// Its queue priority; higher went first.
    public var priority: Int
    /// What the customer said about itself.
    public var customer: CustomerDetails
    /// When it arrived: a call that walked an IVR flow first arrived when it was answered;
    /// anything else as it was queued.
    public var createdAt: Timestamp
    /// When it was first queued in a skill group; nil for a session that never queued (turned
    /// away, ended in an IVR flow, an outbound call) and for records written before it was kept.
    public var queuedAt: Timestamp?
    /// When it first rang at an agent.
    public var firstRingAt: Timestamp?
    /// When it was first accepted.
    public var acceptedAt: Timestamp?
    /// When it ended.
    public var endedAt: Timestamp?
    /// The agent it rang at or was held by most recently.
    public var agentId: AgentID?
    /// Who ended it.
    public var closeBy: CloseBy?
    /// The admin's reason, or the timer's ("queue timeout", "no message for 60 s").
    public var mainReason: String?
    /// The admin's detailed reason.
    public var subReason: String?
    /// TCCC-style end status: ok (it was accepted), waitingGiveUp, ringingGiveUp, queueTimeout,
    /// adminEnded; for outbound calls busy, notAnswer, userReject, numberNotExist, operatorError,
    /// error, callerCancel; nil while live.
    public var endStatus: String?
    /// phone calls: inbound or outbound; nil for other types.
    public var direction: CallDirection?
    /// phone calls: the keys the caller pressed, in order; nil if none.
    public var digits: String?
    /// The agent's wrap-up (disposition code and note), once it saved one.
    public var wrapUp: SessionWrapUp?
    /// Time on hold over every agent's handling (`Call.hold` to `Call.unHold` or the end); nil
    /// for a session no agent handled, or one recorded before hold time was kept.
    public var holdMilliseconds: Int64?

    /// Creates a record.
    public init(id: SessionID, type: SessionType, skillGroupId: SkillGroupID, customer: CustomerDetails, createdAt: Timestamp,
                queuedAt: Timestamp? = nil, firstRingAt: Timestamp? = nil, acceptedAt: Timestamp? = nil, endedAt: Timestamp? = nil, agentId: AgentID? = nil,
                closeBy: CloseBy? = nil, mainReason: String? = nil, subReason: String? = nil, endStatus: String? = nil, priority: Int = 0,
                direction: CallDirection? = nil, digits: String? = nil) {
        self.direction = direction
        self.digits = digits
        self.id = id
        self.type = type
        self.skillGroupId = skillGroupId
        self.priority = priority
        self.customer = customer
        self.createdAt = createdAt
        self.queuedAt = queuedAt
        self.firstRingAt = firstRingAt
        self.acceptedAt = acceptedAt
        self.endedAt = endedAt
        self.agentId = agentId
        self.closeBy = closeBy
        self.mainReason = mainReason
        self.subReason = subReason
        self.endStatus = endStatus
    }
}

/// One line of a session's history as stored.
public struct HistoryRecord: Codable, Equatable, Sendable {
    /// When it happened.
    public var at: Timestamp
    /// What happened: created, dialled, queued, offered, missed, withdrawn, accepted, transferred,
    /// overflowed, returnedToQueue, digits, ended.
    public var kind: String
    /// The agent concerned, if any.
    public var agentId: AgentID?
    /// The skill group concerned, if any.
    public var skillGroupId: SkillGroupID?
    /// The details as JSON text (offer reason, transfer target, end reasons).
    public var detail: String

    /// Creates a history record.
    public init(at: Timestamp, kind: String, agentId: AgentID?, skillGroupId: SkillGroupID?, detail: String) {
        self.at = at
        self.kind = kind
        self.agentId = agentId
        self.skillGroupId = skillGroupId
        self.detail = detail
    }
}

/// One agent status change as stored.
public struct StatusRecord: Codable, Equatable, Sendable {
    /// When.
    public var at: Timestamp
    /// The new status.
    public var status: AgentStatus
    /// The rest reason.
    public var restReason: String?
    /// Why.
    public var cause: StatusChangeCause

    /// Creates a status record.
    public init(at: Timestamp, status: AgentStatus, restReason: String?, cause: StatusChangeCause) {
        self.at = at
        self.status = status
        self.restReason = restReason
        self.cause = cause
    }
}

/// A durable lock on an agent's password logins, set after too many failed attempts.
public struct LoginLock: Equatable, Sendable {
    /// When the logins were locked.
    public var lockedAt: Timestamp
    /// How many failed attempts had been counted when they were.
    public var failures: Int

    /// Creates a lock.
    public init(lockedAt: Timestamp, failures: Int) {
        self.lockedAt = lockedAt
        self.failures = failures
    }
}
