import Foundation

/// A session ringing at this agent or held by it, as the SDK currently knows it.
///
/// The SDK keeps the list in ``TCCC/sessions`` up to date from `callIn`, `userAccessed`,
/// `autoTransfer`, `transfer` and `sessionEnded`, and from the server's snapshot on (re)connect.
public struct LiveSession: Sendable, Equatable, Identifiable {
    /// The session as it was offered, with the fields of its type.
    public var callIn: CallIn
    /// Ringing (waiting for ``TCCC/ChatMethods/accept(sessionId:)``) or accepted.
    public var state: SessionState
    /// When the agent accepted it; nil while ringing.
    public var acceptedAt: Date?
    /// When the offer stops ringing at this agent; nil when it has no timeout or is accepted.
    public var offerDeadline: Date?

    /// Creates a session entry.
    public init(callIn: CallIn, state: SessionState, acceptedAt: Date? = nil, offerDeadline: Date? = nil) {
        self.callIn = callIn
        self.state = state
        self.acceptedAt = acceptedAt
        self.offerDeadline = offerDeadline
    }

    /// The session id.
    public var id: String { callIn.sessionId }
    /// The session type.
    public var type: SessionType { callIn.type }
    /// True while the session is ringing.
    public var isRinging: Bool { state == .ringing }

    /// Whole seconds left to accept (never negative); nil when the offer has no timeout or is accepted.
    public func secondsLeftToAccept(at now: Date = Date()) -> Int? {
        guard state == .ringing, let offerDeadline else { return nil }
        return max(0, Int(offerDeadline.timeIntervalSince(now).rounded(.up)))
    }

    /// The customer as a person would name them: nickname, phone number, user id or peer agent.
    public var displayName: String {
        callIn.nickname ?? callIn.callerPhoneNumber ?? callIn.userId ?? callIn.peerUserId.map { "agent \($0)" } ?? callIn.sessionId
    }
}
