/// The `data` of a successful `Call.startInternalCall` or `Call.startOutboundCall`: the new session.
public struct StartedCall: Sendable, Codable, Equatable, Hashable {
    /// The call's session id; the callee's `callIn` carries the same.
    public var sessionId: String
    /// `Call.startOutboundCall`: the number dialled.
    public var calleePhoneNumber: String?
    /// `Call.startOutboundCall`: the number presented as the caller.
    public var callerPhoneNumber: String?
    /// `Call.startOutboundCall`: the line type, `staffSeat` (an agent's browser).
    public var serverType: String?

    /// Creates the result.
    public init(sessionId: String, calleePhoneNumber: String? = nil, callerPhoneNumber: String? = nil, serverType: String? = nil) {
        self.sessionId = sessionId
        self.calleePhoneNumber = calleePhoneNumber
        self.callerPhoneNumber = callerPhoneNumber
        self.serverType = serverType
    }
}
