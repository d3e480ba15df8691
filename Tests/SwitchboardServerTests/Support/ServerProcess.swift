import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Synchronization
import SwitchboardTestSupport

/// The built `switchboard` executable run as a child process, as an operator would run it.
struct ServerProcess {
    static let apiKey = "restart-test-admin-key-0123"
    let process: Process
    let port: Int
    /// `http`, or `https` when started with a certificate.
    let scheme: String
    /// Held so the server's stdout is never closed under it.
    let output: Pipe
    /// Everything the server has printed on stdout so far.
    let printed: PrintedOutput

    /// A process's stdout as it arrives, readable while the process runs.
    final class PrintedOutput: Sendable {
        private let text = Mutex("")
        func append(_ more: String) { text.withLock { $0 += more } }
        var all: String { text.withLock { $0 } }
    }

    static var executable: URL { get throws { try SwitchboardExecutable.url } }

    /// Starts the server on a free port and waits (without blocking a thread of the shared pool)
    /// until it says where it listens. Its stdout stays open and drained for its whole life.
    /// `arguments` are more options of `serve` (e.g. `--tls-cert`).
    /// `configuredKey: false` leaves `--api-key` out, so the server uses (or generates) the key
    /// in `secrets.json`.
    static func start(
        dataDirectory: String, arguments: [String] = [], configuredKey: Bool = true, environment: [String: String] = [:]
    ) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = try executable
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--no-demo"]
            + (configuredKey ? ["--api-key", apiKey] : []) + ["--log-level", "warning"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        let seen = Mutex("")
        let printed = PrintedOutput()
        let address = Mutex<(scheme: String, port: Int)?>(nil)
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            printed.append(String(decoding: data, as: UTF8.self))
            let text = seen.withLock { $0 = String(($0 + String(decoding: data, as: UTF8.self)).suffix(4096)); return $0 }
            if address.withLock({ $0 }) == nil,
               // A node of several that does not lead yet says it stands by, on the same port.
               let range = text.range(of: #"(listening|standing by) on https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let parts = text[range].split(separator: " on ", maxSplits: 1)[1].split(separator: ":")
                address.withLock { $0 = (String(parts[0]), Int(parts.last!)!) }
            }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let found = address.withLock({ $0 }) {
                return ServerProcess(process: process, port: found.port, scheme: found.scheme, output: output, printed: printed)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = process.isRunning ? "still running" : "exited with status \(process.terminationStatus) (\(process.terminationReason == .uncaughtSignal ? "signal" : "exit"))"
        process.terminate()
        throw TestFailure("the server did not start (\(status)); it printed: \(seen.withLock { $0 })")
    }

    /// Runs `serve` with `arguments` (and `environment` added to this process's) when it is
    /// expected to refuse them: waits for it to exit and returns its status and what it printed.
    /// Fails if it starts listening instead.
    static func refusal(
        dataDirectory: String, arguments: [String], environment: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try executable
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--no-demo", "--api-key", apiKey] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let seen = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            seen.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline && !seen.withLock({ $0.contains("listening on") }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure("the server started with \(arguments) instead of refusing them: \(seen.withLock { $0 })")
        }
        // Let the pipe's last bytes arrive.
        try await Task.sleep(for: .milliseconds(100))
        return (process.terminationStatus, seen.withLock { $0 })
    }

    /// The open file descriptors of the server process (sockets, database files, pipes).
    var openFileDescriptors: Int {
        get throws { try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count }
    }

    /// SIGSTOP / SIGCONT: the process freezes (as under a long GC-like pause or a VM stall) and
    /// goes on later, not knowing time passed.
    func pause() { Foundation.kill(process.processIdentifier, SIGSTOP) }
    func resume() { Foundation.kill(process.processIdentifier, SIGCONT) }

    /// SIGKILL: no shutdown code runs, as in a crash or power cut of the process.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status. Waits without blocking a thread of the shared pool: a
    /// graceful shutdown waits for the test's own clients to answer the close of their sockets,
    /// and those run on that pool (two threads on a 2-core machine; two tests blocked in
    /// `waitUntilExit` at once would deadlock). Fails if the server is still running after 60 s.
    func terminate() async throws -> Int32 {
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill()
                throw TestFailure("the server did not exit within 60 seconds of SIGTERM")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// Minimal admin API calls for the process tests.
struct AdminClient {
    let port: Int
    var key = ServerProcess.apiKey

    @discardableResult
    func expect(_ status: Int, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method.rawValue
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        if code != status {
            throw TestFailure("\(method) \(path) answered \(code), expected \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

/// A node's `/readyz`, for the tests of several nodes: its status code, or nil when nothing
/// answers on the port (a node stopped, or between standing by and leading).
enum NodeReadiness {
    static func status(port: Int) async -> Int? {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    /// The index of the port whose node leads (answers 200), if one does.
    static func leader(among ports: [Int]) async -> Int? {
        for (index, port) in ports.enumerated() where await status(port: port) == 200 { return index }
        return nil
    }

    /// `/readyz` of the node on `port`: its status code and its JSON; nil when it does not answer.
    static func readiness(port: Int) async -> (status: Int, body: [String: Any])? {
        guard let (data, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// The index of the port whose node answers ready in `role` (followers are ready too).
    static func leader(among ports: [Int], role: String) async -> Int? {
        for (index, port) in ports.enumerated() {
            if let (status, body) = await readiness(port: port), status == 200, body["role"] as? String == role { return index }
        }
        return nil
    }
}
