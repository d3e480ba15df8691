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
    /// Held so the server's stdout is never closed under it.
    let output: Pipe

    static var executable: URL { get throws { try SwitchboardExecutable.url } }

    /// Starts the server on a free port and waits (without blocking a thread of the shared pool)
    /// until it says where it listens. Its stdout stays open and drained for its whole life.
    static func start(dataDirectory: String) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = try executable
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--no-demo", "--api-key", apiKey, "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        let seen = Mutex("")
        let port = Mutex<Int?>(nil)
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            let text = seen.withLock { $0 = String(($0 + String(decoding: data, as: UTF8.self)).suffix(4096)); return $0 }
            if port.withLock({ $0 }) == nil,
               let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port.withLock { $0 = Int(text[range].split(separator: ":").last!) }
            }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let found = port.withLock({ $0 }) { return ServerProcess(process: process, port: found, output: output) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = process.isRunning ? "still running" : "exited with status \(process.terminationStatus) (\(process.terminationReason == .uncaughtSignal ? "signal" : "exit"))"
        process.terminate()
        throw TestFailure("the server did not start (\(status)); it printed: \(seen.withLock { $0 })")
    }

    /// SIGKILL: no shutdown code runs, as in a crash or power cut of the process.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Minimal admin API calls for the process tests.
struct AdminClient {
    let port: Int

    @discardableResult
    func expect(_ status: Int, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method.rawValue
        request.setValue("Bearer \(ServerProcess.apiKey)", forHTTPHeaderField: "Authorization")
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
