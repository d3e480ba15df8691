extension TCCC {
    /// The document's `tccc.Chat`: accepting, ending and transferring sessions, and im messages.
    ///
    /// Every call resolves to a ``CommonSDKResponse`` and never throws; use
    /// ``CommonSDKResponse/get()`` for the throwing form.
    public struct ChatMethods: Sendable {
        let connection: AgentConnection

        /// `Chat.accept`: takes a session ringing at this agent. Before it returns, the SDK has
        /// fired `userAccessed` and `statusChanged`. Accepting a session this agent already holds
        /// succeeds again; any other session is an error ("session s-41 is not ringing at agent 7").
        @discardableResult
        public func accept(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .chatAccept(sessionId: sessionId))
        }

        /// `Chat.end`: ends a session this agent holds, with `closeBy: 'seat'`.
        @discardableResult
        public func end(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .chatEnd(sessionId: sessionId))
        }

        /// `Chat.transfer`: hands a held session to a skill group's queue or to an online agent
        /// (give at least one). This agent gets `transfer`; the target gets a fresh `callIn`.
        @discardableResult
        public func transfer(sessionId: String, skillGroupId: String? = nil, userId: String? = nil) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .chatTransfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId))
        }

        /// `Chat.sendMessage`: sends an im message to the session's customer; `data` holds the
        /// message's id and time. The SDK's own `message` event for it has fired when this returns.
        @discardableResult
        public func sendMessage(sessionId: String, text: String) async -> CommonSDKResponse<SentMessage> {
            await connection.respond(to: .chatSendMessage(sessionId: sessionId, text: text), with: SentMessage.self)
        }

        /// `Chat.typing`: tells the customer of an im session this agent holds that the agent is
        /// typing (the chat widget shows `agentTyping`). Send it at most every few seconds while
        /// the agent types.
        @discardableResult
        public func typing(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .chatTyping(sessionId: sessionId))
        }

        /// `Chat.getMessages`: reads a page of a session's transcript.
        ///
        /// - Parameters:
        ///   - sessionId: The session.
        ///   - order: `oldest` first (the server's default) or `newest` first.
        ///   - limit: 1 to 200 messages; the server's default is 50.
        ///   - cursor: Start just `before` or `after` a message id; nil starts at the `order` end.
        public func getMessages(
            sessionId: String, order: MessageOrder? = nil, limit: Int? = nil, cursor: MessageQuery.Cursor? = nil
        ) async -> CommonSDKResponse<MessagePage> {
            await getMessages(MessageQuery(sessionId: sessionId, order: order, limit: limit, cursor: cursor))
        }

        /// `Chat.getMessages` with the query as one value.
        public func getMessages(_ query: MessageQuery) async -> CommonSDKResponse<MessagePage> {
            await connection.respond(to: .chatGetMessages(query), with: MessagePage.self)
        }
    }
}
