import SwitchboardCore
import SwitchboardProtocol

/// `DescribeCallInMetrics`: the inbound calls live now (phone, voip, video), where they are and
/// for how long, in total, by skill group and by the number called.
extension CloudAPIActions {
    static func describeCallInMetrics(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["EnabledSkillGroup", "EnabledNumber", "GroupIdList"])
        let bySkillGroup = try call.parameters.bool("EnabledSkillGroup") ?? true
        let byNumber = try call.parameters.bool("EnabledNumber") ?? false
        var only: Set<SkillGroupID>?
        if let numbers = try call.parameters.ints("GroupIdList") {
            var ids: Set<SkillGroupID> = []
            for (index, number) in numbers.enumerated() { ids.insert(try await call.requireSkillGroup(number, field: "GroupIdList[\(index)]").id) }
            only = ids
        }
        let now = Timestamp.now()
        let (calls, groups): ([Session], [SkillGroupID: String]) = await call.server.routing.read { machine in
            let live = machine.sessions.values.filter { session in
                session.type.isVoiceLike && session.type != .internal && session.direction != .outbound
                    && (only == nil || only!.contains(session.skillGroupId))
            }
            return (Array(live), machine.skillGroups.mapValues(\.name))
        }
        // A ringing call's ring began at its record's first ring (the record is written with it).
        var ringStart: [SessionID: Timestamp] = [:]
        for session in calls where session.ringingAgents.isEmpty == false {
            if let record = try? await call.server.store.session(session.id), let ring = record.firstRingAt { ringStart[session.id] = ring }
        }
        // Callers in a phone menu belong to no skill group yet: they count in the totals and
        // under the number they called, never under a group.
        let inMenus = call.server.phone?.currentStatus.inMenus ?? []
        func metrics(_ sessions: [Session], menuCallers: Int = 0) -> JSONValue {
            var queued: [Int64] = [], ringing: [Int64] = [], accepted: [Int64] = []
            for session in sessions {
                switch session.state {
                case .queued: queued.append(now.milliseconds - session.createdAt.milliseconds)
                case .ringing: ringing.append(now.milliseconds - (ringStart[session.id] ?? session.createdAt).milliseconds)
                case .accepted: accepted.append(now.milliseconds - (session.acceptedAt ?? session.createdAt).milliseconds)
                }
            }
            func maximum(_ values: [Int64]) -> JSONValue { .integer((values.max() ?? 0) / 1000) }
            func average(_ values: [Int64]) -> JSONValue { .integer(values.isEmpty ? 0 : values.reduce(0, +) / Int64(values.count) / 1000) }
            // Switchboard does not transfer to outside lines: that count is 0 by construction.
            return [
                "IvrCount": .integer(Int64(menuCallers)), "TransferOuterCount": 0,
                "QueueCount": .integer(Int64(queued.count)), "RingCount": .integer(Int64(ringing.count)),
                "AcceptCount": .integer(Int64(accepted.count)),
                "MaxQueueDuration": maximum(queued), "AvgQueueDuration": average(queued),
                "MaxRingDuration": maximum(ringing), "AvgRingDuration": average(ringing),
                "MaxAcceptDuration": maximum(accepted), "AvgAcceptDuration": average(accepted),
            ]
        }
        func groupMetrics(_ sessions: [Session]) -> [JSONValue] {
            Dictionary(grouping: sessions, by: \.skillGroupId).sorted { $0.key < $1.key }.compactMap { id, members in
                guard let number = CloudAPISkillGroupNumber.number(id) else { return nil }
                return ["SkillGroupId": .integer(number), "Name": .string(groups[id] ?? ""), "Metrics": metrics(members)]
            }
        }
        var result: [String: JSONValue] = ["Timestamp": .integer(now.milliseconds / 1000), "TotalMetrics": metrics(calls, menuCallers: inMenus.count)]
        if bySkillGroup { result["SkillGroupMetrics"] = .array(groupMetrics(calls)) }
        if byNumber {
            let byCallee = Dictionary(grouping: calls.filter { $0.customer.calleePhoneNumber != nil }) { $0.customer.calleePhoneNumber! }
            let menusByNumber = Dictionary(grouping: inMenus.filter { !$0.isEmpty }) { $0 }.mapValues(\.count)
            let numbers = Set(byCallee.keys).union(menusByNumber.keys).sorted()
            result["NumberMetrics"] = .array(numbers.map { number in
                let members = byCallee[number] ?? []
                return ["Number": .string(number), "Metrics": metrics(members, menuCallers: menusByNumber[number] ?? 0),
                        "SkillGroupMetrics": .array(groupMetrics(members))]
            })
        }
        return result
    }
}
