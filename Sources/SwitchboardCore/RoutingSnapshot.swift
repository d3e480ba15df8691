/// The routing core's whole state as a value: what the store saves, and what a restarted server
/// loads before replaying the commands journaled after it. Indexes, queues and timers are not in
/// it; they are derived again on load.
public struct RoutingSnapshot: Codable, Equatable, Sendable {
    /// Tenant-wide settings.
    public var configuration: RoutingConfiguration
    /// The core's clock.
    public var clock: Timestamp
    /// Skill groups, by id.
    public var skillGroups: [SkillGroup]
    /// Agents, by id.
    public var agents: [AgentState]
    /// Live sessions, in arrival order.
    public var sessions: [Session]
    /// Per group, each agent's last offer sequence number (round robin).
    public var lastOffers: [SkillGroupID: [AgentID: UInt64]]
    var counters: RoutingStateMachine.Counters
    /// The telephone numbers, by number; nil in snapshots taken before numbers existed.
    public var phoneNumbers: [PhoneNumberBinding]? = nil
    /// The routing rules this snapshot was taken under (`RoutingStateMachine.rulesVersion`); nil
    /// in snapshots taken before versions were recorded (version 1).
    public var rulesVersion: Int? = nil
    /// Who last served each customer; nil when nobody is remembered (and in snapshots taken
    /// before it was kept).
    public var lastSeats: LastSeats? = nil
    /// The IVR flows, by id; nil when there are none (and in snapshots taken before flows existed).
    public var ivrFlows: [IVRFlow]? = nil

    /// Whether sessions in it carry their own inactivity deadline (rules version 2 on).
    var keepsInactivityDeadlines: Bool { (rulesVersion ?? 1) >= 2 }
}

extension RoutingStateMachine {
    /// The state as a value.
    public var snapshot: RoutingSnapshot {
        RoutingSnapshot(
            configuration: configuration, clock: clock,
            skillGroups: skillGroups.values.sorted { $0.id < $1.id },
            agents: agents.values.sorted { $0.id < $1.id },
            sessions: sessions.values.sorted { $0.arrival < $1.arrival },
            lastOffers: lastOffers, counters: counters,
            phoneNumbers: phoneNumbers.isEmpty ? nil : phoneNumbers.values.sorted { $0.number < $1.number },
            rulesVersion: Self.rulesVersion,
            lastSeats: lastSeats == LastSeats() ? nil : lastSeats,
            ivrFlows: ivrFlows.isEmpty ? nil : ivrFlows.values.sorted { $0.id < $1.id })
    }

    /// Rebuilds a core from a snapshot: the same decisions follow as from the core it was taken from.
    public init(snapshot: RoutingSnapshot) {
        self.init(configuration: snapshot.configuration, now: snapshot.clock)
        counters = snapshot.counters
        for group in snapshot.skillGroups {
            skillGroups[group.id] = group
            queues[group.id] = SessionQueue()
            waitingCounts[group.id] = 0
            candidates[group.id] = CandidateIndex()
            members[group.id] = []
        }
        lastOffers = snapshot.lastOffers
        lastSeats = snapshot.lastSeats ?? LastSeats()
        for binding in snapshot.phoneNumbers ?? [] { phoneNumbers[binding.number] = binding }
        for flow in snapshot.ivrFlows ?? [] { ivrFlows[flow.id] = flow }
        for group in snapshot.skillGroups where lastOffers[group.id] == nil { lastOffers[group.id] = [:] }
        for agent in snapshot.agents {
            agents.insert(agent)
            tally.count(agent.status, by: 1)
            for group in agent.profile.memberships.keys { members[group, default: []].insert(agent.id) }
        }
        for var session in snapshot.sessions {
            // Snapshots from before sessions kept their inactivity deadline: derive it as that
            // version did (from the group's setting at the time of the snapshot).
            if session.inactivityDeadline == nil, session.type == .im, case .accepted = session.state,
               let timeout = skillGroups[session.skillGroupId]?.imInactivityTimeoutSeconds, timeout > 0, !snapshot.keepsInactivityDeadlines {
                session.inactivityDeadline = session.lastActivity.adding(seconds: timeout)
            }
            sessions[session.id] = session
            tally.count(session.state, by: 1)
            if session.state == .queued {
                queues[existing: session.skillGroupId].insert(
                    .init(session: session.id, arrival: session.arrival, ticket: session.queueTicket), priority: session.priority)
                waitingCounts[session.skillGroupId, default: 0] += 1
            }
        }
        for group in skillGroups.keys { rebuildCandidates(group) }
        for timer in impliedTimers() { schedule(timer) }
        dirtyGroups = Set(skillGroups.keys)
    }
}
