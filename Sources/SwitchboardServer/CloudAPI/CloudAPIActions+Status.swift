import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// The core's, not the wire protocol's of the same name.
typealias CoreAgentStatus = SwitchboardCore.AgentStatus

/// Agent statuses: `SetStaffStatus`, `ForceMemberOffline`, `RestoreMemberOnline`,
/// `DescribeStaffStatusMetrics`, `DescribeStaffStatusHistory`.
extension CloudAPIActions {
    /// TCCC's name for a status: Switchboard's `arrange` is TCCC's `afterCallWork`.
    static func tcccStatus(_ status: CoreAgentStatus) -> String { status == .arrange ? "afterCallWork" : status.rawValue }

    static func setStaffStatus(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StaffStatusList"])
        guard let items = try call.parameters.objects("StaffStatusList") else { throw .missing("StaffStatusList") }
        guard (1...10).contains(items.count) else { throw .invalidValue("'StaffStatusList' must hold 1 to 10 items, not \(items.count)") }
        var requests: [(agent: AgentID, status: String, reason: String?)] = []
        for item in items {
            try item.accept(["StaffUserId", "Status", "Reason"])
            let id = try item.requiredString("StaffUserId")
            _ = try await call.requireAgent(id, field: item.name("StaffUserId"))
            let status = try item.requiredString("Status")
            guard ["free", "notReady", "rest"].contains(status) else {
                throw .invalidValue("'\(item.name("Status"))' must be free, notReady or rest, not '\(status)'")
            }
            requests.append((AgentID(id), status, try item.string("Reason")))
        }
        // Each agent's change stands alone, as in TCCC: one that the agent's state refuses
        // (busy cannot be set free, offline has no status) is reported and the others apply.
        var results: [JSONValue] = []
        for request in requests {
            let before = await call.server.routing.read { $0.agents[request.agent] }
            var result: [String: JSONValue] = ["StaffUserId": .string(request.agent.rawValue)]
            if let before {
                result["PreviousStatus"] = .string(tcccStatus(before.status))
                result["PreviousReason"] = .string(before.restReason ?? "")
            }
            do throws(CloudAPIError) {
                try await call.execute(.adminSetStatus(request.agent, status: request.status, restReason: request.reason))
                result["ErrorCode"] = ""
                result["ErrorMessage"] = ""
            } catch {
                result["ErrorCode"] = .string(error.code)
                result["ErrorMessage"] = .string(error.message)
            }
            if let after = await call.server.routing.read({ $0.agents[request.agent] }) {
                result["Status"] = .string(tcccStatus(after.status))
                result["Reason"] = .string(after.restReason ?? "")
            }
            results.append(.object(result))
        }
        return ["StaffStatusList": .array(results)]
    }

    /// Takes the agent offline and closes its SDK connections; it may log in again (or be
    /// restored with `RestoreMemberOnline`). Refused while it holds accepted sessions.
    static func forceMemberOffline(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["UserId"])
        let agent = try await call.requireAgent(try call.parameters.requiredString("UserId"), field: "UserId")
        try await call.execute(.offline(agent.id))
        _ = call.server.agentHub.disconnectAll(agent: agent.id.rawValue)
        return [:]
    }

    /// Puts an offline agent online, as `Agent.online()` does (the tenant's status after online).
    static func restoreMemberOnline(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["UserId"])
        let agent = try await call.requireAgent(try call.parameters.requiredString("UserId"), field: "UserId")
        try await call.execute(.online(agent.id))
        return [:]
    }

    static func describeStaffStatusMetrics(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StaffList", "GroupIdList", "StatusList"])
        let staff = try call.parameters.strings("StaffList")
        var groups: [SkillGroupID]?
        if let numbers = try call.parameters.ints("GroupIdList") {
            var ids: [SkillGroupID] = []
            for (index, number) in numbers.enumerated() { ids.append(try await call.requireSkillGroup(number, field: "GroupIdList[\(index)]").id) }
            groups = ids
        }
        let statuses = try call.parameters.strings("StatusList")
        let known = CoreAgentStatus.allCases.map(tcccStatus)
        for (index, status) in (statuses ?? []).enumerated() where !known.contains(status) {
            throw .invalidValue("'StatusList[\(index)]' must be one of \(known.joined(separator: ", ")), not '\(status)'")
        }
        let agents = await call.server.routing.read { machine in
            machine.agents.keys.sorted().compactMap { machine.agents[$0] }
                .filter { staff == nil || staff!.contains($0.id.rawValue) }
                .filter { agent in groups == nil || groups!.contains { agent.profile.memberships[$0] != nil } }
                .filter { statuses == nil || statuses!.contains(tcccStatus($0.status)) }
        }
        // Today's durations come from the status history since midnight UTC.
        let now = Timestamp.now()
        let midnight = Timestamp(milliseconds: now.milliseconds - now.milliseconds % 86_400_000)
        var metrics: [JSONValue] = []
        for agent in agents {
            let history: [StatusRecord]
            do { history = try await call.server.store.statusHistory(of: agent.id, limit: 500) } catch { throw .storeFailed(error) }
            let durations = StatusDurations(history: history, current: agent.status, since: midnight, now: now)
            var item: [String: JSONValue] = [
                "Email": .string(agent.id.rawValue), "Status": .string(tcccStatus(agent.status)), "Reason": .string(agent.restReason ?? ""),
            ]
            item["ReserveRest"] = .bool(agent.pendingStatus == .rest)
            item["ReserveNotReady"] = .bool(agent.pendingStatus == .notReady)
            item["OnlineDuration"] = .integer(durations.online)
            let byStatus: [(String, CoreAgentStatus)] = [
                ("FreeDuration", .free), ("BusyDuration", .busy), ("NotReadyDuration", .notReady), ("RestDuration", .rest),
                ("AfterCallWorkDuration", .arrange),
            ]
            for (field, status) in byStatus { item[field] = .integer(durations.seconds(status)) }
            item["UseMobileAccept"] = .integer(0)
            item["UseMobileCallOut"] = .bool(false)
            let clients: [JSONValue] = agent.connections.isEmpty ? [] : [["ClientType": "Web", "IsConnected": true]]
            item["ClientInfo"] = .array(clients)
            if let last = history.first { item["LastStatusTimestamp"] = .integer(last.at.milliseconds / 1000) }
            // History is newest first: the last time online is the newest change whose predecessor was offline.
            for (index, change) in history.enumerated() where change.status != .offline {
                if index + 1 == history.count || history[index + 1].status == .offline {
                    item["LastOnlineTimestamp"] = .integer(change.at.milliseconds / 1000)
                    break
                }
            }
            if agent.held.count + agent.ringing.count > 0 {
                item["StatusExtra"] = ["Type": .string(agent.voiceLoad > 0 ? (agent.imLoad > 0 ? "all" : "tel") : "im"), "Direct": "in"]
            }
            metrics.append(.object(item))
        }
        return ["Metrics": .array(metrics)]
    }

    static func describeStaffStatusHistory(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StaffUserId", "StartTimestamp", "EndTimestamp", "Cursor", "PageSize"])
        let agent = try await call.requireAgent(try call.parameters.requiredString("StaffUserId"), field: "StaffUserId")
        let range = try CloudAPITimeRange(call.parameters, maximumDays: 7)
        let size = Int(try call.parameters.int("PageSize", in: 1...500, default: 100))
        // The cursor is the time (ms) of the last change of the previous page; pages go oldest first.
        var after: Int64?
        if let cursor = try call.parameters.string("Cursor"), !cursor.isEmpty {
            guard let value = Int64(cursor) else { throw .invalidValue("'Cursor' must be the Cursor of a previous answer, not '\(cursor)'") }
            after = value
        }
        let history: [StatusRecord]
        do { history = try await call.server.store.statusHistory(of: agent.id, limit: 500) } catch { throw .storeFailed(error) }
        let page = history.reversed()
            .filter { range.contains($0.at) && (after == nil || $0.at.milliseconds > after!) }
            .prefix(size)
        return ["Data": .array(page.map { record in
            [
                "Cursor": .string(String(record.at.milliseconds)), "Timestamp": .integer(record.at.milliseconds / 1000),
                "Status": .string(tcccStatus(record.status)), "Reason": .string(record.restReason ?? ""),
                "StaffEmail": .string(agent.id.rawValue), "SessionId": "",
            ]
        })]
    }
}

/// Seconds spent in each status between `since` and `now`, from an agent's status changes.
struct StatusDurations {
    private var totals: [CoreAgentStatus: Int64] = [:]

    init(history: [StatusRecord], current: CoreAgentStatus, since: Timestamp, now: Timestamp) {
        // Oldest first; the status before the first change today is that of the last change before it.
        let changes = history.sorted { $0.at < $1.at }
        var status = changes.last { $0.at <= since }?.status ?? (changes.first { $0.at > since } == nil ? current : .offline)
        var from = since
        for change in changes where change.at > since {
            totals[status, default: 0] += change.at.milliseconds - from.milliseconds
            (status, from) = (change.status, change.at)
        }
        totals[status, default: 0] += max(0, now.milliseconds - from.milliseconds)
    }

    func seconds(_ status: CoreAgentStatus) -> Int64 { (totals[status] ?? 0) / 1000 }

    /// Every status but offline.
    var online: Int64 { totals.filter { $0.key != .offline }.values.reduce(0, +) / 1000 }
}

/// `StartTimestamp` / `EndTimestamp` (Unix seconds, both required), at most `maximumDays` apart.
struct CloudAPITimeRange {
    var start: Int64
    var end: Int64

    /// The latest time a request may name (the year 2100): far past any real record, and small
    /// enough that milliseconds of it never overflow.
    static let latestSeconds: Int64 = 4_102_444_800

    init(_ parameters: CloudAPIParameters, maximumDays: Int64) throws(CloudAPIError) {
        start = try parameters.requiredInt("StartTimestamp")
        end = try parameters.requiredInt("EndTimestamp")
        try Self.check(start: start, end: end, names: ("StartTimestamp", "EndTimestamp"))
        guard end - start <= maximumDays * 86_400 else {
            throw .invalidValue("'EndTimestamp' - 'StartTimestamp' is \(end - start) s; at most \(maximumDays) days (\(maximumDays * 86_400) s) may be asked for")
        }
    }

    func contains(_ time: Timestamp) -> Bool { (start * 1000...end * 1000 + 999).contains(time.milliseconds) }

    /// Both in 0...latestSeconds and in order; the names are the action's spelling of the fields.
    static func check(start: Int64, end: Int64, names: (String, String)) throws(CloudAPIError) {
        for (name, value) in [(names.0, start), (names.1, end)] where !(0...latestSeconds).contains(value) {
            throw .invalidValue("'\(name)' is \(value); Unix seconds from 0 to \(latestSeconds) are accepted")
        }
        guard start <= end else { throw .invalidValue("'\(names.0)' (\(start)) must not be after '\(names.1)' (\(end))") }
    }
}
