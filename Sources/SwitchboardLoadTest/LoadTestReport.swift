import Foundation

/// What a load test measured, as a table for people or JSON for machines.
public struct LoadTestReport: Codable, Sendable {
    public var agents: Int
    public var targetRate: Double
    public var sessions: Int
    public var ended: Int
    public var seconds: Double
    public var sessionsPerSecond: Double
    public var createToCallIn: LatencySummary
    public var acceptToJoined: LatencySummary
    public var echoRoundTrip: LatencySummary
    public var errors: Int
    /// Customers the server turned away as overloaded (`serverBusy`), not counted as errors.
    public var shed: Int
    public var firstErrors: [String]
    public var serverCPUPercent: Double?
    /// The server's CPU time over the run divided by the sessions that ended: issue 19's measure
    /// (target 0.35 ms, so that 2,000 sessions/s fit in one core).
    public var serverCPUMillisecondsPerSession: Double?
    /// The server's threads' context switches over the run divided by the sessions that ended:
    /// below saturation nearly each is a sleeping thread woken to take work from another, and the
    /// CPU per session falls with them (docs/benchmarks.md, "Issue 19, sixth round").
    public var serverContextSwitchesPerSession: Double?
    public var serverRSSMiB: Double?
    public var serverPeakRSSMiB: Double?
    /// Hostile traffic beside the load, per second while it ran (nil without floods).
    public var floods: FloodFigures?

    /// What the floods did, per second of the measured run.
    public struct FloodFigures: Codable, Sendable {
        public var loginAttemptsPerSecond: Double
        /// Wrong passwords the server checked (bcrypt) and refused.
        public var loginsCheckedPerSecond: Double
        /// Refused at once: too many logins in progress.
        public var loginsRefusedBusyPerSecond: Double
        public var startAttemptsPerSecond: Double
        public var startsRefusedPerSecond: Double
        public var startsTakenPerSecond: Double
    }

    init(options: LoadTestOptions, book: LatencyBook, total: Int, measured: LoadTest.Measured) {
        let summary = book.summary()
        agents = options.agents
        targetRate = options.rate
        sessions = total
        ended = summary.counts["ended"] ?? 0
        seconds = (measured.seconds * 100).rounded() / 100
        sessionsPerSecond = measured.seconds > 0 ? (Double(ended) / measured.seconds).rounded() : 0
        createToCallIn = summary.createToCallIn
        acceptToJoined = summary.acceptToJoined
        echoRoundTrip = summary.echo
        errors = summary.counts["errors"] ?? 0
        shed = summary.counts["shed"] ?? 0
        firstErrors = summary.errors
        serverCPUPercent = measured.cpuSeconds.map { measured.seconds > 0 ? ($0 / measured.seconds * 1000).rounded() / 10 : 0 }
        serverCPUMillisecondsPerSession = measured.cpuSeconds.flatMap { ended > 0 ? ($0 * 1_000_000 / Double(ended)).rounded() / 1000 : nil }
        serverContextSwitchesPerSession = measured.contextSwitches.flatMap { ended > 0 ? (Double($0) * 10 / Double(ended)).rounded() / 10 : nil }
        serverRSSMiB = measured.memory.map { ($0.now * 10).rounded() / 10 }
        serverPeakRSSMiB = measured.memory.map { ($0.peak * 10).rounded() / 10 }
        if options.loginFlood + options.startFlood > 0, measured.seconds > 0 {
            func rate(_ name: String) -> Double { (Double(measured.floods[name] ?? 0) / measured.seconds * 10).rounded() / 10 }
            floods = FloodFigures(
                loginAttemptsPerSecond: rate("loginAttempts"), loginsCheckedPerSecond: rate("loginChecked"),
                loginsRefusedBusyPerSecond: rate("loginBusy"), startAttemptsPerSecond: rate("floodStarts"),
                startsRefusedPerSecond: rate("floodRefused"), startsTakenPerSecond: rate("floodStarted"))
        }
    }

    /// The report as aligned text.
    public var table: String {
        func row(_ name: String, _ latency: LatencySummary) -> String {
            let cells = [latency.p50, latency.p90, latency.p99, latency.p999, latency.max].map { String(format: "%9.2f", $0) }
            return name.padding(toLength: 24, withPad: " ", startingAt: 0) + cells.joined() + String(format: "%10d", latency.count)
        }
        var lines = [
            "agents \(agents), target \(Int(targetRate)) sessions/s, \(sessions) sessions, \(ended) ended in \(seconds) s",
            "routed: \(Int(sessionsPerSecond)) sessions/s (offered, accepted, messaged once, ended)",
            "",
            "latency (ms)                  p50      p90      p99    p99.9      max     count",
            row("create -> callIn", createToCallIn),
            row("accept -> agentJoined", acceptToJoined),
            row("echo round trip (floor)", echoRoundTrip),
        ]
        if echoRoundTrip.p50 > 0 && createToCallIn.p50 > 0 {
            lines.append(String(format: "create -> callIn p50 is %.1fx the echo floor's p50", createToCallIn.p50 / echoRoundTrip.p50))
        }
        lines.append("")
        if shed > 0 { lines.append("shed (serverBusy): \(shed) customers turned away by the overloaded server") }
        lines.append("errors: \(errors)")
        for error in firstErrors { lines.append("  \(error)") }
        if let floods {
            lines.append(String(format: "login flood: %.1f attempts/s, %.1f wrong passwords checked/s, %.1f refused as busy/s",
                                floods.loginAttemptsPerSecond, floods.loginsCheckedPerSecond, floods.loginsRefusedBusyPerSecond))
            lines.append(String(format: "start flood (one address): %.1f starts/s, %.1f refused/s, %.1f taken/s",
                                floods.startAttemptsPerSecond, floods.startsRefusedPerSecond, floods.startsTakenPerSecond))
        }
        if let serverCPUPercent { lines.append("server CPU: \(serverCPUPercent)% of one core") }
        if let serverCPUMillisecondsPerSession { lines.append("server CPU per ended session: \(serverCPUMillisecondsPerSession) ms") }
        if let serverContextSwitchesPerSession { lines.append("server context switches per ended session: \(serverContextSwitchesPerSession)") }
        if let serverRSSMiB, let serverPeakRSSMiB { lines.append("server RSS: \(serverRSSMiB) MiB (peak \(serverPeakRSSMiB) MiB)") }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
