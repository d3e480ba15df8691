/// The `data` of a successful `Call.startInternalCall`: the new `internal` session.
public struct StartedCall: Sendable, Codable, Equatable, Hashable {
    /// The call's session id; the callee's `callIn` carries the same.
    public var sessionId: String

    /// Creates the result.
    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}
