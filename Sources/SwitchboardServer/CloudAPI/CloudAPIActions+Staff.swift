import SwitchboardCore
import SwitchboardProtocol

/// Staff (TCCC's seats, Switchboard's agents): `CreateStaff`, `ModifyStaff`, `DeleteStaff`,
/// `DescribeStaffInfoList`. A staff's `Mail` is the agent's id, as TCCC's `SeatUserId` is.
extension CloudAPIActions {
    /// TCCC's role of an ordinary seat; Switchboard's admins and supervisors are supervisor
    /// accounts, not agents, so every agent has this role.
    static let seatRole: Int64 = 3

    static func createStaff(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["Staffs", "SendPassword"])
        if try call.parameters.bool("SendPassword") == true {
            throw .invalidValue("'SendPassword': Switchboard sends no e-mail; leave it out or set it false, and give agents a password with PUT /api/v1/agents/{id}/password or a login with CreateSDKLoginToken")
        }
        guard let staffs = try call.parameters.objects("Staffs") else { throw .missing("Staffs") }
        guard (1...10).contains(staffs.count) else { throw .invalidValue("'Staffs' must hold 1 to 10 staff, not \(staffs.count)") }
        // Every staff is checked before any is created: a bad one changes nothing.
        var profiles: [AgentProfile] = []
        let groupsByName = await call.server.routing.read { machine in
            Dictionary(grouping: machine.skillGroups.values, by: \.name).mapValues { $0.map(\.id) }
        }
        for staff in staffs {
            try staff.accept(["Name", "Mail", "StaffNumber", "Phone", "Nick", "UserId", "SkillGroupNameList", "Role", "ExtensionNumber"])
            let mail = try staff.requiredString("Mail")
            try await call.shared { () throws(APIError) in try RequestInput.checkNewId(mail, field: staff.name("Mail")) }
            if profiles.contains(where: { $0.id.rawValue == mail }) { throw .invalidValue("'\(staff.name("Mail"))': staff \(mail) is listed twice") }
            if await call.server.routing.read({ $0.agents[AgentID(mail)] != nil }) {
                throw CloudAPIError("FailedOperation.DuplicatedAccount", "'\(staff.name("Mail"))': staff \(mail) already exists; change it with ModifyStaff")
            }
            let name = try staff.requiredString("Name")
            try await call.shared { () throws(APIError) in try RequestInput.checkName(name, field: staff.name("Name")) }
            if let userId = try staff.string("UserId"), userId != mail {
                throw .invalidValue("'\(staff.name("UserId"))': a Switchboard agent has one id, its Mail; leave UserId out or make it '\(mail)'")
            }
            if let role = try staff.int("Role"), role != seatRole {
                throw .invalidValue("'\(staff.name("Role"))' must be 3 (seat): administrators and supervisors are supervisor accounts in Switchboard (PUT /api/v1/supervisors/{id})")
            }
            for field in ["StaffNumber", "Phone", "Nick", "ExtensionNumber"] {
                try staff.refuseUnsupported(field, why: "agents have an id and a name only")
            }
            var memberships: [SkillGroupID: Membership] = [:]
            for (index, groupName) in (try staff.strings("SkillGroupNameList") ?? []).enumerated() {
                let field = staff.name("SkillGroupNameList") + "[\(index)]"
                guard let ids = groupsByName[groupName] else { throw .invalidValue("'\(field)': there is no skill group named '\(groupName)'") }
                guard ids.count == 1 else { throw .invalidValue("'\(field)': \(ids.count) skill groups are named '\(groupName)'; bind by id with BindStaffSkillGroupList") }
                memberships[ids[0]] = Membership()
            }
            profiles.append(AgentProfile(id: AgentID(mail), name: name, memberships: memberships))
        }
        // Created one by one; one that another request created meanwhile is reported, as TCCC does.
        var errors: [JSONValue] = []
        for profile in profiles {
            do throws(CloudAPIError) {
                try await call.execute(.createAgent(profile))
                call.server.authenticator.forgetLoginFailures(of: profile.id)
            } catch {
                errors.append(["StaffEmail": .string(profile.id.rawValue), "Code": .string(error.code), "Message": .string(error.message)])
            }
        }
        return ["ErrorStaffList": .array(errors)]
    }

    static func modifyStaff(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: [
            "Email", "Name", "Phone", "Nick", "StaffNo", "SkillGroupIds", "UseMobileCallOut", "UseMobileAccept", "ExtensionNumber", "ForwardingConfig",
        ])
        let email = try call.parameters.requiredString("Email")
        var profile = try await call.requireAgent(email, field: "Email").profile
        for field in ["Phone", "Nick", "StaffNo", "ExtensionNumber", "ForwardingConfig"] {
            try call.parameters.refuseUnsupported(field, why: "agents have an id, a name and skill groups only")
        }
        try call.parameters.refuseUnsupported("UseMobileCallOut", unless: { $0 == .bool(false) }, why: "agents answer in the browser or app only")
        try call.parameters.refuseUnsupported("UseMobileAccept", unless: { $0 == .integer(0) }, why: "agents answer in the browser or app only")
        if let name = try call.parameters.string("Name") {
            try await call.shared { () throws(APIError) in try RequestInput.checkName(name, field: "Name") }
            profile.name = name
        }
        if let numbers = try call.parameters.ints("SkillGroupIds") {
            // The list replaces the memberships; a group kept keeps its level.
            var memberships: [SkillGroupID: Membership] = [:]
            for (index, number) in numbers.enumerated() {
                let group = try await call.requireSkillGroup(number, field: "SkillGroupIds[\(index)]")
                memberships[group.id] = profile.memberships[group.id] ?? Membership()
            }
            profile.memberships = memberships
        }
        try await call.execute(.upsertAgent(profile))
        return [:]
    }

    static func deleteStaff(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["StaffList"])
        guard let list = try call.parameters.strings("StaffList") else { throw .missing("StaffList") }
        guard (1...200).contains(list.count) else { throw .invalidValue("'StaffList' must hold 1 to 200 staff, not \(list.count)") }
        for (index, id) in list.enumerated() { _ = try await call.requireAgent(id, field: "StaffList[\(index)]") }
        // TCCC deletes the offline staff and lists the online ones it left, as the admin API
        // refuses to delete an agent that is not offline. Each deletion is its own change: one
        // that fails does not stop the others, and the answer says exactly which went.
        var online: [JSONValue] = []
        var deleted: [String] = []
        var failed: [(id: String, error: APIError)] = []
        for id in Set(list).sorted() {
            do {
                try await AdminRoutes.deleteAgent(AgentID(id), server: call.server)
                deleted.append(id)
            } catch let error where error.code == "inUse" {
                online.append(.string(id))
            } catch {
                failed.append((id, error))
            }
        }
        // Nothing deleted and something failed: the whole call failed, and changed nothing.
        if deleted.isEmpty, let first = failed.first { throw CloudAPIError(first.error) }
        var info = "\(deleted.count) deleted"
        if !online.isEmpty { info += ", \(online.count) left because they are online (they must go offline first)" }
        for failure in failed { info += "; \(failure.id) not deleted: \(failure.error.message)" }
        return ["OnlineStaffList": .array(online), "DeleteStatusInfo": .string(info)]
    }

    static func describeStaffInfoList(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["PageSize", "PageNumber", "StaffMail", "ModifiedTime", "SkillGroupId"])
        let size = try call.parameters.int("PageSize", in: 1...9999, default: 100)
        let page = try call.parameters.int("PageNumber", in: 0...Int64(Int32.max), default: 0)
        try call.parameters.refuseUnsupported("ModifiedTime", why: "Switchboard does not keep when an agent was last modified")
        let mail = try call.parameters.string("StaffMail")
        let group = try call.parameters.int("SkillGroupId")
        if let group { _ = try await call.requireSkillGroup(group, field: "SkillGroupId") }
        let (total, staff): (Int, [JSONValue]) = await call.server.routing.read { machine in
            let agents = machine.agents.keys.sorted().compactMap { machine.agents[$0] }
                .filter { mail == nil || $0.id.rawValue == mail }
                .filter { group == nil || $0.profile.memberships[CloudAPISkillGroupNumber.id(group!)] != nil }
            let start = min(agents.count, Int(page * size))
            return (agents.count, agents[start..<min(agents.count, start + Int(size))].map { staffInfo($0.profile, machine: machine) })
        }
        return ["TotalCount": .integer(Int64(total)), "StaffList": .array(staff)]
    }

    /// TCCC's `StaffInfo`; groups without a TCCC number are left out of `SkillGroupList`.
    static func staffInfo(_ profile: AgentProfile, machine: RoutingStateMachine) -> JSONValue {
        let groups: [JSONValue] = profile.memberships.keys.sorted().compactMap { id in
            guard let number = CloudAPISkillGroupNumber.number(id), let group = machine.skillGroups[id] else { return nil }
            return ["SkillGroupId": .integer(number), "SkillGroupName": .string(group.name),
                    "Priority": .integer(Int64(profile.memberships[id]!.skillLevel))]
        }
        return [
            "Mail": .string(profile.id.rawValue), "Name": .string(profile.name), "RoleId": .integer(seatRole),
            "RoleList": [.integer(seatRole)], "SkillGroupList": .array(groups),
        ]
    }
}
