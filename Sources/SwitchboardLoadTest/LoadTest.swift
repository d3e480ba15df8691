import Foundation
import Logging

/// Runs a load test: prepares agents, connects them, starts customers at the target rate, waits
/// for every session to end, then measures the echo floor with the same connections and pattern.
public enum LoadTest {
    /// Runs the test; `progress` gets one-line status updates (for a progress bar).
    public static func run(_ options: LoadTestOptions, progress: @escaping @Sendable (String) -> Void) async throws -> LoadTestReport {
        try options.validate()
        let logger = {
            var logger = Logger(label: "loadtest")
            logger.logLevel = .error
            return logger
        }()
        let book = LatencyBook()
        let stop = StopSignal()
        let sampler = options.serverProcessId.map(ProcessSampler.init(pid:))

        progress("preparing \(options.agents) agents")
        let tokens = try await AdminSetup(options: options).prepare { done in progress("prepared \(done)/\(options.agents) agents") }
        let total = Int((options.rate * options.duration).rounded())
        let agentURL = options.webSocketURL("/ws/agent")
        let customerURL = options.webSocketURL("/ws/customer")
        // Spread over the nodes given (one, unless --also-server), round-robin.
        let agentURLs = options.webSocketURLs("/ws/agent")
        let customerURLs = options.webSocketURLs("/ws/customer")
        // Resolved once; nil for `wss://`, which keeps the WebSocket library's client.
        let wireEndpoints = customerURLs.map { WireCustomer.endpoint($0) }

        var measured = Measured()
        await withTaskGroup(of: Void.self) { agents in
            for (index, token) in tokens.enumerated() {
                let url = agentURLs[index % agentURLs.count]
                agents.addTask { await SimulatedAgent(url: url, token: token, options: options, book: book, stop: stop).run(logger: logger) }
            }
            // Wait for every agent to be online before the clock starts.
            while book.counted("agentsOnline") < options.agents {
                progress("agents online \(book.counted("agentsOnline"))/\(options.agents)")
                if book.counted("errors") > 0 && book.counted("agentsOnline") + book.counted("errors") >= options.agents { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
            // Hostile traffic, when asked for, runs from before the clock starts until the load ends.
            let floodStop = StopSignal()
            let floods = Task {
                await withTaskGroup(of: Void.self) { floods in
                    for worker in 0..<options.loginFlood {
                        floods.addTask { await Flood.Logins(url: agentURL, worker: worker, book: book, stop: floodStop).run(logger: logger) }
                    }
                    for worker in 0..<options.startFlood {
                        floods.addTask { await Flood.Starts(url: customerURL, worker: worker, book: book, stop: floodStop).run(logger: logger) }
                    }
                }
            }
            if options.loginFlood + options.startFlood > 0 { try? await Task.sleep(for: .seconds(1)) }
            let floodCounts = book.counts(["loginAttempts", "loginChecked", "loginBusy", "floodStarts", "floodRefused", "floodStarted"])
            let cpuBefore = sampler?.cpuSeconds()
            let switchesBefore = sampler?.contextSwitches()
            let began = ContinuousClock.now
            await withTaskGroup(of: Void.self) { customers in
                for index in 0..<total {
                    let due = began + .milliseconds(Int(Double(index) / options.rate * 1000))
                    if due > ContinuousClock.now { try? await Task.sleep(until: due) }
                    let url = customerURLs[index % customerURLs.count]
                    let wireEndpoint = wireEndpoints[index % wireEndpoints.count]
                    customers.addTask {
                        let nickname = "c-\(index)", address = Flood.address(index)
                        if let endpoint = wireEndpoint {
                            await WireCustomer(
                                endpoint: endpoint, nickname: nickname, address: address, book: book,
                                source: WireCustomer.sourceAddress(for: index, host: endpoint.host)
                            ).run()
                        } else {
                            await SimulatedCustomer(url: url, nickname: nickname, address: address, book: book).run(logger: logger)
                        }
                    }
                    if index % 100 == 0 { progress(bar(book: book, total: total)) }
                }
                // Report progress while the last sessions finish.
                customers.addTask {
                    while book.counted("ended") + book.counted("errors") + book.counted("shed") < total, !Task.isCancelled {
                        progress(bar(book: book, total: total))
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                }
                await customers.waitForAll()
            }
            measured.seconds = (ContinuousClock.now - began).seconds
            floodStop.set()
            await floods.value
            let afterFloods = book.counts(floodCounts.keys.sorted())
            measured.floods = floodCounts.mapValues { _ in 0 }.merging(afterFloods) { _, after in after }
                .reduce(into: [:]) { result, entry in result[entry.key] = entry.value - (floodCounts[entry.key] ?? 0) }
            measured.cpuSeconds = both(cpuBefore, sampler?.cpuSeconds()).map { $1 - $0 }
            measured.contextSwitches = both(switchesBefore, sampler?.contextSwitches()).map { $1 - $0 }
            measured.memory = sampler?.residentMiB()
            stop.set()
            await agents.waitForAll()
        }

        if options.measureEchoFloor {
            progress("measuring the echo floor over \(options.agents) connections")
            await EchoFloor(url: options.webSocketURL("/ws/echo"), connections: options.agents, rate: options.rate * 4,
                            duration: min(options.duration, 10), book: book).run(logger: logger)
        }
        progress("")
        return LoadTestReport(options: options, book: book, total: total, measured: measured)
    }

    struct Measured {
        var seconds: Double = 0
        var cpuSeconds: Double?
        var contextSwitches: Int?
        var memory: (now: Double, peak: Double)?
        /// What the floods did while the load ran, by counter name.
        var floods: [String: Int] = [:]
    }

    static func bar(book: LatencyBook, total: Int) -> String {
        let done = book.counted("ended")
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / max(total, 1))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) sessions ended, \(book.counted("offered")) offered, \(book.counted("errors")) errors"
    }
}

/// Both values, when both are known.
private func both<Value>(_ a: Value?, _ b: Value?) -> (Value, Value)? {
    guard let a, let b else { return nil }
    return (a, b)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
