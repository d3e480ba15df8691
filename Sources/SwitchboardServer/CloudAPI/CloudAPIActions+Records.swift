import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// The core's, not the wire protocol's of the same name.
typealias CoreCloseBy = SwitchboardCore.CloseBy

/// Records: `DescribeIMCdrs`, `DescribeChatMessages`, `DescribeSessionDetail`, from the same
/// session records and transcripts the admin API reads.
extension CloudAPIActions {
    /// TCCC's `DescribeTelCdr` `EndStatus` for Switchboard's end status (which uses TCCC's
    /// `EndStatusString` names); 0 for the ones TCCC has no number for (`queueTimeout`,
    /// `adminEnded`, `queueFull`, `error`).
    static let telEndStatus: [String: Int64] = [
        "ok": 1, "ivrGiveUp": 102, "ivrEnd": 107, "waitingGiveUp": 103, "ringingGiveUp": 104, "noSeatOnline": 105, "notWorkTime": 106, "notAnswer": 202,
        "userReject": 203, "numberNotExist": 205, "busy": 206, "operatorError": 208, "callerCancel": 209,
    ]

    /// TCCC's `IMCdrInfo.EndStatus`: 1 normal end, 3 no seat online, 108 ended by a timeout,
    /// 109 ended by the customer, 0 anything else.
    static func imEndStatus(_ record: SessionRecord) -> Int64 {
        switch (record.endStatus, record.closeBy) {
        case ("noSeatOnline", _): 3
        case ("ok", .client?), ("waitingGiveUp", _), ("ringingGiveUp", _): 109
        case ("ok", .timer?), ("queueTimeout", _): 108
        case ("ok", _): 1
        default: 0
        }
    }

    static func describeIMCdrs(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StartTimestamp", "EndTimestamp", "InstanceId", "Limit", "Offset", "Type"])
        try call.parameters.refuseUnsupported("InstanceId", why: "it is deprecated in TCCC; name the application with SdkAppId")
        let range = try CloudAPITimeRange(call.parameters, maximumDays: 366)
        let limit = Int(try call.parameters.int("Limit", in: 1...100, default: 20))
        let offset = Int(try call.parameters.int("Offset", in: 0...Int64(Int32.max), default: 0))
        let type = try call.parameters.int("Type")
        if let type, ![1, 2].contains(type) { throw .invalidValue("'Type' must be 1 (omnichannel) or 2 (text), not \(type)") }
        // Switchboard's im sessions are TCCC's text service (2); it has no omnichannel kind (1).
        var query = SessionListQuery(
            createdFrom: Timestamp(seconds: range.start), createdBefore: Timestamp(seconds: range.end + 1),
            types: type == 1 ? [] : [.im], limit: PageRequest.maximumLimit, offset: 0, oldestFirst: true)
        // The store counts by reading: pages of 500 until the range is exhausted, oldest first so
        // sessions created meanwhile land after the pages read (newest first, each would shift
        // every later page by one: a record twice, another never). Answered newest first.
        var all: [SessionRecord] = []
        do {
            while true {
                let page = try await call.server.store.sessions(query)
                all += page
                if page.count < query.limit { break }
                query.offset += page.count
            }
        } catch { throw .storeFailed(error) }
        all.reverse()
        let groups = await call.server.routing.read { $0.skillGroups.mapValues(\.name) }
        let items: [JSONValue] = all.dropFirst(offset).prefix(limit).map { record in
            var item: [String: JSONValue] = [
                "Id": .string(record.id.rawValue), "SessionId": .string(record.id.rawValue), "Type": 2,
                "Duration": .integer(durationSeconds(record)), "EndStatus": .integer(imEndStatus(record)),
                "Timestamp": .integer(record.createdAt.milliseconds / 1000),
                "SkillGroupId": .string(record.skillGroupId.rawValue), "SkillGroupName": .string(groups[record.skillGroupId] ?? ""),
                "Nickname": .string(record.customer.nickname ?? ""), "StaffId": .string(record.agentId?.rawValue ?? ""),
                "ClientUserId": .string(record.customer.userId ?? ""),
            ]
            item["Satisfaction"] = .null
            return .object(item)
        }
        return ["TotalCount": .integer(Int64(all.count)), "IMCdrs": .array(items), "IMCdrList": .array(items)]
    }

    static func describeChatMessages(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["InstanceId", "CdrId", "Limit", "Offset", "Order", "SessionId"], sdkAppIdRequired: false)
        try call.parameters.refuseUnsupported("InstanceId", why: "it is deprecated in TCCC; name the application with SdkAppId")
        let sessionField = try call.parameters.string("SessionId") != nil ? "SessionId" : "CdrId"
        guard let sessionText = try call.parameters.string(sessionField), !sessionText.isEmpty else { throw .missing("SessionId") }
        let limit = Int(try call.parameters.int("Limit", in: 1...100, default: 20))
        let offset = Int(try call.parameters.int("Offset", in: 0...Int64(Int32.max), default: 0))
        let order = try call.parameters.int("Order", in: 1...2, default: 2)
        let session = SessionID(sessionText)
        let record: SessionRecord?
        do { record = try await call.server.store.session(session) } catch { throw .storeFailed(error) }
        guard let record else { throw CloudAPIError("FailedOperation.SessionNotExists", "'\(sessionField)': session \(sessionText) does not exist") }
        // The whole transcript in pages of the store's size, oldest first; sessions are bounded.
        var messages: [StoredMessage] = []
        do {
            var after: Int64 = 0
            while true {
                let page = try await call.server.store.messages(of: session, query: MessagePageQuery(oldestFirst: true, limit: 500, afterId: after))
                messages += page
                guard page.count == 500, let last = page.last else { break }
                after = last.id
            }
        } catch { throw .storeFailed(error) }
        if order == 2 { messages.reverse() }
        let items: [JSONValue] = messages.dropFirst(offset).prefix(limit).map { message in
            let from: String = switch message.author {
            case .agent: message.agentId?.rawValue ?? "agent"
            case .customer: record.customer.userId ?? "customer"
            case .system: "system"
            }
            return [
                "Timestamp": .integer(message.sentAt.milliseconds / 1000), "From": .string(from),
                // TCCC types a message's parts; a file is `image` or `file`, its content the file's name.
                "Messages": [["Type": .string(messageType(of: message)), "Content": .string(message.text)]],
            ]
        }
        return ["TotalCount": .integer(Int64(messages.count)), "Messages": .array(items)]
    }

    /// `text`, or for a message carrying a file `image` (a picture shown inline) or `file`.
    static func messageType(of message: StoredMessage) -> String {
        guard let attachment = message.attachment else { return "text" }
        return ChatAttachment.imageTypes.contains(attachment.contentType) ? "image" : "file"
    }

    static func describeSessionDetail(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SessionId", "StartTimestamp", "EndTimestamp"])
        let id = try call.parameters.requiredString("SessionId")
        let range = try CloudAPITimeRange(call.parameters, maximumDays: 90)
        let found: SessionRecord?
        do { found = try await call.server.store.session(SessionID(id)) } catch { throw .storeFailed(error) }
        guard let record = found, range.contains(record.createdAt) else {
            throw CloudAPIError("FailedOperation.SessionNotExists", "'SessionId': no session \(id) began between StartTimestamp and EndTimestamp")
        }
        let groupName = await call.server.routing.read { $0.skillGroups[record.skillGroupId]?.name }
        // CallType: 1 outbound, 2 inbound, 3 audio (voip) inbound, 6 internal; video and im count as inbound.
        let callType: Int64 = switch (record.type, record.direction) {
        case (.phone, .outbound?): 1
        case (.voip, _): 3
        case (.internal, _): 6
        default: 2
        }
        var detail: [String: JSONValue] = [
            "Caller": .string(record.customer.callerPhoneNumber ?? record.customer.userId ?? ""),
            "Callee": .string(record.customer.calleePhoneNumber ?? record.customer.callee ?? ""),
            "CallType": .integer(callType), "StartTimeStamp": .integer(record.createdAt.milliseconds / 1000),
            "QueuedTimestamp": .integer(record.createdAt.milliseconds / 1000),
            "StaffUserId": .string(record.agentId?.rawValue ?? ""),
            "QueuedSkillGroupName": .string(groupName ?? ""),
            "HungUpSide": .string(hungUpSide(record.closeBy)),
            "UUI": .string(record.customer.clientData ?? ""),
        ]
        if let number = CloudAPISkillGroupNumber.number(record.skillGroupId) { detail["QueuedSkillGroupId"] = .integer(number) }
        if let ring = record.firstRingAt { detail["RingTimestamp"] = .integer(ring.milliseconds / 1000) }
        if let accepted = record.acceptedAt { detail["AcceptTimestamp"] = .integer(accepted.milliseconds / 1000) }
        if let ended = record.endedAt { detail["EndedTimestamp"] = .integer(ended.milliseconds / 1000) }
        if let status = record.endStatus { detail["EndStatus"] = .integer(telEndStatus[status] ?? 0) }
        if let digits = record.digits { detail["IVRKeyPressed"] = .array(digits.map { ["Key": .string(String($0))] }) }
        return detail
    }

    /// TCCC's `HungUpSide`: seat, user or system.
    static func hungUpSide(_ closeBy: CoreCloseBy?) -> String {
        switch closeBy {
        case .seat?: "seat"
        case .client?: "user"
        case .admin?, .timer?: "system"
        case nil: ""
        }
    }

    /// Seconds from acceptance to the end; 0 for a session never accepted or still live.
    static func durationSeconds(_ record: SessionRecord) -> Int64 {
        guard let accepted = record.acceptedAt, let ended = record.endedAt else { return 0 }
        return (ended.milliseconds - accepted.milliseconds) / 1000
    }
}
