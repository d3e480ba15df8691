/// Who ended a session, as TCCC's `sessionEnded.closeBy` names it.
public enum CloseBy: String, Sendable, Codable, CaseIterable {
    /// The customer left or hung up.
    case client
    /// The agent ended it.
    case seat
    /// The admin API (a supervisor or the system) ended it.
    case admin
    /// A timer ended it: queue timeout, im inactivity, maximum duration.
    case timer

    /// Decodes who ended a session, naming the allowed values if the string is not one.
    public init(from decoder: any Decoder) throws {
        self = try decodeWireEnum(CloseBy.self, from: decoder)
    }
}
