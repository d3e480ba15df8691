// Routing decisions per second for the routing core alone, in release mode:
//   swift run -c release routing-benchmark [agents] [sessions]
// For each strategy, the `RoutingScenario`: 10,000 agents (each in 2 of 10 skill groups) and
// 100,000 im sessions queued while every agent is notReady; then agents go free, and every offer
// is accepted and ended until all sessions are routed.
// Allocation counts and more repeatable figures: `Benchmarks/` (ordo-one/benchmark).
//
// The last column divides the decisions by the CPU time the process spent routing them rather
// than by the wall-clock time: on a machine shared with other work the process waits for a core,
// which the wall clock counts and the CPU time does not, so that column is what one core running
// nothing else would do.
import Foundation
import RoutingScenario
import SwitchboardCore

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let agentCount = arguments.first ?? 10_000
let sessionCount = arguments.dropFirst().first ?? 100_000

func elapsed(since start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU seconds this process has used so far (every thread; the benchmark runs on one).
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%12.0f", Double(count) / seconds)
}

print("routing-benchmark: \(agentCount) agents, \(sessionCount) im sessions, 10 skill groups")
print("strategy        queue 100k s  route all s   decisions   decisions/s    commands/s  decisions/CPU-s")
for strategy in RoutingStrategy.allCases {
    var scenario = RoutingScenario(agents: agentCount, sessions: sessionCount, strategy: strategy)
    let queueStart = ContinuousClock.now
    scenario.queueSessions()
    let queueSeconds = elapsed(since: queueStart)
    let routeStart = ContinuousClock.now
    let routeCPUStart = cpuSeconds()
    scenario.routeAll()
    let routeSeconds = elapsed(since: routeStart)
    let routeCPUSeconds = cpuSeconds() - routeCPUStart
    print(String(format: "%-14@ %12.2f %12.2f %11d", strategy.rawValue as NSString, queueSeconds, routeSeconds, scenario.decisions)
          + "  " + rate(scenario.decisions, routeSeconds) + "  " + rate(scenario.commands, queueSeconds + routeSeconds)
          + "     " + rate(scenario.decisions, routeCPUSeconds))
}
