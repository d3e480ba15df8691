import Benchmark
import RoutingScenario
import SwitchboardCore

/// Routing decisions for 10,000 agents and 100,000 queued im sessions, per strategy: the time and
/// allocations to route every session (offer, accept, end), with set-up outside the measurement.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .one,
        maxDuration: .seconds(60),
        maxIterations: 3
    )
    for strategy in RoutingStrategy.allCases {
        Benchmark("route 100k sessions to 10k agents (\(strategy.rawValue))") { benchmark in
            for _ in benchmark.scaledIterations {
                var scenario = RoutingScenario(agents: 10_000, sessions: 100_000, strategy: strategy)
                scenario.queueSessions()
                benchmark.startMeasurement()
                scenario.routeAll()
                benchmark.stopMeasurement()
                blackHole(scenario.decisions)
            }
        }
    }
}
