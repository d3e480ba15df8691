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
        case .cannedRepliesList: self = .cannedRepliesList
        case .ping: self = .ping
        case .agentGetTransferTargets:
            // Both the session and the params that would carry it are optional.
            guard container.contains("params"), try !container.decodeNil(forKey: "params") else {
                self = .agentGetTransferTargets(sessionId: nil)
                return
            }
            let params = try container.nestedContainer(keyedBy: WireKey.self, forKey: "params")
            self = .agentGetTransferTargets(sessionId: try params.decodeNonEmptyIfPresent("sessionId"))
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
        case .chatTransfer, .callTransfer, .videoTransfer:
            let params = try parameters(needing: "'sessionId' and 'skillGroupId' or 'userId'")
            let sessionId = try params.decodeNonEmpty("sessionId")
            // JavaScript callers often pass '' for the target they don't use.
            let skillGroupId = try params.optionalTarget("skillGroupId")
            let userId = try params.optionalTarget("userId")
            guard skillGroupId != nil || userId != nil else {
                throw ProtocolError(.missingField, "field 'params.skillGroupId' or 'params.userId' is required: '\(name)' needs a skill group or an agent to transfer to")
            }
            self = method == .chatTransfer
                ? .chatTransfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId)
                : .callTransfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId, video: method == .videoTransfer)
        case .callAccept, .videoAccept:
            self = .callAccept(sessionId: try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId"), video: method == .videoAccept)
        case .callHungUp, .videoEnd:
            self = .callHangUp(sessionId: try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId"), video: method == .videoEnd)
        case .callHold, .callUnHold:
            let sessionId = try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId")
            self = method == .callHold ? .callHold(sessionId: sessionId) : .callUnHold(sessionId: sessionId)
        case .callSendDigits:
            let params = try parameters(needing: "'sessionId' and 'dtmfText'")
            let sessionId = try params.decodeNonEmpty("sessionId")
            let digits = try params.decode(String.self, forKey: "dtmfText")
            do { try CallSignal.checkDigits(digits) } catch {
                throw ProtocolError(.invalidValue, "field 'params.dtmfText': \(error.message)")
            }
            self = .callSendDigits(sessionId: sessionId, dtmfText: digits)
        case .callStartInternalCall:
            let params = try parameters(needing: "'calleeUserId' or 'skillGroupId'")
            let calleeUserId = try params.optionalTarget("calleeUserId")
            let skillGroupId = try params.optionalTarget("skillGroupId")
            guard calleeUserId != nil || skillGroupId != nil else {
                throw ProtocolError(.missingField, "field 'params.calleeUserId' or 'params.skillGroupId' is required: 'Call.startInternalCall' needs an agent or a skill group to call")
            }
            self = .callStartInternalCall(calleeUserId: calleeUserId, skillGroupId: skillGroupId)
        case .callStartOutboundCall:
            let params = try parameters(needing: "'phoneNumber'")
            self = .callStartOutboundCall(
                phoneNumber: try params.decodeNonEmpty("phoneNumber"), callerPhoneNumber: try params.optionalTarget("callerPhoneNumber"),
                skillGroupId: try params.optionalTarget("skillGroupId"), phoneDesc: try params.optionalTarget("phoneDesc"),
                uui: try params.optionalTarget("uui"))
        case .chatSendMessage:
            let params = try parameters(needing: "'sessionId' and 'text'")
            self = .chatSendMessage(sessionId: try params.decodeNonEmpty("sessionId"), text: try params.decodeNonEmpty("text"))
        case .chatGetWrapUp:
            self = .chatGetWrapUp(sessionId: try parameters(needing: "'sessionId'").decodeNonEmpty("sessionId"))
        case .chatWrapUp:
            // The server checks the code against the group's and the note's length.
            let params = try parameters(needing: "'sessionId' and 'dispositionCode' or 'note'")
            self = .chatWrapUp(
                sessionId: try params.decodeNonEmpty("sessionId"), dispositionCode: try params.decodeIfPresent(String.self, forKey: "dispositionCode"),
                note: try params.decodeIfPresent(String.self, forKey: "note"))
        case .cannedRepliesSave:
            // The server checks lengths and characters, with the admin API's words.
            let params = try parameters(needing: "'shortcut', 'title' and 'text'")
            self = .cannedRepliesSave(
                id: try params.decodeNonEmptyIfPresent("id"), shortcut: try params.decode(String.self, forKey: "shortcut"),
                title: try params.decode(String.self, forKey: "title"), text: try params.decode(String.self, forKey: "text"))
        case .cannedRepliesDelete:
            self = .cannedRepliesDelete(id: try parameters(needing: "'id'").decodeNonEmpty("id"))
        case .chatGetMessages:
            _ = try parameters(needing: "'sessionId'")
            self = .chatGetMessages(try container.decode(MessageQuery.self, forKey: "params"))
        }
    }

    /// Encodes `"method"` and, when the method takes them, `"params"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(method.rawValue, forKey: "method")
        /// The string parameters, in order; nil ones are left out.
        func params(_ fields: KeyValuePairs<WireKey, String?>) throws {
            var params = container.nestedContainer(keyedBy: WireKey.self, forKey: "params")
            for (key, value) in fields { try params.encodeIfPresent(value, forKey: key) }
        }
        switch self {
        case .agentOnline, .agentOffline, .agentGetStatus, .cannedRepliesList, .ping:
            break
        case .cannedRepliesSave(let id, let shortcut, let title, let text):
            try params(["id": id, "shortcut": shortcut, "title": title, "text": text])
        case .cannedRepliesDelete(let id):
            try params(["id": id])
        case .agentGetTransferTargets(let sessionId):
            if let sessionId { try params(["sessionId": sessionId]) }
        case .agentSetStatus(let status, let restReason):
            try params(["status": status, "restReason": restReason])
        case .chatWrapUp(let sessionId, let dispositionCode, let note):
            try params(["sessionId": sessionId, "dispositionCode": dispositionCode, "note": note])
        case .chatAccept(let sessionId), .chatEnd(let sessionId), .chatTyping(let sessionId), .chatGetWrapUp(let sessionId),
             .callAccept(let sessionId, _), .callHangUp(let sessionId, _), .callHold(let sessionId), .callUnHold(let sessionId):
            try params(["sessionId": sessionId])
        case .chatTransfer(let sessionId, let skillGroupId, let userId), .callTransfer(let sessionId, let skillGroupId, let userId, _):
            try params(["sessionId": sessionId, "skillGroupId": skillGroupId, "userId": userId])
        case .chatSendMessage(let sessionId, let text):
            try params(["sessionId": sessionId, "text": text])
        case .chatGetMessages(let query):
            try container.encode(query, forKey: "params")
        case .callSendDigits(let sessionId, let dtmfText):
            try params(["sessionId": sessionId, "dtmfText": dtmfText])
        case .callStartInternalCall(let calleeUserId, let skillGroupId):
            try params(["calleeUserId": calleeUserId, "skillGroupId": skillGroupId])
        case .callStartOutboundCall(let phoneNumber, let callerPhoneNumber, let skillGroupId, let phoneDesc, let uui):
            try params([
                "phoneNumber": phoneNumber, "callerPhoneNumber": callerPhoneNumber, "skillGroupId": skillGroupId, "phoneDesc": phoneDesc,
                "uui": uui,
            ])
        }
    }
}

extension KeyedDecodingContainer where Key == WireKey {
    /// An optional target id; JavaScript callers often pass '' (or null) for the one they don't use.
    fileprivate func optionalTarget(_ key: Key) throws -> String? {
        try decodeIfPresent(String.self, forKey: key).flatMap { $0.isEmpty ? nil : $0 }
    }
}
