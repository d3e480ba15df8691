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
    /// `Agent.getTransferTargets` (Switchboard): whom the agent may transfer to; with a
    /// `sessionId` the agent holds, whether each colleague can take that session now. `data` is
    /// ``TransferTargets``.
    case agentGetTransferTargets(sessionId: String?)
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
    /// `Call.accept` (voip, internal, phone) / `Video.accept` (video): take a ringing call.
    case callAccept(sessionId: String, video: Bool)
    /// `Call.hungUp` / `Video.end`: end a call this agent holds, or hang up one it placed.
    case callHangUp(sessionId: String, video: Bool)
    /// `Call.transfer` / `Video.transfer`: hand a held call on, as `Chat.transfer`.
    case callTransfer(sessionId: String, skillGroupId: String?, userId: String?, video: Bool)
    /// `Call.hold`: the other side hears hold audio and both stop sending media.
    case callHold(sessionId: String)
    /// `Call.unHold`: take the call off hold.
    case callUnHold(sessionId: String)
    /// `Call.sendDigits`: DTMF digits, carried to the other side as a `dtmf` signal.
    case callSendDigits(sessionId: String, dtmfText: String)
    /// `Call.startInternalCall`: call another agent (`calleeUserId`) or a skill group; `data` is ``StartedCall``.
    case callStartInternalCall(calleeUserId: String?, skillGroupId: String?)
    /// `Call.startOutboundCall`: call a phone number through the server's trunk.
    case callStartOutboundCall(
        phoneNumber: String, callerPhoneNumber: String? = nil, skillGroupId: String? = nil, phoneDesc: String? = nil, uui: String? = nil)
    /// `Chat.getWrapUp` (Switchboard): the disposition codes of an ended session this agent held
    /// last, and its wrap-up if saved; `data` is ``WrapUpForm``.
    case chatGetWrapUp(sessionId: String)
    /// `Chat.wrapUp` (Switchboard): save the wrap-up of such a session; `data` is ``SavedWrapUp``.
    case chatWrapUp(sessionId: String, dispositionCode: String?, note: String?)
    /// `CannedReplies.list` (Switchboard): the replies this agent may insert; `data` is ``CannedReplyList``.
    case cannedRepliesList
    /// `CannedReplies.save` (Switchboard): create (no `id`) or change one of the agent's own
    /// replies; `data` is the ``CannedReplyItem`` saved.
    case cannedRepliesSave(id: String?, shortcut: String, title: String, text: String)
    /// `CannedReplies.delete` (Switchboard): delete one of the agent's own replies.
    case cannedRepliesDelete(id: String)
    /// `ping`: check the connection; answered with an empty success.
    case ping

    /// The method name of this call.
    public var method: Method {
        switch self {
        case .agentOnline: .agentOnline
        case .agentOffline: .agentOffline
        case .agentSetStatus: .agentSetStatus
        case .agentGetStatus: .agentGetStatus
        case .agentGetTransferTargets: .agentGetTransferTargets
        case .chatAccept: .chatAccept
        case .chatEnd: .chatEnd
        case .chatTransfer: .chatTransfer
        case .chatSendMessage: .chatSendMessage
        case .chatGetMessages: .chatGetMessages
        case .chatTyping: .chatTyping
        case .callAccept(_, let video): video ? .videoAccept : .callAccept
        case .callHangUp(_, let video): video ? .videoEnd : .callHungUp
        case .callTransfer(_, _, _, let video): video ? .videoTransfer : .callTransfer
        case .callHold: .callHold
        case .callUnHold: .callUnHold
        case .callSendDigits: .callSendDigits
        case .callStartInternalCall: .callStartInternalCall
        case .callStartOutboundCall: .callStartOutboundCall
        case .chatGetWrapUp: .chatGetWrapUp
        case .chatWrapUp: .chatWrapUp
        case .cannedRepliesList: .cannedRepliesList
        case .cannedRepliesSave: .cannedRepliesSave
        case .cannedRepliesDelete: .cannedRepliesDelete
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
        /// `Agent.getTransferTargets` (Switchboard).
        case agentGetTransferTargets = "Agent.getTransferTargets"
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
        /// `Call.accept`.
        case callAccept = "Call.accept"
        /// `Call.hungUp`.
        case callHungUp = "Call.hungUp"
        /// `Call.transfer`.
        case callTransfer = "Call.transfer"
        /// `Call.hold`.
        case callHold = "Call.hold"
        /// `Call.unHold`.
        case callUnHold = "Call.unHold"
        /// `Call.sendDigits`.
        case callSendDigits = "Call.sendDigits"
        /// `Call.startInternalCall`.
        case callStartInternalCall = "Call.startInternalCall"
        /// `Call.startOutboundCall`.
        case callStartOutboundCall = "Call.startOutboundCall"
        /// `Video.accept`.
        case videoAccept = "Video.accept"
        /// `Video.end`.
        case videoEnd = "Video.end"
        /// `Video.transfer`.
        case videoTransfer = "Video.transfer"
        /// `Chat.getWrapUp` (Switchboard).
        case chatGetWrapUp = "Chat.getWrapUp"
        /// `Chat.wrapUp` (Switchboard).
        case chatWrapUp = "Chat.wrapUp"
        /// `CannedReplies.list` (Switchboard).
        case cannedRepliesList = "CannedReplies.list"
        /// `CannedReplies.save` (Switchboard).
        case cannedRepliesSave = "CannedReplies.save"
        /// `CannedReplies.delete` (Switchboard).
        case cannedRepliesDelete = "CannedReplies.delete"
        /// `ping`.
        case ping
    }
}
