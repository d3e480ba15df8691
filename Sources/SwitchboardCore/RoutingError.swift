/// A refused command: what was wrong, in words a person can act on. A refused command changes nothing.
public struct RoutingError: Error, Equatable, Codable, Sendable, CustomStringConvertible {
    /// The kind of refusal, for programs.
    public enum Code: String, Codable, Sendable {
        case unknownAgent, unknownSession, unknownSkillGroup, unknownIVRFlow
        case agentExists, skillGroupExists, invalidConfiguration
        case invalidStatus, statusNotAllowed, agentOffline, agentHoldsSessions
        case notRinging, notHeld, sessionRinging, notWaiting
        case transferWithoutTarget, transferTargetUnavailable
        case invalidSession
        case inUse
        case invalidConnection
    }

    /// The kind of refusal.
    public var code: Code
    /// The message for people, e.g. "session s-42 is not ringing at agent 7".
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
