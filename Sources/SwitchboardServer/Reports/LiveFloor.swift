import SwitchboardCore
import SwitchboardStore

/// The floor now, as the supervisor's live panel shows it (docs/reports.md, "Real time"): per
/// skill group and overall, from the committed routing state, plus today's figures from the
/// report aggregates. Waits and status times are sent as the moment they started, so the page
/// counts them up itself and a push is only needed when something changed.
struct LiveFloor: Encodable, Equatable, Sendable {
    var timeZone: String
    var todayFrom: Int64
    var overall: Group
    var skillGroups: [Group]
    var agents: [Agent]

    struct Group: Encodable, Equatable, Sendable {
        var id: String?
        var name: String
        var waiting: Int
        /// When the longest-waiting session started (milliseconds since 1970); null when none waits.
        @Nullable var oldestWaitingSince: Int64?
        var agentsByStatus: [String: Int]
        var inProgressByType: [String: Int]
        var today: Today
    }

    /// So far today (since midnight in the tenant's zone).
    struct Today: Encodable, Equatable, Sendable {
        var offered: Int64 = 0
        var accepted: Int64 = 0
        var abandoned: Int64 = 0
        var shortAbandons: Int64 = 0
        var serviceLevelSeconds: Int = 20
        var shortAbandonSeconds: Int = 5
        @Nullable var serviceLevel: Double?
        @Nullable var abandonmentRate: Double?
        @Nullable var averageWaitSeconds: Double?

        init(_ counts: ReportCounts, serviceLevelSeconds: Int, shortAbandonSeconds: Int) {
            let metrics = ReportMetrics(counts, serviceLevelSeconds: serviceLevelSeconds, shortAbandonSeconds: shortAbandonSeconds, status: nil, restReasons: nil)
            self.serviceLevelSeconds = serviceLevelSeconds
            self.shortAbandonSeconds = shortAbandonSeconds
            offered = metrics.offered
            accepted = metrics.accepted
            abandoned = metrics.abandonedInQueue + metrics.abandonedWhileRinging
            shortAbandons = metrics.shortAbandons
            serviceLevel = metrics.serviceLevel
            abandonmentRate = metrics.abandonmentRate
            averageWaitSeconds = metrics.averageWaitSeconds
        }
    }

    struct Agent: Encodable, Equatable, Sendable {
        var id: String
        var name: String
        var status: String
        @Nullable var restReason: String?
        /// When the agent entered its status; null if the store has not seen it change yet.
        @Nullable var since: Int64?
        var sessions: Int
        var sessionsByType: [String: Int]
        var skillGroupIds: [String]
    }

    /// Builds the floor from one committed state, the agents' status clocks and today's counters,
    /// with today's service level and short abandons as `thresholds` set them.
    init(machine: RoutingStateMachine, statusSince: [String: Int64], today: [String: ReportCounts], todayOverall: ReportCounts,
         timeZone: String, todayFrom: Int64, thresholds: ReportThresholds = ReportThresholds()) {
        self.timeZone = timeZone
        self.todayFrom = todayFrom
        var waitingSince: [SkillGroupID: [Int64]] = [:]
        var inProgress: [SkillGroupID: [String: Int]] = [:]
        for session in machine.sessions.values {
            switch session.state {
            case .queued:
                waitingSince[session.skillGroupId, default: []].append(session.createdAt.milliseconds)
            default:
                inProgress[session.skillGroupId, default: [:]][session.type.rawValue, default: 0] += 1
            }
        }
        let groups = machine.skillGroups.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        skillGroups = groups.map { group in
            var statuses: [String: Int] = [:]
            for agent in machine.agents.values where agent.profile.memberships[group.id] != nil {
                statuses[agent.status.rawValue, default: 0] += 1
            }
            let waits = waitingSince[group.id] ?? []
            let level = thresholds.serviceLevel(forGroup: group.id.rawValue)
            let todayTotals = Today(
                today[group.id.rawValue] ?? ReportCounts(), serviceLevelSeconds: level, shortAbandonSeconds: thresholds.shortAbandonSeconds)
            return Group(
                id: group.id.rawValue, name: group.name, waiting: machine.waitingCount(of: group.id), oldestWaitingSince: waits.min(),
                agentsByStatus: statuses, inProgressByType: inProgress[group.id] ?? [:],
                today: todayTotals)
        }
        var statuses: [String: Int] = [:]
        for agent in machine.agents.values { statuses[agent.status.rawValue, default: 0] += 1 }
        overall = Group(
            id: nil, name: "All skill groups", waiting: skillGroups.reduce(0) { $0 + $1.waiting },
            oldestWaitingSince: waitingSince.values.flatMap { $0 }.min(), agentsByStatus: statuses,
            inProgressByType: inProgress.values.reduce(into: [:]) { total, types in total.merge(types, uniquingKeysWith: +) },
            today: Today(todayOverall, serviceLevelSeconds: thresholds.serviceLevelSeconds, shortAbandonSeconds: thresholds.shortAbandonSeconds))
        agents = machine.agents.values.sorted { ($0.profile.name, $0.id) < ($1.profile.name, $1.id) }.map { agent in
            var byType: [String: Int] = [:]
            for id in agent.held { if let type = machine.sessions[id]?.type { byType[type.rawValue, default: 0] += 1 } }
            return Agent(
                id: agent.id.rawValue, name: agent.profile.name, status: agent.status.rawValue, restReason: agent.restReason,
                since: statusSince[agent.id.rawValue], sessions: agent.held.count, sessionsByType: byType,
                skillGroupIds: agent.profile.memberships.keys.map(\.rawValue).sorted())
        }
    }
}
