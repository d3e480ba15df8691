import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// The phone actions: `DescribeTelCdr`, `DescribeTelSession`, `DescribePSTNActiveSessionList`,
/// `HangUpCall`, `CreateCallOutSession`, `DescribeNumbers`. They read the same session records
/// and routing state as `/api/v1/sessions` and `/api/v1/phone-numbers`, end calls with the
/// admin API's `adminEnd`, and place calls through the phone gateway's `placeCall`, the path
/// `Call.startOutboundCall` takes.
extension CloudAPIActions {
    // MARK: Records

    /// The session types TCCC keeps telephone records (`TelCdrInfo`) for: calls through the
    /// trunk (`CallType` 1, 2), audio calls from the web (3) and internal calls (6). Chats are
    /// `DescribeIMCdrs`'; video calls have no `CallType` and are read with `DescribeSessionDetail`.
    static let telTypes: [SwitchboardCore.SessionType] = [.phone, .voip, .internal]

    /// The call's recording, once it is ready: its id (the session's) and the admin API's
    /// download link (`audio/wav`, range requests), which takes the admin key or a supervisor's
    /// sign-in as every recording download does. A recording still in progress or failed has no
    /// URL yet, as TCCC answers for a call whose recording is not available.
    static func recording(of record: SessionRecord, _ call: CloudAPICall) async -> (id: String, url: String)? {
        guard let entry = call.server.recordings.entry(of: record.id), entry.status == .ready else { return nil }
        return (record.id.rawValue, call.baseURL + RecordingRepresentation.url(of: record.id.rawValue))
    }

    static func describeTelCdr(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StartTimeStamp", "EndTimeStamp", "PageSize", "PageNumber", "InstanceId", "Limit", "Offset", "Phones", "SessionIds"])
        try call.parameters.refuseUnsupported("InstanceId", why: "it is deprecated in TCCC; name the application with SdkAppId")
        for old in ["Limit", "Offset"] {
            try call.parameters.refuseUnsupported(old, why: "it is deprecated in TCCC; page with PageSize and PageNumber (from 0)")
        }
        let start = try call.parameters.requiredInt("StartTimeStamp")
        let end = try call.parameters.requiredInt("EndTimeStamp")
        try CloudAPITimeRange.check(start: start, end: end, names: ("StartTimeStamp", "EndTimeStamp"))
        guard end - start < 90 * 86_400 else {
            throw .invalidValue("'EndTimeStamp' - 'StartTimeStamp' is \(end - start) s; the range must be shorter than 90 days (\(90 * 86_400) s)")
        }
        guard let pageSize = try call.parameters.int("PageSize") else { throw .missing("PageSize") }
        guard (1...100).contains(pageSize) else { throw .invalidValue("'PageSize' must be 1 to 100, not \(pageSize)") }
        guard let pageNumber = try call.parameters.int("PageNumber") else { throw .missing("PageNumber") }
        guard (0...Int64(Int32.max)).contains(pageNumber) else { throw .invalidValue("'PageNumber' counts from 0; \(pageNumber) is not a page") }
        let phones = try call.parameters.strings("Phones").map(Set.init)
        let sessionIds = try call.parameters.strings("SessionIds").map(Set.init)
        for (field, values) in [("Phones", phones), ("SessionIds", sessionIds)] where values?.contains("") == true {
            throw .invalidValue("'\(field)' must not hold an empty string")
        }

        var query = SessionListQuery(
            createdFrom: Timestamp(seconds: start), createdBefore: Timestamp(seconds: end + 1), types: telTypes,
            limit: PageRequest.maximumLimit, offset: 0, oldestFirst: true)
        var matching: [SessionRecord] = []
        do {
            while true {
                let page = try await call.server.store.sessions(query)
                matching += page.filter { record in
                    (sessionIds == nil || sessionIds!.contains(record.id.rawValue))
                        && (phones == nil || !phones!.isDisjoint(with: [record.customer.callerPhoneNumber, record.customer.calleePhoneNumber].compactMap { $0 }))
                }
                if page.count < query.limit { break }
                query.offset += page.count
            }
        } catch { throw .storeFailed(error) }
        // Read oldest first so calls placed meanwhile cannot shift the pages; answered newest first.
        matching.reverse()
        let (groups, agents) = await call.server.routing.read { machine in
            (machine.skillGroups.mapValues(\.name), machine.agents.mapValues(\.profile))
        }
        var items: [JSONValue] = []
        for record in matching.dropFirst(Int(pageNumber * pageSize)).prefix(Int(pageSize)) {
            items.append(.object(telCdr(record, groups: groups, agents: agents, recording: await recording(of: record, call))))
        }
        return ["TotalCount": .integer(Int64(matching.count)), "TelCdrs": .array(items), "TelCdrList": .array(items)]
    }

    /// One `TelCdrInfo`.
    static func telCdr(
        _ record: SessionRecord, groups: [SkillGroupID: String], agents: [AgentID: AgentProfile], recording: (id: String, url: String)?
    ) -> [String: JSONValue] {
        let seconds = { (time: Timestamp?) -> JSONValue in time.map { .integer($0.milliseconds / 1000) } ?? 0 }
        let groupName = groups[record.skillGroupId] ?? ""
        let groupNumber = CloudAPISkillGroupNumber.number(record.skillGroupId)
        let endStatus = record.endStatus ?? ""
        let keys: [JSONValue] = (record.customer.ivrPath ?? []).map { ["Key": .string($0.key), "Label": .string($0.label)] }
        let uui = record.customer.clientData ?? ""
        var cdr: [String: JSONValue] = [
            "SessionId": .string(record.id.rawValue),
            "Caller": .string(telCaller(record)), "Callee": .string(telCallee(record)),
            "Time": seconds(record.createdAt), "StartTimestamp": seconds(record.createdAt), "QueuedTimestamp": seconds(record.queuedTime ?? record.createdAt),
            "RingTimestamp": seconds(record.firstRingAt), "AcceptTimestamp": seconds(record.acceptedAt), "EndedTimestamp": seconds(record.endedAt),
            "Direction": .integer(record.direction == .outbound ? 1 : 0), "CallType": .integer(callType(record)),
            "Duration": .integer(durationSeconds(record)),
            "RecordURL": .string(recording?.url ?? ""), "RecordId": .string(recording?.id ?? ""),
            "EndStatus": .integer(telEndStatus[endStatus] ?? 0), "EndStatusString": .string(endStatus),
            "SkillGroup": .string(groupName), "QueuedSkillGroupName": .string(groupName),
            "CallerLocation": .string(record.customer.callerLocation ?? ""),
            // The flow runs before the session is created: its time is not part of the record.
            "IVRDuration": 0,
            "IVRKeyPressed": .array((record.customer.ivrPath ?? []).map { .string($0.key) }),
            "IVRKeyPressedEx": .array(keys),
            "HungUpSide": .string(hungUpSide(record.closeBy)),
            "UUI": .string(uui), "Uui": .string(uui),
            "Remark": .string(record.customer.remark ?? ""),
        ]
        if let groupNumber {
            cdr["SkillGroupId"] = .integer(groupNumber)
            cdr["QueuedSkillGroupId"] = .integer(groupNumber)
        }
        if let agent = record.agentId {
            let profile = agents[agent]
            var seat: [String: JSONValue] = [
                "Mail": .string(agent.rawValue), "UserId": .string(agent.rawValue), "Name": .string(profile?.name ?? agent.rawValue),
                "SkillGroupNameList": .array((profile?.memberships.keys.sorted() ?? []).compactMap { groups[$0].map(JSONValue.string) }),
                "Role": 3,
            ]
            seat["StaffNumber"] = ""
            cdr["SeatUser"] = .object(seat)
            var participant: [String: JSONValue] = [
                "Mail": .string(agent.rawValue), "Type": "staffSeat",
                "Sequence": 0, "StartTimestamp": seconds(record.createdAt),
                "RingTimestamp": seconds(record.firstRingAt), "AcceptTimestamp": seconds(record.acceptedAt), "EndedTimestamp": seconds(record.endedAt),
                "EndStatusString": .string(endStatus), "SkillGroupName": .string(groupName),
                "RecordURL": .string(recording?.url ?? ""), "RecordId": .string(recording?.id ?? ""),
            ]
            if let groupNumber { participant["SkillGroupId"] = .integer(groupNumber) }
            cdr["ServeParticipants"] = [.object(participant)]
        } else {
            cdr["ServeParticipants"] = []
        }
        return cdr
    }

    /// TCCC's `CallType`: 1 outbound, 2 inbound, 3 audio (voip) inbound, 6 internal.
    static func callType(_ record: SessionRecord) -> Int64 {
        switch (record.type, record.direction) {
        case (.phone, .outbound?): 1
        case (.voip, _): 3
        case (.internal, _): 6
        default: 2
        }
    }

    /// The caller as TCCC's records name it: the phone number, else the web user or agent.
    static func telCaller(_ record: SessionRecord) -> String {
        record.customer.callerPhoneNumber ?? record.customer.userId ?? ""
    }

    /// The callee: the number dialled (or called in on), else the agent or group called.
    static func telCallee(_ record: SessionRecord) -> String {
        record.customer.calleePhoneNumber ?? record.customer.callee ?? ""
    }

    // MARK: Live calls

    /// TCCC's `SessionStatus` of a live telephone call: `ringing` while an outbound call's
    /// callee has not answered, `seatJoining` while an inbound call waits for an agent (queued
    /// or ringing one), `inProgress` once both sides are talking.
    static func sessionStatus(_ session: Session) -> String {
        if session.direction == .outbound { return session.acceptedAt == nil ? "ringing" : "inProgress" }
        if case .accepted = session.state { return "inProgress" }
        return "seatJoining"
    }

    /// The telephone call a `SessionId` names: its record, and its live state while it lasts.
    private static func telephoneCall(_ call: CloudAPICall, _ id: String) async throws(CloudAPIError) -> (SessionRecord, Session?) {
        let record: SessionRecord?
        do { record = try await call.server.store.session(SessionID(id)) } catch { throw .storeFailed(error) }
        guard let record else { throw CloudAPIError("FailedOperation.SessionNotExists", "'SessionId': session \(id) does not exist") }
        guard record.type == .phone else {
            throw .invalidValue("'SessionId': session \(id) is a \(record.type.rawValue) session, not a telephone call; DescribeSessionDetail reads any session")
        }
        return (record, await call.server.routing.read { $0.sessions[SessionID(id)] })
    }

    static func describeTelSession(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SessionId"])
        let id = try call.parameters.requiredString("SessionId")
        let (record, live) = try await telephoneCall(call, id)
        var session: [String: JSONValue] = [
            "SessionID": .string(record.id.rawValue), "RoomID": "",
            "Caller": .string(telCaller(record)), "Callee": .string(telCallee(record)),
            "StartTimestamp": .integer(record.createdAt.milliseconds / 1000),
            "StaffEmail": .string((live?.state.agent ?? record.agentId)?.rawValue ?? ""), "StaffNumber": "",
            "SessionStatus": .string(live.map(sessionStatus) ?? "finished"),
            "Direction": .integer(record.direction == .outbound ? 1 : 0),
            // No transfers to outside lines in Switchboard.
            "OutBoundCaller": "", "OutBoundCallee": "",
        ]
        if let ring = record.firstRingAt { session["RingTimestamp"] = .integer(ring.milliseconds / 1000) }
        if let accepted = live?.acceptedAt ?? record.acceptedAt { session["AcceptTimestamp"] = .integer(accepted.milliseconds / 1000) }
        return ["Session": .object(session)]
    }

    static func describePSTNActiveSessionList(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["Offset", "Limit"])
        guard let offset = try call.parameters.int("Offset") else { throw .missing("Offset") }
        guard offset >= 0, offset <= Int64(Int32.max) else { throw .invalidValue("'Offset' must be 0 or more, not \(offset)") }
        guard let limit = try call.parameters.int("Limit") else { throw .missing("Limit") }
        guard (1...25).contains(limit) else { throw .invalidValue("'Limit' must be 1 to 25, not \(limit)") }
        let live = await call.server.routing.read { machine in
            machine.sessions.values.filter { $0.type == .phone }.sorted { $0.arrival < $1.arrival }
        }
        var items: [JSONValue] = []
        for session in live.dropFirst(Int(offset)).prefix(Int(limit)) {
            let ring = (try? await call.server.store.session(session.id))?.firstRingAt
            var info: [String: JSONValue] = [
                "SessionID": .string(session.id.rawValue), "RoomID": "",
                "Caller": .string(session.customer.callerPhoneNumber ?? ""), "Callee": .string(session.customer.calleePhoneNumber ?? ""),
                // TCCC types these two as strings in this list (and as integers elsewhere).
                "StartTimestamp": .string(String(session.createdAt.milliseconds / 1000)),
                "AcceptTimestamp": .string(session.acceptedAt.map { String($0.milliseconds / 1000) } ?? ""),
                "StaffEmail": .string(session.state.agent?.rawValue ?? ""), "StaffNumber": "",
                "SessionStatus": .string(sessionStatus(session)), "Direction": .integer(session.direction == .outbound ? 1 : 0),
            ]
            if let ring { info["RingTimestamp"] = .integer(ring.milliseconds / 1000) }
            items.append(.object(info))
        }
        return ["Total": .integer(Int64(live.count)), "Sessions": .array(items)]
    }

    // MARK: Changes

    static func hangUpCall(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SessionId"])
        let text = try call.parameters.requiredString("SessionId")
        let id = SessionID(text)
        guard let type = await call.server.routing.read({ $0.sessions[id]?.type }) else {
            let record: SessionRecord?
            do { record = try await call.server.store.session(id) } catch { throw .storeFailed(error) }
            if record != nil { throw CloudAPIError("FailedOperation.SessionNotExists", "'SessionId': session \(text) has already ended") }
            throw CloudAPIError("FailedOperation.SessionNotExists", "'SessionId': session \(text) does not exist")
        }
        guard type.isVoiceLike else {
            throw .invalidValue("'SessionId': session \(text) is a chat, not a call; end chats with the admin API's POST /api/v1/sessions/{id}/end")
        }
        // The admin API's end: the gateway sends the carrier its BYE (or CANCEL) on the event.
        try await call.execute(.adminEnd(id, mainReason: "hangUpCall", subReason: nil))
        return [:]
    }

    static func createCallOutSession(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["UserId", "Callee", "Caller", "Callers", "IsForceUseMobile", "UUI"])
        let userId = try call.parameters.requiredString("UserId")
        let callee = try call.parameters.requiredString("Callee")
        var callers = try call.parameters.strings("Callers") ?? []
        var callerField = "Callers[0]"
        if let caller = try call.parameters.string("Caller") {
            guard callers.isEmpty else { throw .invalidValue("give 'Callers' or the deprecated 'Caller', not both") }
            callers = [caller]
            callerField = "Caller"
        }
        guard callers.count <= 1 else {
            throw .invalidValue("'Callers' lists \(callers.count) numbers; Switchboard presents one caller number per call (no fallback to the next), so give at most one")
        }
        try call.parameters.refuseUnsupported(
            "IsForceUseMobile", unless: { $0 == .bool(false) },
            why: "Switchboard does not ring the agent's mobile phone: the call is placed for the agent's logged-in SDK, which carries the audio as with Call.startOutboundCall")
        let uui = try call.parameters.string("UUI")
        if let uui, uui.utf8.count > 1024 { throw .invalidValue("'UUI' is \(uui.utf8.count) bytes; at most 1024 are allowed") }
        if let uui, uui.unicodeScalars.contains("\u{0}") { throw .invalidValue("'UUI' contains a NUL character") }
        try OutboundCall.checkCloudNumber(callee, field: "Callee")
        if let caller = callers.first { try OutboundCall.checkCloudNumber(caller, field: callerField) }
        _ = try await call.requireAgent(userId, field: "UserId")
        guard let phone = call.server.phone else {
            throw CloudAPIError("FailedOperation.CallOutFailed", "cannot call \(callee): no phone trunk is configured on this server (start it with --sip-listen and --trunk)")
        }
        // The gateway checks these too; checked here first so the error names the field.
        guard phone.configuration.allowsDialling(callee) else {
            throw .invalidValue("'Callee': calling \(callee) is not allowed on this server; an administrator can allow destinations with --dial-allow")
        }
        if let caller = callers.first {
            let own = await call.server.routing.read { Array($0.phoneNumbers.keys) }
            guard phone.configuration.allowsPresenting(caller, ownNumbers: own) else {
                throw .invalidValue("'\(callerField)': \(caller) cannot be presented as the caller: only --caller-id and the numbers bound to this tenant (DescribeNumbers) may be")
            }
        }
        let started: StartedCall
        do {
            started = try await phone.placeCall(by: AgentID(userId), OutboundCall(phoneNumber: callee, callerPhoneNumber: callers.first, uui: uui, placedByServerAPI: true))
        } catch let failure as RoutingService.Failure {
            throw CloudAPIError(failure)
        } catch let refusal as CallSignaling.Refusal {
            throw CloudAPIError("FailedOperation.CallOutFailed", refusal.description)
        } catch {
            throw CloudAPIError("FailedOperation.CallOutFailed", "the call was not placed: \(error)")
        }
        return ["SessionId": .string(started.sessionId)]
    }

    // MARK: Numbers

    static func describeNumbers(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["PageNumber", "PageSize"])
        let pageNumber = try call.parameters.int("PageNumber", in: 0...Int64(Int32.max), default: 0)
        let pageSize = try call.parameters.int("PageSize", in: 1...100, default: 20)
        // The numbers bound through the admin API, and those of --phone-number not overridden there.
        let stored = await call.server.routing.read { $0.phoneNumbers }
        var bindings = stored
        for binding in call.server.phone?.configuration.numbers ?? [] where bindings[binding.number] == nil {
            bindings[binding.number] = binding
        }
        let numbers = bindings.keys.sorted()
        let items: [JSONValue] = numbers.dropFirst(Int(pageNumber * pageSize)).prefix(Int(pageSize)).map { number in
            let binding = bindings[number]!
            // Every number may present an outbound call, from any group: TCCC's "outbound skill
            // groups" are the group it queues to, when that group has a TCCC number.
            let groups = binding.skillGroupId.flatMap(CloudAPISkillGroupNumber.number).map { [JSONValue.integer($0)] } ?? []
            return ["Number": .string(number), "CallOutSkillGroupIds": .array(groups), "State": 1, "CostType": 1]
        }
        return ["TotalCount": .integer(Int64(numbers.count)), "Numbers": .array(items)]
    }
}

extension OutboundCall {
    /// The core's number check, as a TCCC error naming the field.
    static func checkCloudNumber(_ number: String, field: String) throws(CloudAPIError) {
        do { try checkNumber(number, field: field) } catch { throw .invalidValue("'\(field)': \(error.message)") }
    }
}
