/// Where a live session stands for the agent it is listed for.
public enum SessionState: String, Sendable, Codable, CaseIterable {
    /// Offered to the agent and waiting for `Chat.accept`.
    case ringing
    /// Accepted by the agent and in progress.
    case accepted

    /// Decodes a state, naming the allowed values if the string is not one.
    public init(from decoder: any Decoder) throws {
        self = try decodeWireEnum(SessionState.self, from: decoder)
    }
}
