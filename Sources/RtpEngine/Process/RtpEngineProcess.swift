#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import NIOCore
import Synchronization

/// An rtpengine daemon this server started and watches: userspace forwarding only, its ng port
/// on the loopback, its pid in a pid file so a later start can clean up after a crash.
///
/// ```swift
/// let engine = try await RtpEngineProcess.start(.init(stateDirectory: "/var/lib/switchboard"))
/// let client = try await RtpEngineClient.connect(to: .init(ngAddress: engine.ngAddress))
/// // in a Service's run(): let exit = await engine.waitForExit(); if !exit.wasRequested { end calls }
/// try await engine.stop()
/// ```
public final class RtpEngineProcess: Sendable {
    /// How to start rtpengine.
    public struct Configuration: Sendable {
        /// The rtpengine program (Debian: package `rtpengine-daemon`).
        public var executablePath = "/usr/bin/rtpengine"
        /// The local address media is sent from and received on (`--interface`).
        public var mediaAddress = "127.0.0.1"
        /// The address written into SDP when media reaches this host through NAT
        /// (`--interface=<media>!<public>`); nil when `mediaAddress` is reachable as it is.
        public var publicAddress: String?
        /// The loopback port of the ng control socket (`--listen-ng=127.0.0.1:<port>`).
        public var ngPort = 2223
        /// The UDP ports media may use (`--port-min`, `--port-max`); each call leg takes two.
        public var mediaPorts: ClosedRange<Int> = 30000...30999
        /// The loopback port rtpengine sends caller digits to as JSON (`--dtmf-log-dest`); nil for none.
        public var dtmfLogPort: Int? = nil
        /// Where the pid file (`rtpengine.pid`) and rtpengine's log (`rtpengine.log`) are kept.
        public var stateDirectory: String
        /// How long rtpengine may take to answer its first `ping`.
        public var startTimeout: Duration = .seconds(10)
        /// How long rtpengine may take to exit after SIGTERM before it is sent SIGKILL.
        public var stopTimeout: Duration = .seconds(5)
        /// The spool directory rtpengine writes call recordings to (`--recording-dir`, method
        /// `pcap`: one capture of the received RTP per `start recording` ... `stop recording`, in
        /// its `pcaps/` folder); nil: recording is off. The kernel module is not used, so the
        /// `proc` method (and `rtpengine-recording`, which reads it) is not available.
        public var recordingDirectory: String? = nil
        /// More options, appended as given (e.g. `--log-level=7`, `--delete-delay=0`).
        public var extraArguments: [String] = []

        /// The defaults, keeping the pid file and log in `stateDirectory`.
        public init(stateDirectory: String) {
            self.stateDirectory = stateDirectory
        }

        /// The command-line options, as phone-media.md prescribes (never `--no-fallback`: that
        /// demands the kernel module, which a container does not have).
        public var arguments: [String] {
            var arguments = [
                "--config-file=none",
                "--table=-1",
                "--interface=\(mediaAddress)\(publicAddress.map { "!\($0)" } ?? "")",
                "--listen-ng=127.0.0.1:\(ngPort)",
                "--port-min=\(mediaPorts.lowerBound)",
                "--port-max=\(mediaPorts.upperBound)",
                "--foreground",
                "--log-stderr",
            ]
            if let dtmfLogPort { arguments.append("--dtmf-log-dest=127.0.0.1:\(dtmfLogPort)") }
            if let recordingDirectory {
                // `raw`: IP packets without a made-up Ethernet header (pcap link type 101).
                arguments += ["--recording-dir=\(recordingDirectory)", "--recording-method=pcap", "--recording-format=raw"]
            }
            return arguments + extraArguments
        }

        var pidFilePath: String { (stateDirectory as NSString).appendingPathComponent("rtpengine.pid") }
        var logFilePath: String { (stateDirectory as NSString).appendingPathComponent("rtpengine.log") }
    }

    /// How rtpengine ended.
    public struct Exit: Sendable, CustomStringConvertible {
        /// The exit code, or nil if a signal ended it.
        public var exitCode: Int32?
        /// The signal that ended it, if any.
        public var signal: Int32?
        /// Whether `stop()` asked for it; if not, its calls have lost their media.
        public var wasRequested: Bool
        /// The end of rtpengine's log, which usually says why it stopped.
        public var logTail: String

        /// A sentence for logs and /readyz.
        public var description: String {
            let how = signal.map { "was killed by signal \($0)" } ?? "exited with code \(exitCode ?? -1)"
            return "rtpengine \(how)\(wasRequested ? "" : " unexpectedly")"
        }
    }

    /// The configuration it was started with.
    public let configuration: Configuration
    /// rtpengine's process id.
    public let pid: pid_t
    /// Where its ng control socket listens.
    public let ngAddress: SocketAddress

    private struct State {
        var exit: Exit?
        var stopRequested = false
        /// Off until `start` returns: an exit while starting is reported by `start` throwing.
        var isStarted = false
        var waiters: [CheckedContinuation<Exit, Never>] = []
    }

    private let state = Mutex(State())
    private let logger: Logger
    private let onUnexpectedExit: (@Sendable (Exit) -> Void)?

    private init(configuration: Configuration, pid: pid_t, ngAddress: SocketAddress, logger: Logger, onUnexpectedExit: (@Sendable (Exit) -> Void)?) {
        self.configuration = configuration
        self.pid = pid
        self.ngAddress = ngAddress
        self.logger = logger
        self.onUnexpectedExit = onUnexpectedExit
    }

    /// Whether it is still running.
    public var isRunning: Bool { state.withLock { $0.exit == nil } }

    /// Waits until rtpengine has exited (at once if it already has).
    public func waitForExit() async -> Exit {
        await withCheckedContinuation { continuation in
            let exit = state.withLock { state -> Exit? in
                if let exit = state.exit { return exit }
                state.waiters.append(continuation)
                return nil
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }

    /// Stops rtpengine: SIGTERM, then SIGKILL after `stopTimeout`; returns once it has exited.
    /// rtpengine ends every call it holds, so end them in signalling first.
    @discardableResult
    public func stop() async throws(RtpEngineError) -> Exit {
        let alreadyExited = state.withLock { state -> Exit? in
            state.stopRequested = true
            return state.exit
        }
        if let alreadyExited { return alreadyExited }
        kill(pid, SIGTERM)
        if let exit = await exit(within: configuration.stopTimeout) { return exit }
        logger.warning("rtpengine did not stop after SIGTERM; sending SIGKILL", metadata: ["pid": "\(pid)"])
        kill(pid, SIGKILL)
        if let exit = await exit(within: .seconds(5)) { return exit }
        throw RtpEngineError(.process, "rtpengine (pid \(pid)) survived SIGKILL; it may be stuck in the kernel; check `ps -o stat -p \(pid)`")
    }

    /// Polls rather than racing a waiter against a timer, so a timeout leaves no waiter behind.
    private func exit(within timeout: Duration) async -> Exit? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let exit = state.withLock({ $0.exit }) { return exit }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return state.withLock { $0.exit }
    }

    /// Called on the waiting thread when waitpid returns.
    private func recordExit(status: Int32) {
        let signalled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        var exit = Exit(
            exitCode: signalled ? nil : (status >> 8) & 0xFF,
            signal: signalled ? status & 0x7F : nil,
            wasRequested: false,
            logTail: RtpEngineProcess.tail(ofFile: configuration.logFilePath)
        )
        let (waiters, isStarted) = state.withLock { state in
            exit.wasRequested = state.stopRequested
            state.exit = exit
            defer { state.waiters = [] }
            return (state.waiters, state.isStarted)
        }
        RtpEngineProcess.removePidFile(configuration.pidFilePath, ifItHolds: pid)
        if exit.wasRequested {
            logger.info("rtpengine stopped", metadata: ["pid": "\(pid)"])
        } else if isStarted {
            logger.error("\(exit)", metadata: ["pid": "\(pid)", "log": "\(exit.logTail)"])
            // Before the waiters, so whoever awaits the exit also sees the report.
            onUnexpectedExit?(exit)
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }
}

extension RtpEngineProcess {
    /// Starts rtpengine and returns once it answers `ping`.
    ///
    /// First kills an rtpengine left running by an earlier run of this server (found through the
    /// pid file in `stateDirectory`, and only if `/proc` shows it is rtpengine started our way).
    /// rtpengine is spawned through `setpriv --pdeathsig SIGTERM` (util-linux) when that exists, so
    /// it is ended even if this server is SIGKILLed; the pid-file cleanup covers the rest.
    /// - Parameter onUnexpectedExit: called (on a background thread) if rtpengine exits without
    ///   `stop()` having been called, so the server can end its calls and report it in /readyz.
    public static func start(
        _ configuration: Configuration,
        logger: Logger = Logger(label: "switchboard.rtpengine"),
        onUnexpectedExit: (@Sendable (Exit) -> Void)? = nil
    ) async throws(RtpEngineError) -> RtpEngineProcess {
        guard FileManager.default.isExecutableFile(atPath: configuration.executablePath) else {
            throw RtpEngineError(.process, "rtpengine is not installed at \(configuration.executablePath): install it with `apt-get install rtpengine-daemon rtpengine-utils` (Debian 12 ships 10.5)")
        }
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RtpEngineError(.process, "cannot create the directory \(configuration.stateDirectory) for rtpengine's pid file and log", underlying: error)
        }
        await killStaleProcess(configuration: configuration, logger: logger)

        let ngAddress: SocketAddress
        do {
            ngAddress = try SocketAddress(ipAddress: "127.0.0.1", port: configuration.ngPort)
        } catch {
            throw RtpEngineError(.process, "ng port \(configuration.ngPort) is not a valid port", underlying: error)
        }
        let process = try await spawnAndWatch(configuration: configuration, logger: logger) { pid in
            RtpEngineProcess(configuration: configuration, pid: pid, ngAddress: ngAddress, logger: logger, onUnexpectedExit: onUnexpectedExit)
        } onExit: { process, status in
            process.recordExit(status: status)
        }
        do {
            try "\(process.pid)\n".write(toFile: configuration.pidFilePath, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: configuration.pidFilePath)
        } catch {
            _ = try? await process.stop()
            throw RtpEngineError(.process, "cannot write rtpengine's pid file \(configuration.pidFilePath)", underlying: error)
        }
        logger.info("rtpengine started", metadata: ["pid": "\(process.pid)", "arguments": "\(configuration.arguments.joined(separator: " "))"])
        do {
            try await process.waitUntilAnswering()
        } catch {
            _ = try? await process.stop()
            throw error
        }
        let exitedMeanwhile = process.state.withLock { state -> Exit? in
            state.isStarted = true
            return state.exit
        }
        // It could die between the first pong and here; the report must not be lost.
        if let exitedMeanwhile, !exitedMeanwhile.wasRequested { onUnexpectedExit?(exitedMeanwhile) }
        return process
    }

    /// Pings until rtpengine answers, failing early if it exits (a taken port, a bad option).
    private func waitUntilAnswering() async throws(RtpEngineError) {
        var clientConfiguration = RtpEngineClient.Configuration(ngAddress: ngAddress)
        clientConfiguration.timeout = .milliseconds(500)
        clientConfiguration.retryInterval = .milliseconds(100)
        let client = try await RtpEngineClient.connect(to: clientConfiguration, logger: logger)
        let failure = await firstPing(through: client)
        await client.close()
        if let failure { throw failure }
    }

    private func firstPing(through client: RtpEngineClient) async -> RtpEngineError? {
        let deadline = ContinuousClock.now + configuration.startTimeout
        while true {
            if let exit = state.withLock({ $0.exit }) {
                return RtpEngineError(.process, "rtpengine exited while starting (\(exit)); its log ends with:\n\(exit.logTail)")
            }
            do {
                try await client.ping()
                return nil
            } catch where error.code == .timeout && ContinuousClock.now < deadline {
                continue
            } catch {
                return RtpEngineError(
                    .process,
                    "rtpengine (pid \(pid)) did not answer ping on 127.0.0.1:\(configuration.ngPort) within \(configuration.startTimeout); its log (\(configuration.logFilePath)) ends with:\n\(RtpEngineProcess.tail(ofFile: configuration.logFilePath))",
                    underlying: error
                )
            }
        }
    }
}
