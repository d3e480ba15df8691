extension AgentCall: Codable {
    /// Decodes `"method"` and, for methods that take them, `"params"`, checking every parameter.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        let name = try container.decode(String.self, forKey: "method")
        guard let method = Method(rawValue: name) else {
            let names = Method.allCases.map(\.rawValue)
            var message = "unknown method '\(name)'"
            if let guess = closestMatch(to: name, in: names) {
                message += " (did you mean '\(guess)'?)"
            }
            message += "; the methods are \(names.joined(separator: ", "))"
            throw ProtocolError(.unknownMethod, message)
        }
        func parameters(needing fields: String) throws -> KeyedDecodingContainer<WireKey> {
            try container.parameters(at: "params", for: name, needing: fields)
        }
        switch method {
        case .agentOnline: self = .agentOnline
        case .agentOffline: self = .agentOffline
        case .agentGetStatus: self = .agentGetStatus
        case .ping: self = .ping
        case .agentSetStatus:
            let params = try parameters(needing: "'status'")
            self = .agentSetStatus(
                status: try params.decodeNonEmpty("status"),
                restReason: try params.decodeIfPresent(String.self, forKey: "restReason")
            )
        case .chatAccept:
            self = .chatAccept(sessionId: try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId"))
        case .chatEnd:
            self = .chatEnd(sessionId: try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId"))
        case .chatTyping:
            self = .chatTyping(sessionId: try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId"))
        case .chatTransfer:
            let params = try parameters(needing: "'sessionId' and 'skillGroupId' or 'userId'")
            let sessionId = try params.decodeNonEmpty("sessionId")
            // JavaScript callers often pass '' for the target they don't use.
            let skillGroupId = try params.decodeIfPresent(String.self, forKey: "skillGroupId").flatMap { $0.isEmpty ? nil : $0 }
            let userId = try params.decodeIfPresent(String.self, forKey: "userId").flatMap { $0.isEmpty ? nil : $0 }
            guard skillGroupId != nil || userId != nil else {
                throw ProtocolError(.missingField, "field 'params.skillGroupId' or 'params.userId' is required: 'Chat.transfer' needs a skill group or an agent to transfer to")
            }
            self = .chatTransfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId)
        case .chatSendMessage:
            let params = try parameters(needing: "'sessionId' and 'text'")
            self = .chatSendMessage(sessionId: try params.decodeNonEmpty("sessionId"), text: try params.decodeNonEmpty("text"))
        case .chatGetMessages:
            _ = try parameters(needing: "'sessionId'")
            self = .chatGetMessages(try container.decode(MessageQuery.self, forKey: "params"))
        }
    }

    /// Encodes `"method"` and, when the method takes them, `"params"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(method.rawValue, forKey: "method")
        switch self {
        case .agentOnline, .agentOffline, .agentGetStatus, .ping:
            break
        case .agentSetStatus(let status, let restReason):
            var params = container.nestedContainer(keyedBy: WireKey.self, forKey: "params")
            try params.encode(status, forKey: "status")
            try params.encodeIfPresent(restReason, forKey: "restReason")
        case .chatAccept(let sessionId), .chatEnd(let sessionId), .chatTyping(let sessionId):
            var params = container.nestedContainer(keyedBy: WireKey.self, forKey: "params")
            try params.encode(sessionId, forKey: "sessionId")
        case .chatTransfer(let sessionId, let skillGroupId, let userId):
            var params = container.nestedContainer(keyedBy: WireKey.self, forKey: "params")
            try params.encode(sessionId, forKey: "sessionId")
            try params.encodeIfPresent(skillGroupId, forKey: "skillGroupId")
            try params.encodeIfPresent(userId, forKey: "userId")
        case .chatSendMessage(let sessionId, let text):
            var params = container.nestedContainer(keyedBy: WireKey.self, forKey: "params")
            try params.encode(sessionId, forKey: "sessionId")
            try params.encode(text, forKey: "text")
        case .chatGetMessages(let query):
            try container.encode(query, forKey: "params")
        }
    }
}
