import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/api/v1/skill-groups`: create, list, read, replace and delete skill groups.
extension AdminRoutes {
    static func registerSkillGroups(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/skill-groups") { request, _ -> Page<SkillGroupRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            return await server.routing.read { machine in
                page.slice(machine.skillGroups.keys.sorted().map { SkillGroupRepresentation(machine.skillGroups[$0]!, machine: machine) })
            }
        }

        api.post("/skill-groups") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(SkillGroupBody.self, from: request)
            guard let rawId = body.id else { throw APIError(.badRequest, code: "invalidBody", "field 'id' is required") }
            try RequestInput.checkNewId(rawId, field: "id")
            let group = try body.group(id: SkillGroupID(rawId))
            try await checkOverflow(group, server: server)
            try await create(.createSkillGroup(group), on: server, refusedAs: .skillGroupExists, "skill group \(group.id) already exists; change it with PUT /api/v1/skill-groups/\(group.id)")
            return try created(try await representation(of: group.id, server: server), at: "/api/v1/skill-groups/\(group.id)",
                               request: request, context: context)
        }

        api.get("/skill-groups/{id}") { request, context -> SkillGroupRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return try await representation(of: SkillGroupID(RequestInput.pathId("id", context)), server: server)
        }

        api.put("/skill-groups/{id}") { request, context -> SkillGroupRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = SkillGroupID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(SkillGroupBody.self, from: request)
            if let bodyId = body.id, bodyId != id.rawValue {
                throw APIError.invalid("field 'id' is '\(bodyId)' but the path names skill group \(id); ids cannot be changed")
            }
            _ = try await representation(of: id, server: server)
            let group = try body.group(id: id)
            try await checkOverflow(group, server: server)
            try await execute(.upsertSkillGroup(group), on: server)
            return try await representation(of: id, server: server)
        }

        api.delete("/skill-groups/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = SkillGroupID(try RequestInput.pathId("id", context))
            _ = try await representation(of: id, server: server)
            try await execute(.removeSkillGroup(id), on: server)
            // Its shared canned replies go with it (a group created later under the id starts with none).
            try? await server.store.deleteCannedReplies(of: .skillGroup(id))
            return noContent
        }
    }

    /// The group as the API shows it, or 404.
    static func representation(of id: SkillGroupID, server: ServerComponents) async throws(APIError) -> SkillGroupRepresentation {
        let found = await server.routing.read { machine in
            machine.skillGroups[id].map { SkillGroupRepresentation($0, machine: machine) }
        }
        guard let found else { throw APIError.notFound("unknownSkillGroup", "skill group \(id) does not exist") }
        return found
    }

    /// An overflow target must exist. Checked here so the answer names the field and is a 400:
    /// the group in the path exists, it is the body that names one that does not.
    private static func checkOverflow(_ group: SkillGroup, server: ServerComponents) async throws(APIError) {
        // Overflowing to itself is the core's to refuse, with its own words.
        guard let overflow = group.overflowGroupId, overflow != group.id else { return }
        if await server.routing.read({ $0.skillGroups[overflow] == nil }) {
            throw APIError(.badRequest, code: "unknownSkillGroup", "field 'overflowGroupId': skill group \(overflow) does not exist")
        }
    }
}

/// The body of `POST` and `PUT /api/v1/skill-groups`. Every setting is optional and takes
/// `SkillGroup`'s default when left out, on PUT too: PUT replaces the whole group, so what was
/// sent is exactly what is set.
struct SkillGroupBody: JSONRequestBody {
    var id: String?
    var name: String?
    var strategy: String?
    var offerTimeoutSeconds: Int?
    var queueTimeoutSeconds: Int?
    var overflowGroupId: String?
    var wrapUpSeconds: Int?
    var missedOfferStatus: String?
    var imInactivityTimeoutSeconds: Int?
    var maxQueueLength: Int?
    var ringAll: Bool?
    var usingLastSeat: Bool?
    var maxConcurrency: Int?
    var timeoutTransfer: Bool?
    var maxSessionSeconds: Int?
    var endWhenNoSeatOnline: Bool?
    /// Null or left out: no working hours (always open).
    var workingHours: WorkingHoursBody?
    /// What agents pick from when they wrap up a session; left out: none.
    var dispositionCodes: [String]?
    var recordCalls: Bool?

    static let fields = [
        "id", "name", "strategy", "offerTimeoutSeconds", "queueTimeoutSeconds", "overflowGroupId", "wrapUpSeconds",
        "missedOfferStatus", "imInactivityTimeoutSeconds", "maxQueueLength", "ringAll", "usingLastSeat", "maxConcurrency",
        "timeoutTransfer", "maxSessionSeconds", "endWhenNoSeatOnline", "workingHours", "dispositionCodes",
        "recordCalls",
    ]
    static var nestedFields: [String: [String]] { ["workingHours": WorkingHoursBody.fields] }

    /// The group these settings describe; the core checks ranges and overflow loops.
    func group(id: SkillGroupID) throws(APIError) -> SkillGroup {
        try RequestInput.checkName(name)
        let defaults = SkillGroup(id: id)
        return SkillGroup(
            id: id, name: name,
            strategy: try strategy.map { text throws(APIError) in try RequestInput.enumValue(RoutingStrategy.self, text, field: "strategy") }
                ?? defaults.strategy,
            offerTimeoutSeconds: offerTimeoutSeconds ?? defaults.offerTimeoutSeconds,
            queueTimeoutSeconds: queueTimeoutSeconds ?? defaults.queueTimeoutSeconds,
            overflowGroupId: overflowGroupId.flatMap { $0.isEmpty ? nil : SkillGroupID($0) },
            wrapUpSeconds: wrapUpSeconds ?? defaults.wrapUpSeconds,
            missedOfferStatus: try missedOfferStatus.map { text throws(APIError) in
                try RequestInput.enumValue(AgentStatus.self, text, field: "missedOfferStatus", allowed: [.notReady, .rest, .free])
            } ?? defaults.missedOfferStatus,
            imInactivityTimeoutSeconds: imInactivityTimeoutSeconds ?? defaults.imInactivityTimeoutSeconds,
            maxQueueLength: maxQueueLength ?? defaults.maxQueueLength,
            ringAll: ringAll ?? defaults.ringAll,
            usingLastSeat: usingLastSeat ?? defaults.usingLastSeat,
            maxConcurrency: maxConcurrency ?? defaults.maxConcurrency,
            timeoutTransfer: timeoutTransfer ?? defaults.timeoutTransfer,
            maxSessionSeconds: maxSessionSeconds ?? defaults.maxSessionSeconds,
            endWhenNoSeatOnline: endWhenNoSeatOnline ?? defaults.endWhenNoSeatOnline,
            workingHours: try workingHours?.hours(),
            dispositionCodes: dispositionCodes ?? defaults.dispositionCodes,
            recordCalls: recordCalls ?? defaults.recordCalls)
    }
}

/// `workingHours` as the API takes it: `{timeZone, weekly: {monday: ["09:00-12:30", ...], ...}}`.
/// A day left out (or with no ranges) is closed; the core checks the zone and overlaps.
struct WorkingHoursBody: Decodable {
    var timeZone: String
    var weekly: [String: [String]]

    static let fields = ["timeZone", "weekly"]

    func hours() throws(APIError) -> WorkingHours {
        var days: [WorkingHours.Weekday: [WorkingHours.DailyRange]] = [:]
        for (day, ranges) in weekly.sorted(by: { $0.key < $1.key }) {
            guard let weekday = WorkingHours.Weekday(rawValue: day) else {
                let names = WorkingHours.Weekday.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError(.badRequest, code: "unknownField", "field 'workingHours.weekly.\(day)' is not a day; the days are \(names)")
            }
            var parsed: [WorkingHours.DailyRange] = []
            for (index, text) in ranges.enumerated() {
                do throws(RoutingError) { parsed.append(try WorkingHours.DailyRange(parsing: text)) } catch {
                    throw APIError.invalid("field 'workingHours.weekly.\(day)[\(index)]': \(error.message)")
                }
            }
            days[weekday] = parsed
        }
        return WorkingHours(timeZone: timeZone, weekly: days)
    }
}
