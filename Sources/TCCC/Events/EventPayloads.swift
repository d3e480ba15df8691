/// The payload of `ready`: none. The SDK is logged in and caught up; calls can be made.
public struct ReadyEvent: Sendable, Equatable, Hashable {
    /// Creates the payload.
    public init() {}
}

/// The payload of `userAccessed`: the agent accepted the session.
public struct UserAccessedEvent: Sendable, Equatable, Hashable {
    /// The session.
    public var sessionId: String

    /// Creates the payload.
    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}

/// The payload of `autoTransfer`: the offer rang out (or was withdrawn) and the session moved on.
public struct AutoTransferEvent: Sendable, Equatable, Hashable {
    /// The session.
    public var sessionId: String

    /// Creates the payload.
    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}

/// The payload of `transfer`: this agent transferred the session to a skill group or an agent.
public struct TransferEvent: Sendable, Equatable, Hashable {
    /// The session.
    public var sessionId: String
    /// The skill group it went to, when transferred to a group.
    public var skillGroupId: String?
    /// The agent it went to, when transferred to an agent.
    public var userId: String?

    /// Creates the payload.
    public init(sessionId: String, skillGroupId: String? = nil, userId: String? = nil) {
        self.sessionId = sessionId
        self.skillGroupId = skillGroupId
        self.userId = userId
    }
}

/// The payload of `sessionCompleted`: the agent finished wrap-up for the session.
public struct SessionCompletedEvent: Sendable, Equatable, Hashable {
    /// The session.
    public var sessionId: String

    /// Creates the payload.
    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}

/// The payload of `tokenExpired`: none. The login token ran out; the SDK stopped and waits for
/// ``TCCC/restart(token:)`` with a new one.
public struct TokenExpiredEvent: Sendable, Equatable, Hashable {
    /// Creates the payload.
    public init() {}
}

/// The payload of `callIn`: the session, its type, the seconds to accept, and the fields of its type.
public typealias CallInEvent = CallIn
/// The payload of `sessionEnded`: the session, who ended it (`closeBy`), and the reasons.
public typealias SessionEndedEvent = SessionEnded
/// The payload of `statusChanged`: the new status, the rest reason, and the cause.
public typealias StatusChangedEvent = StatusChanged
/// The payload of `message`: an im message in a session the agent holds.
public typealias MessageEvent = SessionMessage

extension SessionMessage {
    /// The server's id for the message.
    public var messageId: String { message.messageId }
    /// Who wrote it: `customer`, `agent` or `system`.
    public var from: MessageSender { message.from }
    /// The text.
    public var text: String { message.text }
    /// When the server received it, in milliseconds since 1970 (UTC).
    public var sentAt: Int64 { message.sentAt }
}

/// The `calloutAccepted` payload: the other side answered a call this agent placed.
public struct CalloutAcceptedEvent: Sendable, Equatable, Hashable {
    /// The call's session.
    public var sessionId: String

    /// Creates the payload.
    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}
