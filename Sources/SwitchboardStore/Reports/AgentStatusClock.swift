import SwitchboardCore

/// The status an agent is in and since when, kept in `report_agent_clocks`: the next change
/// closes the period and counts it as time in that status (and, for automatic wrap-up after a
/// session, as that session's wrap-up).
public struct AgentStatusClock: Equatable, Sendable {
    /// The agent.
    public var agent: String
    /// Its status since `since`.
    public var status: String
    /// The rest reason, for `rest`.
    public var restReason: String?
    /// When the status began (milliseconds since 1970).
    public var since: Int64
    /// Whether this is the automatic wrap-up after a session, and that session's group and type.
    var wrapUp = false
    var wrapGroup: String?
    var wrapType: String?

    /// Applies a status change at `at` (journal entry `sequence`) to the agent's clock, adding the
    /// closed period to `tally`. Returns the new clock.
    static func apply(agent: String, _ status: AgentStatus, restReason: String?, cause: StatusChangeCause, at: Int64, sequence: Int64, to clock: AgentStatusClock?,
                      tally: inout ReportTally) -> AgentStatusClock {
        if let clock, clock.status != AgentStatus.offline.rawValue, at > clock.since {
            tally.addStatusTime(agent: agent, status: clock.status, restReason: clock.restReason, from: clock.since, to: at)
            if clock.wrapUp {
                let wrapUp = at - clock.since
                tally.add(at: at, group: clock.wrapGroup, type: clock.wrapType, agent: agent) {
                    $0[.wrapUpMilliseconds] += wrapUp
                    $0[.wrapUps] += 1
                }
            }
        }
        var next = AgentStatusClock(agent: agent, status: status.rawValue, restReason: restReason, since: at)
        if status == .arrange, cause == .sessionEnded {
            next.wrapUp = true
            if let released = tally.releases[ReportTally.Release(agent: agent, sequence: sequence)] {
                next.wrapGroup = released.group
                next.wrapType = released.type
            }
        }
        return next
    }
}
