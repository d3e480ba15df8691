/// The `sessionEnded` payload.
public struct SessionEnded: Sendable, Codable, Equatable, Hashable {
    /// The session.
    public var sessionId: String
    /// Who ended it.
    public var closeBy: CloseBy
    /// Why, when the admin API ended it and gave a reason.
    public var mainReason: String?
    /// The detailed reason, when the admin API gave one.
    public var subReason: String?
    /// The session's type.
    public var type: SessionType?
    /// Seconds from accept to end; 0 if it was never accepted.
    public var duration: Int?
    /// How a telephone call ended unanswered, as its record spells it (an outbound call's `busy`,
    /// `notAnswer`, `userReject`, `numberNotExist`, `operatorError`, `error`, `callerCancel`).
    public var endStatus: String?

    /// Creates the payload.
    public init(
        sessionId: String, closeBy: CloseBy, mainReason: String? = nil, subReason: String? = nil,
        type: SessionType? = nil, duration: Int? = nil, endStatus: String? = nil
    ) {
        self.endStatus = endStatus
        self.sessionId = sessionId
        self.closeBy = closeBy
        self.mainReason = mainReason
        self.subReason = subReason
        self.type = type
        self.duration = duration
    }
}
