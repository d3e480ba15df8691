import Hummingbird
import SwitchboardCore

/// Supervisor views of the moment: `/api/v1/queues` (who waits where, in order) and
/// `/api/v1/status-board` (agents grouped by status), each one consistent look at the core;
/// and the tenant-wide settings at `/api/v1/configuration`.
///
/// The status board is not under `/api/v1/agents/...` so that no agent id is ever shadowed by it.
extension AdminRoutes {
    static func registerLive(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/queues") { request, _ -> Page<QueueRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["skillGroupId"])
            let page = try query.page()
            let only = try query.string("skillGroupId").map(SkillGroupID.init)
            let found: Page<QueueRepresentation>? = await server.routing.read { machine in
                if let only, machine.skillGroups[only] == nil { return nil }
                let now = now(machine)
                let groups = machine.skillGroups.keys.sorted().filter { only == nil || $0 == only }
                return page.slice(groups.map { QueueRepresentation(machine.skillGroups[$0]!, machine: machine, now: now) })
            }
            guard let found else {
                throw APIError(.badRequest, code: "unknownSkillGroup", "query parameter 'skillGroupId': skill group \(only!) does not exist")
            }
            return found
        }

        api.get("/status-board") { request, _ -> StatusBoardRepresentation in
            let query = try QueryParameters(request, accepted: ["skillGroupId"])
            let only = try query.string("skillGroupId").map(SkillGroupID.init)
            let board: StatusBoardRepresentation? = await server.routing.read { machine in
                if let only, machine.skillGroups[only] == nil { return nil }
                let agents = machine.agents.keys.sorted().compactMap { machine.agents[$0] }
                    .filter { only == nil || $0.profile.memberships[only!] != nil }
                return StatusBoardRepresentation(agents)
            }
            guard let board else {
                throw APIError(.badRequest, code: "unknownSkillGroup", "query parameter 'skillGroupId': skill group \(only!) does not exist")
            }
            return board
        }

        api.get("/configuration") { request, _ -> ConfigurationRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return await server.routing.read { ConfigurationRepresentation($0.configuration) }
        }

        api.put("/configuration") { request, _ -> ConfigurationRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(ConfigurationBody.self, from: request)
            try await execute(.configure(try body.configuration()), on: server)
            return await server.routing.read { ConfigurationRepresentation($0.configuration) }
        }
    }
}

/// One skill group's queue: its waiting sessions first in line first.
struct QueueRepresentation: Encodable, Sendable {
    var skillGroupId: String
    var name: String
    var waiting: Int
    /// How long the longest-waiting session has waited; null when none waits.
    @Nullable var oldestWaitSeconds: Int?
    var sessions: [QueuedSessionRepresentation]

    init(_ group: SkillGroup, machine: RoutingStateMachine, now: Timestamp) {
        skillGroupId = group.id.rawValue
        name = group.name
        sessions = machine.queue(of: group.id).enumerated().compactMap { index, id in
            machine.sessions[id].map { QueuedSessionRepresentation($0, position: index + 1, now: now) }
        }
        waiting = sessions.count
        oldestWaitSeconds = sessions.map(\.waitedSeconds).max()
    }
}

/// A waiting session as a queue view lists it. `waitedSeconds` counts from when the customer
/// started, not from the last queue it entered: that is the wait the customer feels.
struct QueuedSessionRepresentation: Encodable, Sendable {
    var sessionId: String
    var position: Int
    var type: String
    var priority: Int
    @Nullable var nickname: String?
    var createdAt: Int64
    var waitedSeconds: Int

    init(_ session: Session, position: Int, now: Timestamp) {
        sessionId = session.id.rawValue
        self.position = position
        type = session.type.rawValue
        priority = session.priority
        nickname = session.customer.nickname
        createdAt = session.createdAt.milliseconds
        waitedSeconds = now.seconds(since: session.createdAt)
    }
}

/// Agents grouped by status, every status listed (with count 0 when nobody has it).
struct StatusBoardRepresentation: ResponseEncodable, Sendable {
    var total: Int
    /// Agents with at least one SDK connection open.
    var connected: Int
    var statuses: [StatusGroupRepresentation]

    init(_ agents: [AgentState]) {
        total = agents.count
        connected = agents.filter { !$0.connections.isEmpty }.count
        statuses = AgentStatus.allCases.map { status in
            let members = agents.filter { $0.status == status }.map(AgentRepresentation.init)
            return StatusGroupRepresentation(status: status.rawValue, count: members.count, agents: members)
        }
    }
}

/// The agents in one status.
struct StatusGroupRepresentation: Encodable, Sendable {
    var status: String
    var count: Int
    var agents: [AgentRepresentation]
}

/// The body of `PUT /api/v1/configuration`: a full replace, left-out settings take their defaults.
struct ConfigurationBody: JSONRequestBody {
    var statusAfterOnline: String?
    var defaultImCapacity: Int?
    var allowVoiceWithIm: Bool?
    var reconnectGraceSeconds: Int?
    var imHoldSeconds: Int?
    var onlineAtLogin: Bool?

    static let fields = ["statusAfterOnline", "defaultImCapacity", "allowVoiceWithIm", "reconnectGraceSeconds", "imHoldSeconds", "onlineAtLogin"]

    func configuration() throws(APIError) -> RoutingConfiguration {
        let defaults = RoutingConfiguration()
        return RoutingConfiguration(
            statusAfterOnline: try statusAfterOnline.map { text throws(APIError) in
                try RequestInput.enumValue(AgentStatus.self, text, field: "statusAfterOnline", allowed: [.free, .notReady])
            } ?? defaults.statusAfterOnline,
            defaultImCapacity: defaultImCapacity ?? defaults.defaultImCapacity,
            allowVoiceWithIm: allowVoiceWithIm ?? defaults.allowVoiceWithIm,
            reconnectGraceSeconds: reconnectGraceSeconds ?? defaults.reconnectGraceSeconds,
            imHoldSeconds: imHoldSeconds ?? defaults.imHoldSeconds,
            onlineAtLogin: onlineAtLogin ?? defaults.onlineAtLogin)
    }
}
