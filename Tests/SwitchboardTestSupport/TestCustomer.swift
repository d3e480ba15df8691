import Foundation
import SwitchboardProtocol
import Synchronization

/// A chat widget connection on the customer socket, speaking the wire protocol by hand.
public final class TestCustomer: Sendable {
    public let socket: TestSocket
    private let session = Mutex<(id: String, secret: String)?>(nil)

    private init(socket: TestSocket) { self.socket = socket }

    public static func connect(port: Int, path: String = "/ws/customer") async throws -> TestCustomer {
        TestCustomer(socket: try await TestSocket.open(port: port, path: path))
    }

    public var sessionId: String { session.withLock { $0?.id ?? "" } }
    public var secret: String { session.withLock { $0?.secret ?? "" } }

    /// Starts a session; `extra` is more JSON members, e.g. `,"clientData":"x"`.
    public func start(group: String, nickname: String, extra: String = "") async throws {
        socket.send(#"{"v":1,"type":"start","skillGroupId":"\#(group)","nickname":"\#(nickname)"\#(extra)}"#)
        let started = try await socket.next("started") { $0["type"]?.string == "started" || $0["type"]?.string == "error" }
        guard let id = started["sessionId"]?.string, let secret = started["secret"]?.string else {
            throw TestFailure("start refused: \(started)")
        }
        session.withLock { $0 = (id, secret) }
    }

    /// Sends a message without waiting for its `ack`.
    public func say(_ text: String, clientMessageId: String? = nil) {
        let cid = clientMessageId.map { #","clientMessageId":"\#($0)""# } ?? ""
        socket.send(#"{"v":1,"type":"message","text":"\#(text)"\#(cid)}"#)
    }

    /// Sends a message and waits for the server to store it.
    public func sayAndWait(_ text: String) async throws {
        say(text)
        _ = try await next("ack")
    }

    /// Leaves the chat (`closeBy: client`).
    public func leave() {
        socket.send(#"{"v":1,"type":"leave"}"#)
    }

    /// The next frame of `type`.
    public func next(_ type: String, timeout: Duration = .seconds(10)) async throws -> JSONValue {
        try await socket.next(type, timeout: timeout) { $0["type"]?.string == type }
    }

    /// The next message the agent wrote.
    public func nextAgentMessage(timeout: Duration = .seconds(10)) async throws -> String {
        let frame = try await socket.next("agent message", timeout: timeout) {
            $0["type"]?.string == "message" && $0["from"]?.string == "agent"
        }
        return frame["text"]?.string ?? ""
    }
}
