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
        func metrics(_ sessions: [Session]) -> JSONValue {
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
            // Switchboard has no IVR stage in the core and no transfers to outside lines: those counts are 0 by construction.
            return [
                "IvrCount": 0, "TransferOuterCount": 0,
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
        var result: [String: JSONValue] = ["Timestamp": .integer(now.milliseconds / 1000), "TotalMetrics": metrics(calls)]
        if bySkillGroup { result["SkillGroupMetrics"] = .array(groupMetrics(calls)) }
        if byNumber {
            let byCallee = Dictionary(grouping: calls.filter { $0.customer.calleePhoneNumber != nil }) { $0.customer.calleePhoneNumber! }
            result["NumberMetrics"] = .array(byCallee.sorted { $0.key < $1.key }.map { number, members in
                ["Number": .string(number), "Metrics": metrics(members), "SkillGroupMetrics": .array(groupMetrics(members))]
            })
        }
        return result
    }
}
