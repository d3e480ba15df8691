import SwitchboardCore

/// One event a webhook may be told about, taken from a committed journal entry or message: its
/// id (stable across attempts and restarts), kind, ordering key and `data`, encoded only when a
/// subscription wants it.
struct WebhookEvent {
    var id: String
    var kind: WebhookEventKind
    var orderingKey: String
    var at: Timestamp
    var data: Payload

    enum Payload {
        case ready(any Encodable)
        /// `session.ended` carries the session's record, read once the entry is projected.
        case ended(SessionEndedData)
    }

    /// The events of one journal entry, in the order the core decided them. Ids are
    /// `evt_<journal sequence>_<position in the entry's events>`: unique forever, because journal
    /// sequence numbers are never reused, and the same for every subscription.
    static func events(of entry: JournalEntry) -> [WebhookEvent] {
        var found: [WebhookEvent] = []
        for (position, event) in entry.events.enumerated() {
            let id = "evt_\(entry.sequence)_\(position)"
            switch event.effect {
            case .history(let session, let history):
                let key = "session:\(session.rawValue)"
                let sessionId = session.rawValue
                switch history {
                case .created(let type, let group, let priority, let customer):
                    found.append(WebhookEvent(id: id, kind: .sessionCreated, orderingKey: key, at: event.at, data: .ready(
                        SessionCreatedData(sessionId: sessionId, type: type.rawValue, skillGroupId: group.rawValue, priority: priority, customer: customer))))
                case .offered(let agent, let reason):
                    found.append(WebhookEvent(id: id, kind: .sessionOffered, orderingKey: key, at: event.at, data: .ready(
                        SessionOfferedData(sessionId: sessionId, agentId: agent.rawValue, strategy: reason.strategy?.rawValue, ringAll: reason.ringAll))))
                case .accepted(let agent):
                    found.append(WebhookEvent(id: id, kind: .sessionAccepted, orderingKey: key, at: event.at, data: .ready(
                        SessionAcceptedData(sessionId: sessionId, agentId: agent.rawValue))))
                case .transferred(let from, let toGroup, let toAgent):
                    found.append(WebhookEvent(id: id, kind: .sessionTransferred, orderingKey: key, at: event.at, data: .ready(
                        SessionTransferredData(sessionId: sessionId, fromAgentId: from.rawValue, toSkillGroupId: toGroup?.rawValue, toAgentId: toAgent?.rawValue))))
                case .ended(let closeBy, let agent, let mainReason, let subReason, _, _):
                    found.append(WebhookEvent(id: id, kind: .sessionEnded, orderingKey: key, at: event.at, data: .ended(
                        SessionEndedData(sessionId: sessionId, closeBy: closeBy.rawValue, agentId: agent?.rawValue, mainReason: mainReason,
                                         subReason: subReason, record: nil))))
                case .queued, .missed, .overdue, .withdrawn, .overflowed, .returnedToQueue, .dialled, .digits:
                    break
                }
            case .agent(let agent, .statusChanged(let change)):
                found.append(WebhookEvent(id: id, kind: .agentStatusChanged, orderingKey: "agent:\(agent.rawValue)", at: event.at, data: .ready(
                    AgentStatusChangedData(agentId: agent.rawValue, status: change.status.rawValue, restReason: change.restReason, cause: change.cause.rawValue))))
            case .agent, .customer:
                break
            }
        }
        return found
    }

    /// A stored im message (`msg_<message id>`); nil for a retried send that was stored before.
    static func event(of message: StoredMessage) -> WebhookEvent? {
        guard !message.storedBefore else { return nil }
        return WebhookEvent(
            id: "msg_\(message.id)", kind: .sessionMessage, orderingKey: "session:\(message.sessionId.rawValue)", at: message.sentAt,
            data: .ready(SessionMessageData(
                sessionId: message.sessionId.rawValue, messageId: message.id, author: message.author.rawValue, agentId: message.agentId?.rawValue,
                text: message.text, sentAt: message.sentAt.milliseconds, clientMessageId: message.clientMessageId,
                attachment: message.attachment)))
    }

    /// The ended session this event needs the record of, if any.
    var endedSession: SessionID? {
        if case .ended(let data) = data { return SessionID(data.sessionId) }
        return nil
    }
}

// MARK: The `data` objects, one per kind (docs/webhooks.md lists their fields)

struct SessionCreatedData: Encodable {
    var sessionId: String, type: String, skillGroupId: String, priority: Int, customer: CustomerDetails
}

struct SessionOfferedData: Encodable {
    var sessionId: String, agentId: String, strategy: String?, ringAll: Bool
}

struct SessionAcceptedData: Encodable {
    var sessionId: String, agentId: String
}

struct SessionTransferredData: Encodable {
    var sessionId: String, fromAgentId: String, toSkillGroupId: String?, toAgentId: String?
}

struct SessionEndedData: Encodable {
    var sessionId: String, closeBy: String, agentId: String?, mainReason: String?, subReason: String?
    /// The session's record as the admin API's `GET /api/v1/sessions/{id}` reads it from the store.
    var record: SessionRecord?
}

struct SessionMessageData: Encodable {
    var sessionId: String, messageId: Int64, author: String, agentId: String?, text: String, sentAt: Int64, clientMessageId: String?
    /// The file the message carries (id, name, contentType, size); its content is fetched with the admin API.
    var attachment: AttachmentInfo?
}

struct AgentStatusChangedData: Encodable {
    var agentId: String, status: String, restReason: String?, cause: String
}
