import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal the workbench draws on: raw mode (keys arrive one by one, unechoed) on the
/// alternate screen, put back as it was by ``restore()`` — on quit, on a signal, and on deinit.
final class Terminal: @unchecked Sendable {
    private let original: termios
    private let lock = NSLock()
    private var restored = false

    /// Switches standard input to raw mode and standard output to the alternate screen.
    init() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("switchboard agent draws a full-screen workbench and needs a terminal on standard input and output")
        }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { throw TerminalError("cannot read the terminal's settings") }
        original = settings
        settings.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        settings.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings) == 0 else { throw TerminalError("cannot switch the terminal to raw mode") }
        write(ANSI.enterAlternateScreen + ANSI.hideCursor + ANSI.clearScreen)
    }

    deinit { restore() }

    /// Leaves the alternate screen and restores the settings the terminal had; safe to call twice.
    func restore() {
        let first = lock.withLock {
            defer { restored = true }
            return !restored
        }
        guard first else { return }
        write(ANSI.resetStyle + ANSI.showCursor + ANSI.leaveAlternateScreen)
        var settings = original
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings)
    }

    /// Columns and rows; 80×24 when the terminal does not say.
    var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Writes text to standard output, all of it.
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                systemWrite(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// The keys typed, until the stream's consumer stops.
    static func keys() -> AsyncStream<KeyPress> {
        AsyncStream { continuation in
            let source = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: DispatchQueue(label: "switchboard.agent.keys"))
            let parser = ParserBox()
            source.setEventHandler {
                var buffer = [UInt8](repeating: 0, count: 1024)
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                guard count > 0 else {
                    // End of input: the terminal is gone.
                    if count == 0 { continuation.yield(.interrupt) }
                    return
                }
                for key in parser.feed(buffer[0..<count]) { continuation.yield(key) }
            }
            let handle = SourceHandle([source])
            continuation.onTermination = { _ in handle.cancel() }
            source.resume()
        }
    }

    /// Signals that should end the workbench (SIGINT, SIGTERM, SIGHUP) or redraw it (SIGWINCH).
    static func signals() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "switchboard.agent.signals")
            let sources = [SIGINT, SIGTERM, SIGHUP, SIGWINCH].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let handle = SourceHandle(sources)
            continuation.onTermination = { _ in handle.cancel() }
        }
    }

    /// Reads a line with echo off (for a password), from a terminal in its normal mode.
    static func readSecret(prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var settings = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &settings) == 0
        var silent = settings
        silent.c_lflag &= ~tcflag_t(ECHO)
        if isTerminal { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) }
        defer {
            if isTerminal { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}

/// The C library's write(2), which `Terminal.write(_:)` would otherwise shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}

/// Dispatch sources to cancel when a stream ends; cancelling is safe from any thread.
private struct SourceHandle: @unchecked Sendable {
    let sources: [any DispatchSourceProtocol]
    init(_ sources: [any DispatchSourceProtocol]) { self.sources = sources }
    func cancel() { for source in sources { source.cancel() } }
}

/// Holds the key parser's state for the read handler, which runs on one serial queue.
private final class ParserBox: @unchecked Sendable {
    private var parser = KeyParser()
    func feed(_ bytes: ArraySlice<UInt8>) -> [KeyPress] { parser.feed(bytes) }
}

/// The terminal cannot be used as the workbench needs.
struct TerminalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The escape sequences the workbench draws with (ECMA-48 / xterm).
enum ANSI {
    static let escape = "\u{1B}["
    static let enterAlternateScreen = "\u{1B}[?1049h"
    static let leaveAlternateScreen = "\u{1B}[?1049l"
    static let hideCursor = "\u{1B}[?25l"
    static let showCursor = "\u{1B}[?25h"
    static let clearScreen = "\u{1B}[2J"
    static let home = "\u{1B}[H"
    static let clearToEndOfLine = "\u{1B}[K"
    static let clearToEndOfScreen = "\u{1B}[J"
    static let resetStyle = "\u{1B}[0m"

    /// Moves the cursor to a 0-based row and column.
    static func moveTo(row: Int, column: Int) -> String { "\u{1B}[\(row + 1);\(column + 1)H" }
}
