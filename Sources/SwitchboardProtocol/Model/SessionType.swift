/// The kind of contact a session is, as TCCC's `callIn` names it.
public enum SessionType: String, Sendable, Codable, CaseIterable {
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

    /// Decodes a session type, naming the allowed values if the string is not one.
    public init(from decoder: any Decoder) throws {
        self = try decodeWireEnum(SessionType.self, from: decoder)
    }
}
