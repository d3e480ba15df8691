import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Skill groups and memberships: `CreateCCCSkillGroup`, `UpdateCCCSkillGroup`,
/// `DeleteCCCSkillGroup`, `DescribeSkillGroupInfoList`, `BindStaffSkillGroupList`,
/// `UnbindStaffSkillGroupList`.
extension CloudAPIActions {
    /// TCCC's `SkillGroupType`: 0 phone, 1 online (im), 3 audio, 4 video. Switchboard's groups
    /// serve every channel, so the type is checked (and bounds `MaxConcurrency` as TCCC's does)
    /// but not kept.
    static let skillGroupTypes: Set<Int64> = [0, 1, 3, 4]

    static func createSkillGroup(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SkillGroupName", "SkillGroupType", "MaxConcurrency"])
        let name = try call.parameters.requiredString("SkillGroupName")
        try await call.shared { () throws(APIError) in try RequestInput.checkName(name, field: "SkillGroupName") }
        let type = try call.parameters.requiredInt("SkillGroupType")
        guard skillGroupTypes.contains(type) else {
            throw .invalidValue("'SkillGroupType' must be 0 (phone), 1 (online), 3 (audio) or 4 (video), not \(type)")
        }
        let concurrency = try call.parameters.int("MaxConcurrency", in: 1...Int64(SkillGroup.maximumConcurrencyLimit), default: 1)
        if type != 1, concurrency != 1 { throw .invalidValue("'MaxConcurrency' must be 1 for a phone, audio or video group (SkillGroupType \(type)), not \(concurrency)") }
        if await call.server.routing.read({ machine in machine.skillGroups.values.contains { $0.name == name } }) {
            throw CloudAPIError("InvalidParameterValue.SkillGroupExist", "'SkillGroupName': a skill group named '\(name)' already exists")
        }
        // The next number above every numbered group. Creation is checked and done in one step
        // by the core, so of two requests drawing one number the second is refused and draws again.
        for _ in 0..<5 {
            let number = await call.server.routing.read { machine in
                (machine.skillGroups.keys.compactMap(CloudAPISkillGroupNumber.number).max() ?? 0) + 1
            }
            var group = SkillGroup(id: CloudAPISkillGroupNumber.id(number), name: name)
            group.maxConcurrency = Int(concurrency)
            do throws(CloudAPIError) {
                try await call.execute(.createSkillGroup(group))
                return ["SkillGroupId": .integer(number)]
            } catch where error.code == "InvalidParameterValue.SkillGroupExist" {
                continue
            }
        }
        throw CloudAPIError("FailedOperation", "skill groups are being created too fast to number; try again")
    }

    static func updateSkillGroup(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SkillGroupID", "SkillGroupName", "MaxConcurrency", "RingAll"])
        var group = try await call.requireSkillGroup(try call.parameters.requiredInt("SkillGroupID"), field: "SkillGroupID")
        if let name = try call.parameters.string("SkillGroupName") {
            try await call.shared { () throws(APIError) in try RequestInput.checkName(name, field: "SkillGroupName") }
            group.name = name
        }
        if let concurrency = try call.parameters.int("MaxConcurrency") {
            guard (1...Int64(SkillGroup.maximumConcurrencyLimit)).contains(concurrency) else {
                throw .invalidValue("'MaxConcurrency' must be 1 to \(SkillGroup.maximumConcurrencyLimit), not \(concurrency)")
            }
            group.maxConcurrency = Int(concurrency)
        }
        if let ringAll = try call.parameters.bool("RingAll") { group.ringAll = ringAll }
        try await call.execute(.upsertSkillGroup(group))
        return [:]
    }

    static func deleteSkillGroup(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SkillGroupId"])
        let group = try await call.requireSkillGroup(try call.parameters.requiredInt("SkillGroupId"), field: "SkillGroupId")
        try await call.execute(.removeSkillGroup(group.id))
        try? await call.server.store.deleteCannedReplies(of: .skillGroup(group.id))
        return [:]
    }

    static func describeSkillGroupInfoList(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["PageSize", "PageNumber", "SkillGroupId", "ModifiedTime", "SkillGroupName"])
        let size = try call.parameters.int("PageSize", in: 1...100, default: 100)
        let page = try call.parameters.int("PageNumber", in: 0...Int64(Int32.max), default: 0)
        try call.parameters.refuseUnsupported("ModifiedTime", why: "Switchboard does not keep when a skill group was last modified")
        let only = try call.parameters.int("SkillGroupId")
        let name = try call.parameters.string("SkillGroupName")
        let (total, items): (Int, [JSONValue]) = await call.server.routing.read { machine in
            let groups = machine.skillGroups.values
                .compactMap { group in CloudAPISkillGroupNumber.number(group.id).map { (number: $0, group: group) } }
                .filter { only == nil || $0.number == only }
                .filter { name == nil || $0.group.name == name }
                .sorted { $0.number < $1.number }
            let start = min(groups.count, Int(page * size))
            return (groups.count, groups[start..<min(groups.count, start + Int(size))].map { skillGroupInfo($0.group, number: $0.number) })
        }
        return ["TotalCount": .integer(Int64(total)), "SkillGroupList": .array(items)]
    }

    /// TCCC's `SkillGroupInfoItem`. `RoutePolicy` carries Switchboard's strategy name.
    static func skillGroupInfo(_ group: SkillGroup, number: Int64) -> JSONValue {
        [
            "SkillGroupId": .integer(number), "SkillGroupName": .string(group.name), "RoutePolicy": .string(group.strategy.rawValue),
            "UsingLastSeat": .integer(group.usingLastSeat ? 1 : 0), "MaxConcurrency": .integer(Int64(group.maxConcurrency)),
            "RingAll": .bool(group.ringAll),
        ]
    }

    static func bindStaffSkillGroupList(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StaffEmail", "StaffSkillGroupList", "SkillGroupList"])
        var profile = try await call.requireAgent(try call.parameters.requiredString("StaffEmail"), field: "StaffEmail").profile
        var bindings: [(SkillGroupID, Int)] = []
        for item in try call.parameters.objects("StaffSkillGroupList") ?? [] {
            try item.accept(["SkillGroupId", "Priority"])
            let group = try await call.requireSkillGroup(try item.requiredInt("SkillGroupId"), field: item.name("SkillGroupId"))
            let level = try item.int("Priority", in: 1...5, default: Int64(Membership().skillLevel))
            bindings.append((group.id, Int(level)))
        }
        for (index, number) in (try call.parameters.ints("SkillGroupList") ?? []).enumerated() {
            let group = try await call.requireSkillGroup(number, field: "SkillGroupList[\(index)]")
            bindings.append((group.id, Membership().skillLevel))
        }
        guard !bindings.isEmpty else { throw .missing("StaffSkillGroupList") }
        for (group, level) in bindings { profile.memberships[group] = Membership(skillLevel: level) }
        try await call.execute(.upsertAgent(profile))
        return [:]
    }

    static func unbindStaffSkillGroupList(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StaffEmail", "SkillGroupList"])
        let email = try call.parameters.requiredString("StaffEmail")
        var profile = try await call.requireAgent(email, field: "StaffEmail").profile
        guard let numbers = try call.parameters.ints("SkillGroupList"), !numbers.isEmpty else { throw .missing("SkillGroupList") }
        for (index, number) in numbers.enumerated() {
            let group = try await call.requireSkillGroup(number, field: "SkillGroupList[\(index)]")
            guard profile.memberships.removeValue(forKey: group.id) != nil else {
                throw .invalidValue("'SkillGroupList[\(index)]': staff \(email) is not in skill group \(number)")
            }
        }
        try await call.execute(.upsertAgent(profile))
        return [:]
    }
}
