import ArgumentParser
import Foundation
import SwitchboardLoadTest

/// `switchboard loadtest`: drives a server with simulated agents and customers and prints what it
/// measured. With `--spawn` it starts its own server (temporary data directory, echo endpoint on)
/// so its CPU and memory can be read too.
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Drive a server with simulated agents and customers over real WebSockets and report throughput and latency.",
        discussion: """
            Agents log in with tokens issued by the admin API, go online, and for every offer wait \
            --think ms, accept, send one message, wait --handle ms and end. Customers start im \
            sessions at --rate per second for --duration seconds. The table gives sessions routed per \
            second, create-to-callIn and accept-to-agentJoined latency (p50 to max, HDR histogram), \
            the echo floor measured with the same connections, errors, and server CPU and RSS.
            """)

    @Option(help: "Server base URL (ignored with --spawn).")
    var server: String = "http://127.0.0.1:8080"

    @Option(name: .customLong("also-server"), help: "Another node of the same cluster (repeatable): agents and customers are spread round-robin over --server and these; the admin set-up goes to --server.")
    var alsoServers: [String] = []

    @Option(name: .customLong("api-key"), help: "Admin API key (SWITCHBOARD_API_KEY; ignored with --spawn).")
    var apiKey: String? = ProcessInfo.processInfo.environment["SWITCHBOARD_API_KEY"]

    @Flag(help: "Start a fresh server (durable SQLite in a temporary directory) for the run.")
    var spawn = false

    @Option(help: "Simulated agents.") var agents: Int = 100
    @Option(help: "Customer sessions started per second.") var rate: Double = 100
    @Option(help: "Seconds of customer arrivals.") var duration: Double = 10
    @Option(help: "Milliseconds from callIn to accept.") var think: Int = 0
    @Option(help: "Milliseconds from the agent's message to end.") var handle: Int = 0
    @Option(name: .customLong("im-capacity"), help: "im sessions per agent.") var imCapacity: Int = 5
    @Option(name: .customLong("server-pid"), help: "Process id of the server, for CPU and RSS (set with --spawn).") var serverPid: Int32?
    @Flag(name: .customLong("no-floor"), help: "Skip the echo floor measurement.") var noFloor = false
    @Option(name: .customLong("login-flood"), help: "Clients guessing passwords beside the load, from ever new addresses.") var loginFlood: Int = 0
    @Option(name: .customLong("start-flood"), help: "Clients starting chats as fast as they can from one address beside the load.") var startFlood: Int = 0
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        var child: Process?
        var url = server
        var key = apiKey
        var pid = serverPid
        var dataDirectory: String?
        if spawn {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-loadtest-\(UUID().uuidString)").path
            let spawnedKey = "loadtest-" + UUID().uuidString
            let (process, port) = try Self.startServer(dataDirectory: directory, apiKey: spawnedKey, limitCustomers: startFlood > 0)
            child = process
            url = "http://127.0.0.1:\(port)"
            key = spawnedKey
            pid = process.processIdentifier
            dataDirectory = directory
        }
        defer {
            if let child, child.isRunning { child.terminate(); child.waitUntilExit() }
            if let dataDirectory { try? FileManager.default.removeItem(atPath: dataDirectory) }
        }
        guard let base = URL(string: url) else { throw ValidationError("--server '\(url)' is not a URL") }
        guard let key else { throw ValidationError("give --api-key (or SWITCHBOARD_API_KEY), or use --spawn") }
        var options = LoadTestOptions(server: base, apiKey: key)
        options.otherServers = try alsoServers.map { address in
            guard let url = URL(string: address) else { throw ValidationError("--also-server '\(address)' is not a URL") }
            return url
        }
        options.agents = agents
        options.rate = rate
        options.duration = duration
        options.thinkMilliseconds = think
        options.handleMilliseconds = handle
        options.imCapacity = imCapacity
        options.measureEchoFloor = !noFloor
        options.serverProcessId = pid
        options.loginFlood = loginFlood
        options.startFlood = startFlood
        do { try options.validate() } catch { throw ValidationError("\(error)") }

        let interactive = isatty(STDERR_FILENO) == 1
        let report = try await LoadTest.run(options) { line in
            guard interactive else { return }
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        }
        print(json ? report.json : report.table)
    }

    /// Starts `switchboard serve` (this same executable) on a free port.
    static func startServer(dataDirectory: String, apiKey: String, limitCustomers: Bool) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--no-demo", "--api-key", apiKey,
                             "--log-level", "error", "--echo-endpoint",
                             // Its stdin is our pipe: if this process dies, the server stops too.
                             "--stop-when-stdin-closes",
                             // Every simulated client claims its own address (X-Forwarded-For) and
                             // connects from one of 64 loopback ones (WireCustomer.sourceAddress);
                             // customers start faster than people do.
                             "--max-connections-per-address", "0", "--trusted-proxies", "127.0.0.0/8",
                             "--customer-messages-per-minute", "0"]
            // Measuring throughput: no start limits. Measuring a start flood: the default limits.
            + (limitCustomers ? [] : ["--customer-starts-per-address", "0", "--customer-starts-per-second", "0"])
        let output = Pipe()
        process.standardOutput = output
        // Held open for the server's life and closed by the kernel when this process ends.
        process.standardInput = Pipe()
        try process.run()
        var seen = ""
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw ValidationError("the server did not start: \(seen)") }
            seen += String(decoding: data, as: UTF8.self)
            if let range = seen.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
               let port = Int(seen[range].split(separator: ":").last ?? "") {
                return (process, port)
            }
        }
    }
}
