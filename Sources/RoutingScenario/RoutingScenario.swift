import SwitchboardCore

/// The routing core's benchmark scenario, shared by `routing-benchmark` and the ordo-one
/// benchmarks in `Benchmarks/`: agents in skill groups, a queue of im sessions built while every
/// agent is notReady, then every agent goes free and each offer is accepted and ended until all
/// sessions are routed. A decision is one offer; a command is one call into the core.
public struct RoutingScenario {
    public let agentCount: Int
    public let sessionCount: Int
    public let groupCount: Int
    public let strategy: RoutingStrategy
    public private(set) var machine = RoutingStateMachine(configuration: RoutingConfiguration(statusAfterOnline: .notReady))
    private var now = Timestamp(seconds: 1_000_000)
    /// Calls made into the core so far.
    public private(set) var commands = 0
    /// Offers made so far.
    public private(set) var decisions = 0

    /// Creates the groups and agents (online, notReady); nothing is queued yet.
    public init(agents: Int, sessions: Int, groups: Int = 10, strategy: RoutingStrategy) {
        self.agentCount = agents
        self.sessionCount = sessions
        self.groupCount = groups
        self.strategy = strategy
        for g in 0..<groups {
            run(.upsertSkillGroup(SkillGroup(id: SkillGroupID("g\(g)"), strategy: strategy, offerTimeoutSeconds: 30)))
        }
        for a in 0..<agents {
            let id = AgentID("a\(a)")
            let memberships = [SkillGroupID("g\(a % groups)"): Membership(skillLevel: 1 + a % 5),
                               SkillGroupID("g\((a + 1) % groups)"): Membership(skillLevel: 1 + (a / 7) % 5)]
            run(.upsertAgent(AgentProfile(id: id, memberships: memberships)))
            run(.connect(id, ConnectionID("c\(a)")))
            run(.online(id))
        }
        commands = 0
    }

    @discardableResult
    private mutating func run(_ command: RoutingCommand) -> RoutingStateMachine.Outcome {
        let outcome = machine.handle(command, at: now)
        if case .failure(let error) = outcome.result { fatalError("\(command): \(error.message)") }
        commands += 1
        return outcome
    }

    /// Queues every session (no agent is free, so none is offered).
    public mutating func queueSessions() {
        for s in 0..<sessionCount {
            run(.createSession(NewSession(type: .im, skillGroupId: SkillGroupID("g\(s % groupCount)"), customer: CustomerDetails(nickname: "c\(s)"))))
        }
    }

    /// Frees every agent and accepts and ends every offer until the queues are empty.
    public mutating func routeAll() {
        var ringing: [(AgentID, SessionID)] = []
        func collect(_ outcome: RoutingStateMachine.Outcome) {
            for event in outcome.events {
                if case .agent(let agent, .callIn(let offer)) = event.effect {
                    decisions += 1
                    ringing.append((agent, offer.sessionId))
                }
            }
        }
        for a in 0..<agentCount {
            collect(run(.setStatus(AgentID("a\(a)"), status: "free", restReason: nil)))
        }
        while !ringing.isEmpty {
            let batch = ringing
            ringing = []
            now = now.adding(seconds: 1)
            for (agent, session) in batch {
                collect(run(.accept(agent, session)))
                collect(run(.end(agent, session)))
            }
        }
        precondition(machine.sessions.isEmpty, "every session should have been routed and ended")
    }
}
