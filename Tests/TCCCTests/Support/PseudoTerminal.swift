import SwitchboardTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `switchboard` executable run on a pseudo-terminal, driven by keystrokes and read
/// back as a person would see it.
final class TerminalSession: Sendable {
    let process: Process
    private let master: Int32
    private let output = TestBox(Data())

    /// Starts `switchboard` with `arguments` on a new pseudo-terminal of the given size.
    init(arguments: [String], environment: [String: String], columns: Int = 100, rows: Int = 30) throws {
        let master = PTY.openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.ptsname(master) else {
            throw TestFailure("cannot open a pseudo-terminal")
        }
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let replica = String(cString: name)
        guard let terminal = FileHandle(forUpdatingAtPath: replica) else { throw TestFailure("cannot open \(replica)") }

        let process = Process()
        process.executableURL = try Self.executable
        process.arguments = arguments
        process.environment = environment.merging(["TERM": "xterm-256color"]) { given, _ in given }
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        try process.run()
        // Only the child keeps the replica open now, so reads end when it exits.
        try? terminal.close()
        self.process = process
        self.master = master

        let thread = Thread { [output] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                output.withLock { $0.append(contentsOf: buffer[0..<count]) }
            }
        }
        thread.start()
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    /// Types text or keys (`"\r"` for Enter, `"\u{1B}"` for Escape).
    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Everything written to the terminal so far, raw.
    var raw: String { output.withLock { String(decoding: $0, as: UTF8.self) } }

    /// The text written after byte `mark`, with the escape sequences taken out.
    func text(after mark: Int = 0) -> String {
        let bytes = output.withLock { $0.dropFirst(mark) }
        return String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
    }

    /// A mark to wait for text written after it: the bytes written so far.
    var mark: Int { output.withLock { $0.count } }

    /// Waits until `expected` appears in the text written after `mark`.
    func waitFor(_ expected: String, after mark: Int = 0, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if text(after: mark).contains(expected) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let text = text()
        throw TestFailure("the screen did not show '\(expected)' within \(timeout); it showed:\n\(String(text.suffix(3000)))")
    }

    /// Waits for the process to exit; its status.
    func waitForExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw TestFailure("switchboard agent did not exit within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// The terminal's line discipline settings, to check they were put back.
    var settings: termios {
        var settings = termios()
        _ = tcgetattr(master, &settings)
        return settings
    }

    static var executable: URL { get throws { try SwitchboardExecutable.url } }
}

/// The C library's pseudo-terminal calls. Swift's Glibc module leaves them out (they sit behind
/// `_XOPEN_SOURCE`), so they are looked up by name in the C library that is already loaded.
private enum PTY {
    typealias OpenPT = @convention(c) (Int32) -> Int32
    typealias OnMaster = @convention(c) (Int32) -> Int32
    typealias PTSName = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    nonisolated(unsafe) private static let handle = dlopen(nil, RTLD_NOW)

    private static func function<T>(_ name: String, as type: T.Type) -> T {
        guard let symbol = dlsym(handle, name) else { fatalError("\(name) is not in the C library") }
        return unsafeBitCast(symbol, to: type)
    }

    static func openpt(_ flags: Int32) -> Int32 { function("posix_openpt", as: OpenPT.self)(flags) }
    static func grantpt(_ fd: Int32) -> Int32 { function("grantpt", as: OnMaster.self)(fd) }
    static func unlockpt(_ fd: Int32) -> Int32 { function("unlockpt", as: OnMaster.self)(fd) }
    static func ptsname(_ fd: Int32) -> UnsafeMutablePointer<CChar>? { function("ptsname", as: PTSName.self)(fd) }
}
