#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

extension RtpEngineProcess {
    /// util-linux's setpriv; `--pdeathsig` makes the kernel send rtpengine SIGTERM when the thread
    /// that spawned it dies, which covers this server being SIGKILLed.
    static let setprivPath = "/usr/bin/setpriv"

    /// Spawns rtpengine from a thread of its own that then waits for it, and returns once spawned.
    ///
    /// The thread lives exactly as long as rtpengine: the parent-death signal follows the spawning
    /// *thread*, so spawning from a pool thread that may later retire would kill rtpengine with it.
    static func spawnAndWatch(
        configuration: Configuration,
        logger: Logger,
        make: @escaping @Sendable (pid_t) -> RtpEngineProcess,
        onExit: @escaping @Sendable (RtpEngineProcess, Int32) -> Void
    ) async throws(RtpEngineError) -> RtpEngineProcess {
        let spawned = await withCheckedContinuation { (continuation: CheckedContinuation<Result<RtpEngineProcess, RtpEngineError>, Never>) in
            let thread = Thread {
                let pid: pid_t
                switch spawn(configuration: configuration) {
                case .failure(let error):
                    continuation.resume(returning: .failure(error))
                    return
                case .success(let spawnedPid):
                    pid = spawnedPid
                }
                let process = make(pid)
                continuation.resume(returning: .success(process))
                onExit(process, waitForTermination(of: pid))
            }
            thread.name = "rtpengine-\(configuration.ngPort)"
            thread.start()
        }
        return try spawned.get()
    }

    private static func waitForTermination(of pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return status }
            if errno == EINTR { continue }
            // ECHILD: something else in this process reaped it (a `waitpid(-1)` elsewhere). Fall
            // back to watching for the pid to vanish; the exit status is then unknown (-1).
            while isAlive(pid) { usleep(100_000) }
            return 0xFF00
        }
    }

    private static func spawn(configuration: Configuration) -> Result<pid_t, RtpEngineError> {
        var arguments = [configuration.executablePath] + configuration.arguments
        #if os(Linux)
        if FileManager.default.isExecutableFile(atPath: setprivPath) {
            // `--` so setpriv does not take rtpengine's options (e.g. --foreground) as its own.
            arguments = [setprivPath, "--pdeathsig", "SIGTERM", "--"] + arguments
        }
        #endif

        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // The log has callers' numbers and addresses in it: its owner's only.
        posix_spawn_file_actions_addopen(&actions, 1, configuration.logFilePath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        #if os(Linux)
        // The server's own sockets and files are no business of rtpengine's. glibc 2.34+ has
        // addclosefrom_np, but Swift's Glibc module does not declare it, so it is looked up.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
        }
        #endif

        // Signal dispositions and masks are inherited: a server that ignores SIGTERM (to handle it
        // through a dispatch source) or SIGPIPE (NIO) would otherwise hand that on to rtpengine.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        // A process group of its own, so a Ctrl-C meant for the server does not kill rtpengine
        // before the server has ended its calls.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            return .failure(RtpEngineError(
                .process,
                "could not start \(arguments[0]): \(String(cString: strerror(result))); check that it is installed and executable"
            ))
        }
        return .success(pid)
    }

    /// Ends an rtpengine recorded in the pid file by an earlier run of this server that did not stop
    /// it (killed with -9, a crash): it would still hold the ng port and media ports.
    static func killStaleProcess(configuration: Configuration, logger: Logger) async {
        guard let text = try? String(contentsOfFile: configuration.pidFilePath, encoding: .utf8) else { return }
        defer { try? FileManager.default.removeItem(atPath: configuration.pidFilePath) }
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1, isAlive(pid) else { return }
        guard isRtpEngineStartedByUs(pid) else {
            logger.warning(
                "the rtpengine pid file names a process that is not an rtpengine started by this server; leaving it alone",
                metadata: ["pid": "\(pid)", "pid-file": "\(configuration.pidFilePath)"]
            )
            return
        }
        logger.warning("stopping an rtpengine left running by an earlier run of this server", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        if await waitUntilGone(pid, within: configuration.stopTimeout) { return }
        kill(pid, SIGKILL)
        if await waitUntilGone(pid, within: .seconds(5)) { return }
        logger.error("an old rtpengine survived SIGKILL; the new one may find its ports taken", metadata: ["pid": "\(pid)"])
    }

    private static func waitUntilGone(_ pid: pid_t, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isAlive(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isAlive(pid)
    }

    /// Whether the pid runs; a zombie (exited, not yet reaped by its parent) counts as gone, since
    /// it holds no ports. On systems without /proc, any process counts.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            return !FileManager.default.fileExists(atPath: "/proc/self")
        }
        // The state letter follows the command name, which is in parentheses and may hold spaces.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Whether /proc shows an rtpengine with the options this type starts it with, so that a pid
    /// file naming a recycled pid never gets an unrelated process killed.
    static func isRtpEngineStartedByUs(_ pid: pid_t) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let program = arguments.first, (program as NSString).lastPathComponent == "rtpengine" else { return false }
        return arguments.contains("--config-file=none") && arguments.contains("--foreground")
    }

    static func removePidFile(_ path: String, ifItHolds pid: pid_t) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) == pid
        else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The last lines of rtpengine's log, for error messages.
    static func tail(ofFile path: String, lines: Int = 15) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "(no log at \(path))" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
