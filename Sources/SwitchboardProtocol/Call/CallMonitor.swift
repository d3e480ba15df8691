/// A supervisor listening in on a call (the `monitor` frame on the agent socket): the agent's
/// page that has the call's media sends the supervisor what it hears and says, and plays (or, in
/// `barge`, also sends into the call) what the supervisor says. The media is a second WebRTC
/// connection between the agent's page and the supervisor's, signalled with `monitorSignal`.
public struct CallMonitor: Codable, Sendable, Equatable {
    /// What the supervisor does.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Hears both sides; nobody hears the supervisor.
        case listen
        /// Hears both sides; only the agent hears the supervisor.
        case whisper
        /// Hears both sides; the agent and the customer hear the supervisor.
        case barge
        /// The supervisor stopped (or the call ended, or moved on): drop the connection.
        case ended

        /// Decodes a mode, naming the allowed values if the string is not one.
        public init(from decoder: any Decoder) throws {
            self = try decodeWireEnum(Mode.self, from: decoder)
        }
    }

    /// The monitor's id (unguessable; the supervisor's page holds it).
    public var monitorId: String
    /// The call.
    public var sessionId: String
    /// What the supervisor does now.
    public var mode: Mode

    /// Creates the frame's payload.
    public init(monitorId: String, sessionId: String, mode: Mode) {
        self.monitorId = monitorId
        self.sessionId = sessionId
        self.mode = mode
    }
}
