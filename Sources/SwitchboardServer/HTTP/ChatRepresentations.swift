import Hummingbird
import SwitchboardCore
import SwitchboardProtocol

/// The answer to a REST `start`: the socket's `started` frame without `v` and `type`.
struct ChatStartedRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
    var secret: String
}

/// The answer to a REST `message`: the socket's `ack`.
struct ChatSentRepresentation: ResponseEncodable, Sendable {
    var messageId: String
    @Nullable var clientMessageId: String?
}

/// Where a chat stands, as the customer sees it: what the socket says with `queued`,
/// `agentJoined` and `ended`, in one object. `ringing` (an agent is being offered the chat) is
/// shown here, where the socket keeps showing the last `queued`; a widget may treat both alike.
struct ChatStateRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
    /// queued, ringing, accepted or ended.
    var state: String
    /// The place in the queue while queued, 1 = next.
    @Nullable var position: Int? = nil
    /// The name of the agent who accepted, while accepted.
    @Nullable var agentNickname: String? = nil
    /// Who ended it, once ended: client, seat, admin or timer.
    @Nullable var closeBy: String? = nil

    static func of(_ id: SessionID, server: ServerComponents) async throws(APIError) -> ChatStateRepresentation {
        let live: ChatStateRepresentation? = await server.routing.read { machine in
            guard let session = machine.sessions[id] else { return nil }
            switch session.state {
            case .queued:
                return ChatStateRepresentation(sessionId: id.rawValue, state: "queued", position: machine.queuePosition(of: id))
            case .ringing:
                return ChatStateRepresentation(sessionId: id.rawValue, state: "ringing")
            case .accepted(let agent):
                return ChatStateRepresentation(
                    sessionId: id.rawValue, state: "accepted", agentNickname: machine.agents[agent]?.profile.name ?? agent.rawValue)
            }
        }
        if let live { return live }
        let closeBy: String?
        do { closeBy = try await server.store.session(id)?.closeBy?.rawValue } catch { throw APIError.storeFailed(error) }
        // A session that ended without a recorded side ended by the system, as the socket reports it.
        return ChatStateRepresentation(sessionId: id.rawValue, state: "ended", closeBy: closeBy ?? "timer")
    }
}

/// The answer to a poll: the state and the messages after the `after` cursor.
struct ChatSessionRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
    var state: String
    @Nullable var position: Int?
    @Nullable var agentNickname: String?
    @Nullable var closeBy: String?
    /// Oldest first; pass the last one's `messageId` as `after` in the next poll.
    var messages: [ChatMessage]
    /// True when more messages follow than this answer holds: poll again at once.
    var hasMore: Bool

    init(state: ChatStateRepresentation, page: MessagePageRepresentation) {
        sessionId = state.sessionId
        self.state = state.state
        position = state.position
        agentNickname = state.agentNickname
        closeBy = state.closeBy
        messages = page.messages
        hasMore = page.hasMore
    }
}
