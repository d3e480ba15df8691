import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import SwitchboardProtocol

/// Frames received on a test socket, waited for by predicate. Shared by the server and SDK tests
/// (a test target cannot import another), so everything here is public.
public actor Inbox {
    public private(set) var frames: [JSONValue] = []
    public private(set) var raw: [String] = []
    private var consumed = 0
    public private(set) var closed = false

    public func append(_ text: String) {
        raw.append(text)
        frames.append((try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text))
    }

    public func close() { closed = true }

    /// Takes the first unconsumed frame matching `predicate`, skipping (and keeping) others.
    public func take(where predicate: (JSONValue) -> Bool) -> JSONValue? {
        for index in consumed..<frames.count where predicate(frames[index]) {
            let frame = frames.remove(at: index)
            raw.remove(at: index)
            return frame
        }
        return nil
    }
}

/// A WebSocket client for tests: frames in an inbox, sends from any task.
public final class TestSocket: Sendable {
    public let frames: Inbox
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<Void, Never>

    private init(frames: Inbox, outgoing: AsyncStream<String>.Continuation, task: Task<Void, Never>) {
        self.frames = frames
        self.outgoing = outgoing
        self.task = task
    }

    public static func open(port: Int, path: String) async throws -> TestSocket {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let inbox = Inbox()
        let task = Task {
            var logger = Logger(label: "test-socket")
            logger.logLevel = .warning
            _ = try? await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)\(path)", configuration: .init(maxFrameSize: 4 << 20), logger: logger
            ) { inbound, outbound, _ in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in stream {
                            if text == "\u{0}close" { try? await outbound.close(.normalClosure, reason: nil); break }
                            try? await outbound.write(.text(text))
                        }
                    }
                    do {
                        for try await message in inbound.messages(maxSize: 4 << 20) {
                            if case .text(let text) = message { await inbox.append(text) }
                        }
                    } catch {}
                    await inbox.close()
                    group.cancelAll()
                }
            }
            await inbox.close()
        }
        return TestSocket(frames: inbox, outgoing: continuation, task: task)
    }

    public func send(_ text: String) { outgoing.yield(text) }

    public func close() { outgoing.yield("\u{0}close") }

    /// Waits up to `timeout` for a frame matching `predicate`.
    public func next(_ description: String, timeout: Duration = .seconds(10), where predicate: @Sendable (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let frame = await frames.take(where: predicate) { return frame }
            try await Task.sleep(for: .milliseconds(10))
        }
        let seen = await frames.raw
        throw TestFailure("no \(description) within \(timeout); unconsumed frames: \(seen.joined(separator: "\n"))")
    }

    /// The first frame received so far that matches `predicate`, without waiting.
    public func received(where predicate: @Sendable (JSONValue) -> Bool) async -> JSONValue? {
        await frames.take(where: predicate)
    }

    /// True if no frame matching `predicate` arrives within `window`.
    public func expectNone(_ window: Duration = .milliseconds(300), where predicate: @Sendable (JSONValue) -> Bool) async throws -> Bool {
        try await Task.sleep(for: window)
        return await frames.take(where: predicate) == nil
    }

    /// Waits until the server closes the socket.
    public func waitClosed(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await frames.closed { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("the server did not close the socket within \(timeout)")
    }

    deinit { outgoing.finish() }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension JSONValue {
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var int: Int? { if case .integer(let value) = self { Int(value) } else { nil } }
    public var keys: Set<String> { if case .object(let members) = self { Set(members.keys) } else { [] } }
    public var arrayValue: [JSONValue] { if case .array(let elements) = self { elements } else { [] } }
}

/// The built `switchboard` executable, for tests that run it as a person would.
public enum SwitchboardExecutable {
    /// Next to the test bundle (`swift build` puts it there; `.ci/run` builds first).
    public static var url: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("switchboard")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
            let fallback = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/switchboard")
            if FileManager.default.isExecutableFile(atPath: fallback.path) { return fallback }
            throw TestFailure("the switchboard executable is not built; run `swift build` first")
        }
    }
}
