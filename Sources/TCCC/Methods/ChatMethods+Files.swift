import SwitchboardProtocol

extension TCCC.ChatMethods {
    /// `Chat.sendFile` (Switchboard): sends a picture or file to the customer of an im session this
    /// agent holds; `data` is the message that carries it (its `attachment`). Over HTTP with the
    /// login token. Check `getFileLimits()` first to name an over-size or refused type at once.
    public func sendFile(sessionId: String, name: String, contentType: String, bytes: [UInt8]) async -> CommonSDKResponse<ChatMessage> {
        struct Sent: Decodable, Sendable { var message: ChatMessage }
        let path = "/api/v1/agent/sessions/\(AgentHTTP.segment(sessionId))/attachments?name=\(AgentHTTP.segment(name))"
        let sent = await AgentHTTP(connection: connection).json(.POST, path, body: bytes, contentType: contentType, as: Sent.self)
        return sent.isSuccess ? .success(sent.data?.message) : .failure(sent.error ?? TCCCError(.invalidResponse, "no message in the answer"))
    }

    /// `Chat.getFile` (Switchboard): the bytes of a file in a session this agent holds, rings
    /// for, or once accepted.
    public func getFile(sessionId: String, attachmentId: String) async -> CommonSDKResponse<[UInt8]> {
        await AgentHTTP(connection: connection).bytes("/api/v1/agent/sessions/\(AgentHTTP.segment(sessionId))/attachments/\(AgentHTTP.segment(attachmentId))")
    }

    /// `Chat.getFileLimits` (Switchboard): which files `sendFile` accepts.
    public func getFileLimits() async -> CommonSDKResponse<FileLimits> {
        await AgentHTTP(connection: connection).json(.GET, "/api/v1/chat/attachment-policy", as: FileLimits.self)
    }

    /// `Chat.getHistory` (Switchboard): the sessions this agent accepted, newest first, from the
    /// server's records; `query` searches the customer's name, numbers, remark and user id and the
    /// messages, ignoring letter case (on SQLite, of ASCII letters only) (1–100 characters; nil or blank: everything).
    public func getHistory(query: String? = nil, limit: Int? = nil, offset: Int? = nil) async -> CommonSDKResponse<PastSessionPage> {
        var parameters: [String] = []
        if let query, !query.isEmpty { parameters.append("q=" + AgentHTTP.segment(query)) }
        if let limit { parameters.append("limit=\(limit)") }
        if let offset { parameters.append("offset=\(offset)") }
        let path = "/api/v1/agent/sessions" + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
        return await AgentHTTP(connection: connection).json(.GET, path, as: PastSessionPage.self)
    }

    /// `Chat.getCustomerSessions` (Switchboard): the other sessions of the customer of a session
    /// this agent serves (ringing at it, held, or answered once), newest first, whoever handled
    /// them. The customer is known by the site's user id or a phone number (as `usingLastSeat`
    /// knows them); only sessions of this agent's own skill groups are listed.
    public func getCustomerSessions(sessionId: String, limit: Int? = nil, offset: Int? = nil) async -> CommonSDKResponse<PastSessionPage> {
        var parameters: [String] = []
        if let limit { parameters.append("limit=\(limit)") }
        if let offset { parameters.append("offset=\(offset)") }
        let path = "/api/v1/agent/sessions/\(AgentHTTP.segment(sessionId))/customer-sessions"
            + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
        return await AgentHTTP(connection: connection).json(.GET, path, as: PastSessionPage.self)
    }

    /// `Chat.getCustomerMessages` (Switchboard): the transcript of one of those earlier sessions,
    /// oldest first (`order: .newest` for the other end), at most `limit` (1–200) messages.
    public func getCustomerMessages(
        sessionId: String, earlierSessionId: String, order: MessageOrder? = nil, limit: Int? = nil
    ) async -> CommonSDKResponse<MessagePage> {
        var parameters: [String] = []
        if let order { parameters.append("order=\(order.rawValue)") }
        if let limit { parameters.append("limit=\(limit)") }
        let path = "/api/v1/agent/sessions/\(AgentHTTP.segment(sessionId))/customer-sessions/\(AgentHTTP.segment(earlierSessionId))/messages"
            + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
        return await AgentHTTP(connection: connection).json(.GET, path, as: MessagePage.self)
    }

    /// `Chat.getCustomerFile` (Switchboard): the bytes of a file sent in one of those earlier sessions.
    public func getCustomerFile(sessionId: String, earlierSessionId: String, attachmentId: String) async -> CommonSDKResponse<[UInt8]> {
        await AgentHTTP(connection: connection).bytes(
            "/api/v1/agent/sessions/\(AgentHTTP.segment(sessionId))/customer-sessions/\(AgentHTTP.segment(earlierSessionId))/attachments/\(AgentHTTP.segment(attachmentId))")
    }
}

extension TCCC.CallMethods {
    /// `Call.getRecording` (Switchboard): the WAV recording (caller left, agent right) of a phone
    /// call this agent answered; an error says why there is none.
    public func getRecording(sessionId: String) async -> CommonSDKResponse<[UInt8]> {
        await AgentHTTP(connection: connection).bytes("/api/v1/agent/sessions/\(AgentHTTP.segment(sessionId))/recording")
    }
}

/// Which files `Chat.sendFile` accepts.
public struct FileLimits: Decodable, Sendable, Equatable {
    /// The largest file, in bytes.
    public var maximumBytes: Int
    /// The accepted media types.
    public var contentTypes: [String]
    /// The types shown inline as pictures.
    public var imageTypes: [String]
}

/// A page of `Chat.getHistory`.
public struct PastSessionPage: Decodable, Sendable {
    /// The sessions, newest first.
    public var items: [PastSession]
    /// Whether more follow (ask with a larger `offset`).
    public var hasMore: Bool
    /// How many there are in all, when this page reaches the end.
    public var total: Int?
}

/// A past session as the server records it (the admin API's session record): one this agent
/// accepted (`getHistory`), or an earlier one of a customer it serves (`getCustomerSessions`).
public struct PastSession: Decodable, Sendable {
    public var id: String
    public var type: String
    public var skillGroupId: String
    /// The agent who held it last.
    public var agentId: String?
    /// What the customer side told (nickname, numbers, remark...), as the record keeps it.
    public var customer: JSONValue
    /// Milliseconds since 1970.
    public var createdAt: Int64
    public var acceptedAt: Int64?
    public var endedAt: Int64?
    public var closeBy: String?
    public var endStatus: String?
    /// From the answer to the end; and of it, on hold.
    public var durationSeconds: Int?
    public var holdSeconds: Int?
    /// A phone call's recording: `status` (`recording`, `ready`, `failed`) and, once ready, where it is.
    public var recording: Recording?

    public struct Recording: Decodable, Sendable {
        public var status: String
        public var reason: String?
        public var durationSeconds: Double?
        public var url: String?
    }
}
