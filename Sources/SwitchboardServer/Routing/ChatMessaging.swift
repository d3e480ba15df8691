import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// im messages both ways: checks who may write or read a session, stores the message (that is
/// the acknowledgement), resets the session's inactivity timer, and delivers it.
public struct ChatMessaging: Sendable {
    let service: RoutingService
    let store: any RoutingStore
    let customers: CustomerHub
    /// Agents' connections, for relaying the customer's typing.
    let agents: AgentHub
    let metrics: ServerMetrics
    /// Customers' message rate per session.
    let admission: CustomerAdmission
    /// Which files may be sent (ChatMessaging+Attachments).
    let attachmentPolicy: AttachmentPolicy

    /// The longest message text accepted, in characters.
    static let maximumTextLength = 8000

    /// Why a message could not be sent or read.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// True when retrying may succeed (the store failed).
        public var retryable: Bool
        /// Set when the sender is over its message rate: seconds until the next message is taken.
        public var retryAfter: Int?

        init(_ description: String, retryable: Bool = false, retryAfter: Int? = nil) {
            self.description = description
            self.retryable = retryable
            self.retryAfter = retryAfter
        }
    }

    /// The wire id of a stored message.
    static func wireId(_ id: Int64) -> String { "m-\(id)" }

    /// The stored id in a wire id such as `m-17`.
    static func storedId(_ wire: String) throws(Refusal) -> Int64 {
        guard wire.hasPrefix("m-"), let id = Int64(wire.dropFirst(2)), id > 0 else {
            throw Refusal("'\(wire)' is not a message id; message ids look like 'm-17'")
        }
        return id
    }

    /// A stored message as the wire carries it. Customers get it without `authors`; agents and
    /// admins with the names of the agents who wrote (`agentUserId`, `agentName`).
    static func wire(_ message: StoredMessage, authors: [AgentID: String]? = nil) -> ChatMessage {
        var wire = ChatMessage(
            messageId: wireId(message.id), from: MessageSender(rawValue: message.author.rawValue) ?? .system,
            text: message.text, sentAt: message.sentAt.milliseconds,
            attachment: message.attachment.map { ChatAttachment(attachmentId: $0.id, name: $0.name, contentType: $0.contentType, size: $0.size) })
        if let authors, message.author == .agent, let agent = message.agentId {
            wire.agentUserId = agent.rawValue
            wire.agentName = authors[agent]
        }
        return wire
    }

    /// The current names of the agents who wrote `messages`.
    private func authorNames(of messages: [StoredMessage]) async -> [AgentID: String] {
        let writers = Set(messages.compactMap(\.agentId))
        if writers.isEmpty { return [:] }
        return await service.read { machine in
            var names: [AgentID: String] = [:]
            for agent in writers { names[agent] = machine.agents[agent]?.profile.name }
            return names
        }
    }

    private func checkText(_ text: String) throws(Refusal) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw Refusal("the message text is empty") }
        // A NUL is no text anyone writes, and PostgreSQL cannot store it: refused here, it can
        // never fail the group commit other people's changes share.
        if text.unicodeScalars.contains("\u{0}") { throw Refusal("the message text contains a NUL character (\\u0000)") }
        if text.count > Self.maximumTextLength {
            throw Refusal("the message is \(text.count) characters; the limit is \(Self.maximumTextLength)")
        }
    }

    /// Stores the message in the routing service's next group commit; the service delivers it
    /// (to the customer and to whoever holds the session when it commits) in commit order with
    /// the routing events, so no transfer can slip between a lookup and the delivery.
    func store(_ message: NewMessage, acknowledge: (@Sendable (StoredMessage) -> Void)? = nil) async throws(Refusal) -> StoredMessage {
        do {
            let stored = try await service.commitMessage(message, acknowledge: acknowledge)
            metrics.recordMessage(from: message.author)
            return stored
        } catch {
            switch error {
            case .refused: throw Refusal("session \(message.sessionId) has ended; start a new chat")
            case .unavailable(let why): throw Refusal("could not save the message (\(why)); try again", retryable: true)
            }
        }
    }

    /// `Chat.sendMessage`: the agent must hold the im session.
    func sendFromAgent(_ agent: AgentID, session: SessionID, text: String) async throws(Refusal) -> StoredMessage {
        try checkText(text)
        try await checkAgentMayWrite(agent, in: session)
        return try await store(NewMessage(sessionId: session, author: .agent, agentId: agent, text: text, sentAt: Timestamp.now()))
    }

    /// An agent may write in a live im session it holds.
    func checkAgentMayWrite(_ agent: AgentID, in session: SessionID) async throws(Refusal) {
        let problem: String? = await service.read { machine in
            guard let live = machine.sessions[session] else { return "session \(session) is not live (unknown or ended)" }
            guard live.type == .im else { return "session \(session) is a \(live.type.rawValue) session; only im sessions carry messages" }
            guard case .accepted(let holder) = live.state, holder == agent else {
                return "session \(session) is not held by agent \(agent); accept it first"
            }
            return nil
        }
        if let problem { throw Refusal(problem) }
    }

    /// `Chat.typing`: tells the customer the agent is typing. Nothing is stored; the agent must
    /// hold the im session, as for sending.
    func agentTyping(_ agent: AgentID, session: SessionID) async throws(Refusal) {
        let held: Bool = await service.read { machine in
            guard let live = machine.sessions[session], live.type == .im, case .accepted(let holder) = live.state else { return false }
            return holder == agent
        }
        guard held else { throw Refusal("session \(session) is not an im session held by agent \(agent)") }
        customers.publishEverywhere(CustomerServerFrame.agentTyping.encodedText(), to: session.rawValue)
    }

    /// The customer is typing: relayed to every connection of the agent holding the im session,
    /// and nothing else. Not stored, journaled or numbered: a reconnecting agent needs no stale
    /// typing. While nobody holds the session (queued, ringing) there is no one to tell and it is
    /// dropped quietly; an ended session is refused, so a widget that missed the end learns it.
    func customerTyping(in session: SessionID) async throws(Refusal) {
        let holder: AgentID?? = await service.read { machine in
            guard let live = machine.sessions[session] else { return .none }
            guard live.type == .im, case .accepted(let agent) = live.state else { return .some(nil) }
            return .some(agent)
        }
        guard let holder else { throw Refusal("typing not sent: session \(session) has ended") }
        guard let agent = holder else { return }
        _ = agents.broadcast(AgentServerFrame.customerTyping(sessionId: session.rawValue).encodedText(), to: agent.rawValue)
    }

    /// A customer's message; the session must be live. A retried `clientMessageId` returns the
    /// message stored the first time and is not delivered again.
    /// `acknowledge` runs once the message is stored and before it is delivered, so the sender
    /// hears `ack` before the echo of its own message.
    func sendFromCustomer(
        session: SessionID, text: String, clientMessageId: String?, acknowledge: (@Sendable (StoredMessage) -> Void)? = nil
    ) async throws(Refusal) -> (StoredMessage, duplicate: Bool) {
        try checkText(text)
        if clientMessageId?.unicodeScalars.contains("\u{0}") == true { throw Refusal("clientMessageId contains a NUL character (\\u0000)") }
        let live = await service.read { $0.sessions[session] != nil }
        guard live else { throw Refusal("session \(session) has ended; start a new chat") }
        if let refusal = admission.admitMessage(in: session.rawValue) {
            throw Refusal(refusal.message, retryAfter: refusal.retryAfter)
        }
        let stored = try await store(
            NewMessage(sessionId: session, author: .customer, text: text, sentAt: Timestamp.now(), clientMessageId: clientMessageId),
            acknowledge: acknowledge)
        return (stored, stored.storedBefore)
    }

    /// `Chat.getMessages` for an agent: a session ringing at it or held by it now, or one it
    /// accepted at any time before (handled, then transferred or ended). Being offered a session
    /// once is not enough: the transcript is the customer's conversation with those who served it.
    func page(_ query: MessageQuery, forAgent agent: AgentID) async throws(Refusal) -> MessagePage {
        try await checkAgentMayRead(agent, SessionID(query.sessionId))
        return try await page(query, withAuthors: true)
    }

    /// An agent may read a session (its transcript and attachments) ringing at it or held by it
    /// now, or one it accepted at any time before.
    func checkAgentMayRead(_ agent: AgentID, _ session: SessionID) async throws(Refusal) {
        // Live: whether it rings at the agent (alone or among a ring-all offer's agents) or is held
        // by it; nil when it is not live.
        let liveAtAgent: Bool? = await service.read { machine in
            machine.sessions[session].map { $0.isRinging(at: agent) || $0.state == .accepted(agent: agent) }
        }
        if liveAtAgent != true {
            let history: [HistoryRecord]
            do { history = try await store.history(of: session) } catch {
                throw Refusal("could not read the session (\(error)); try again", retryable: true)
            }
            if history.isEmpty, liveAtAgent == nil { throw Refusal("session \(session) does not exist") }
            guard history.contains(where: { $0.kind == "accepted" && $0.agentId == agent }) else {
                throw Refusal("session \(session) is not ringing at or held by agent \(agent), and was never accepted by it")
            }
        }
    }

    /// A page of a session's messages, for whoever has been allowed to read it; `withAuthors`
    /// names the agent of each agent message (for agents and admins, not customers).
    func page(_ query: MessageQuery, withAuthors: Bool = false) async throws(Refusal) -> MessagePage {
        let limit = query.limit ?? MessageQuery.defaultLimit
        let oldestFirst = (query.order ?? .oldest) == .oldest
        var storeQuery = MessagePageQuery(oldestFirst: oldestFirst, limit: limit + 1)
        switch query.cursor {
        case .before(let id): storeQuery.beforeId = try Self.storedId(id)
        case .after(let id): storeQuery.afterId = try Self.storedId(id)
        case nil: break
        }
        let found: [StoredMessage]
        do { found = try await store.messages(of: SessionID(query.sessionId), query: storeQuery) } catch {
            throw Refusal("could not read the messages (\(error)); try again", retryable: true)
        }
        let shown = Array(found.prefix(limit))
        let authors = withAuthors ? await authorNames(of: shown) : nil
        return MessagePage(
            sessionId: query.sessionId, messages: shown.map { Self.wire($0, authors: authors) }, hasMore: found.count > limit)
    }
}
