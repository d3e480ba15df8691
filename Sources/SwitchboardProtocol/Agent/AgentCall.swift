/// An SDK call: a method of the TCCC agent SDK (or Switchboard's im additions) and its parameters.
public enum AgentCall: Sendable, Equatable, Hashable {
    /// `Agent.online`: log in for work; the agent becomes `free` (or the tenant's chosen status).
    case agentOnline
    /// `Agent.offline`: log out; refused while the agent holds accepted sessions.
    case agentOffline
    /// `Agent.setStatus`: ask for a status, spelled as TCCC allows (`free`, `rest`, `Arrange`, `NotReady`, `StopNotReady`).
    case agentSetStatus(status: String, restReason: String?)
    /// `Agent.getStatus`: read the current status; `data` is an ``AgentStatusResult``.
    case agentGetStatus
    /// `Chat.accept`: take a session ringing at this agent.
    case chatAccept(sessionId: String)
    /// `Chat.end`: end a session this agent holds.
    case chatEnd(sessionId: String)
    /// `Chat.transfer`: hand a held session to a skill group's queue or to an agent (at least one).
    case chatTransfer(sessionId: String, skillGroupId: String?, userId: String?)
    /// `Chat.sendMessage`: send an im message to the session's customer; `data` is a ``SentMessage``.
    case chatSendMessage(sessionId: String, text: String)
    /// `Chat.getMessages`: read a page of a session's transcript; `data` is a ``MessagePage``.
    case chatGetMessages(MessageQuery)
    /// `Chat.typing`: the agent is typing in an im session it holds; the customer sees `agentTyping`.
    case chatTyping(sessionId: String)
    /// `ping`: check the connection; answered with an empty success.
    case ping

    /// The method name of this call.
    public var method: Method {
        switch self {
        case .agentOnline: .agentOnline
        case .agentOffline: .agentOffline
        case .agentSetStatus: .agentSetStatus
        case .agentGetStatus: .agentGetStatus
        case .chatAccept: .chatAccept
        case .chatEnd: .chatEnd
        case .chatTransfer: .chatTransfer
        case .chatSendMessage: .chatSendMessage
        case .chatGetMessages: .chatGetMessages
        case .chatTyping: .chatTyping
        case .ping: .ping
        }
    }

    /// A method name as sent in a request's `"method"`, spelled as in the TCCC SDK.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// `Agent.online`.
        case agentOnline = "Agent.online"
        /// `Agent.offline`.
        case agentOffline = "Agent.offline"
        /// `Agent.setStatus`.
        case agentSetStatus = "Agent.setStatus"
        /// `Agent.getStatus`.
        case agentGetStatus = "Agent.getStatus"
        /// `Chat.accept`.
        case chatAccept = "Chat.accept"
        /// `Chat.end`.
        case chatEnd = "Chat.end"
        /// `Chat.transfer`.
        case chatTransfer = "Chat.transfer"
        /// `Chat.sendMessage`.
        case chatSendMessage = "Chat.sendMessage"
        /// `Chat.getMessages`.
        case chatGetMessages = "Chat.getMessages"
        /// `Chat.typing`.
        case chatTyping = "Chat.typing"
        /// `ping`.
        case ping
    }
}
