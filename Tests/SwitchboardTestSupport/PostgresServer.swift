import Foundation
import SwitchboardPostgres

/// A real PostgreSQL server for the contract tests, started once per test process on 127.0.0.1
/// (a free port, a temporary data directory, trust authentication for the local user
/// `postgres`) and stopped by its process id when the process exits. Each store location is a
/// database of its own on it. Tests that need it fail, rather than skip, when PostgreSQL is not
/// installed: `.ci/run` installs it.
public actor PostgresServer {
    public static let shared = PostgresServer()

    /// The start, shared by every test that asks while it is under way (the actor is reentrant
    /// across its awaits, so a plain flag would start one server per caller).
    private var starting: Task<Int, any Error>?
    private var nextDatabase = 0
    /// The write end of the watcher's lifeline, open for as long as this process lives.
    nonisolated(unsafe) private static var lifeline: Pipe?

    /// A new, empty database on the shared server.
    public func newDatabase() async throws -> PostgresLocation {
        if starting == nil { starting = Task { try await Self.start() } }
        let port = try await starting!.value
        nextDatabase += 1
        let name = "switchboard_test_\(getpid())_\(nextDatabase)"
        try await Self.runAside(try Self.binary("psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-q",
                                                          "-c", "CREATE DATABASE \(name) STRATEGY FILE_COPY"])
        return PostgresLocation(host: "127.0.0.1", port: port, username: "postgres", database: name, tls: .disable)
    }

    public func dropDatabase(_ location: PostgresLocation) async {
        _ = try? await Self.runAside(try Self.binary("psql"), ["-h", "127.0.0.1", "-p", String(location.port), "-U", "postgres", "-d", "postgres", "-q",
                                                                "-c", "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)"])
    }

    private static func start() async throws -> Int {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-pg-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
        if getuid() == 0 {
            try await Self.runAside("/bin/chown", ["-R", "postgres:postgres", directory.path])
        }
        try await Self.runAside(try Self.binary("initdb"), ["-D", data.path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asServer: true)
        let port = Self.freePort()
        // A watcher shell owns the server: it reads a pipe only this process writes to, so when
        // this process is gone, however it ended (even SIGKILL, which skips atexit), it reads
        // end-of-file and stops the postmaster by its pid. It holds none of this process's
        // output, so `swift test` sees the end of it.
        let postgres = try Self.binary("postgres")
        let command = [postgres, "-D", data.path, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-k", directory.path,
                       "-c", "fsync=on", "-c", "max_connections=200"]
        let asServer = getuid() == 0 ? ["/sbin/runuser", "-u", "postgres", "--"] : []
        let quoted = (asServer + command).map { "'\($0)'" }.joined(separator: " ")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/bin/sh")
        server.arguments = ["-c", """
            \(quoted) </dev/null >'\(directory.path)/server.log' 2>&1 &
            cat >/dev/null
            kill -INT "$(head -1 '\(data.path)/postmaster.pid')" 2>/dev/null; wait
            rm -rf '\(directory.path)'
            """]
        let lifeline = Pipe()
        server.standardInput = lifeline
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        Self.lifeline = lifeline
        // Ready once psql can run a query.
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            if (try? await Self.runAside(try Self.binary("psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-q", "-c", "SELECT 1"])) != nil { break }
            guard server.isRunning, ContinuousClock.now < deadline else {
                throw PostgresTestFailure("PostgreSQL did not start on 127.0.0.1:\(port) (\(server.isRunning ? "still running" : "exited")); data in \(data.path)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return port
    }

    /// A PostgreSQL program: from PATH, else Debian's versioned directory.
    static func binary(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: >) {
            let path = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw PostgresTestFailure("\(name) is not installed: the PostgreSQL contract tests need a PostgreSQL server (apt-get install postgresql)")
    }

    /// `run` on a thread of its own: waiting for a child process must not hold one of the
    /// concurrency pool's threads (two on this machine), which every other test needs.
    @discardableResult
    static func runAside(_ program: String, _ arguments: [String], asServer: Bool = false) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(program, arguments, asServer: asServer) })
            }
        }
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String], asServer: Bool = false) throws -> String {
        let process = Process()
        if asServer && getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", program] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestFailure("\(program) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
        return text
    }

    public static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct PostgresTestFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
