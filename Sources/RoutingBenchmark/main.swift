// Routing decisions per second for the routing core alone, in release mode:
//   swift run -c release routing-benchmark [agents] [sessions]
// For each strategy: 10,000 agents (each in 2 of 10 skill groups) and 100,000 im sessions queued
// while every agent is notReady; then agents go free, and every offer is accepted and ended until
// all sessions are routed. A decision is one offer; a command is one call into the core.
import Foundation
import SwitchboardCore

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let agentCount = arguments.first ?? 10_000
let sessionCount = arguments.dropFirst().first ?? 100_000
let groupCount = 10

func elapsed(since start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%12.0f", Double(count) / seconds)
}

print("routing-benchmark: \(agentCount) agents, \(sessionCount) im sessions, \(groupCount) skill groups")
print("strategy        queue 100k s  route all s   decisions   decisions/s    commands/s")
for strategy in RoutingStrategy.allCases {
    var machine = RoutingStateMachine(configuration: RoutingConfiguration(statusAfterOnline: .notReady))
    var now = Timestamp(seconds: 1_000_000)
    func run(_ command: RoutingCommand) -> RoutingStateMachine.Outcome {
        let outcome = machine.handle(command, at: now)
        if case .failure(let error) = outcome.result { fatalError("\(command): \(error.message)") }
        return outcome
    }
    for g in 0..<groupCount {
        _ = run(.upsertSkillGroup(SkillGroup(id: SkillGroupID("g\(g)"), strategy: strategy, offerTimeoutSeconds: 30)))
    }
    for a in 0..<agentCount {
        let id = AgentID("a\(a)")
        let memberships = [SkillGroupID("g\(a % groupCount)"): Membership(skillLevel: 1 + a % 5),
                           SkillGroupID("g\((a + 1) % groupCount)"): Membership(skillLevel: 1 + (a / 7) % 5)]
        _ = run(.upsertAgent(AgentProfile(id: id, memberships: memberships)))
        _ = run(.connect(id, ConnectionID("c\(a)")))
        _ = run(.online(id))  // notReady: sessions queue up first
    }

    var commands = 0
    let queueStart = ContinuousClock.now
    for s in 0..<sessionCount {
        _ = run(.createSession(NewSession(type: .im, skillGroupId: SkillGroupID("g\(s % groupCount)"), customer: CustomerDetails(nickname: "c\(s)"))))
        commands += 1
    }
    let queueSeconds = elapsed(since: queueStart)

    var decisions = 0
    var ringing: [(AgentID, SessionID)] = []
    func collect(_ outcome: RoutingStateMachine.Outcome) {
        for event in outcome.events {
            if case .agent(let agent, .callIn(let offer)) = event.effect {
                decisions += 1
                ringing.append((agent, offer.sessionId))
            }
        }
    }
    let routeStart = ContinuousClock.now
    for a in 0..<agentCount {
        collect(run(.setStatus(AgentID("a\(a)"), status: "free", restReason: nil)))
        commands += 1
    }
    while !ringing.isEmpty {
        let batch = ringing
        ringing = []
        now = now.adding(seconds: 1)
        for (agent, session) in batch {
            collect(run(.accept(agent, session)))
            collect(run(.end(agent, session)))
            commands += 2
        }
    }
    let routeSeconds = elapsed(since: routeStart)
    precondition(machine.sessions.isEmpty, "every session should have been routed and ended")
    print(String(format: "%-14@ %12.2f %12.2f %11d", strategy.rawValue as NSString, queueSeconds, routeSeconds, decisions)
          + "  " + rate(decisions, routeSeconds) + "  " + rate(commands, queueSeconds + routeSeconds))
}
