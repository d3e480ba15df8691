/// The kind of contact a session is, as TCCC's `callIn` names it.
public enum SessionType: String, Codable, Sendable, CaseIterable {
    /// A telephone call.
    case phone
    /// An online (text) conversation.
    case im
    /// An audio call from the web.
    case voip
    /// A video call from the web.
    case video
    /// A call between two agents.
    case `internal`

    /// Voice-like sessions take an agent's whole attention: one at a time.
    public var isVoiceLike: Bool { self != .im }
}

/// Who ended a session, as TCCC's `sessionEnded.closeBy` names it.
public enum CloseBy: String, Codable, Sendable {
    /// The customer left or hung up.
    case client
    /// The agent ended it.
    case seat
    /// The admin API (a supervisor or the system) ended it.
    case admin
    /// A timer ended it: queue timeout, im inactivity.
    case timer
}
