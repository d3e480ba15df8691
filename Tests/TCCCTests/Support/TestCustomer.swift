import Foundation
import SwitchboardProtocol
import Synchronization
import SwitchboardTestSupport

/// A chat widget connection on the customer socket, speaking the wire protocol by hand.
final class TestCustomer: Sendable {
    let socket: TestSocket
    private let session = Mutex<(id: String, secret: String)?>(nil)

    private init(socket: TestSocket) { self.socket = socket }

    static func connect(port: Int) async throws -> TestCustomer {
        TestCustomer(socket: try await TestSocket.open(port: port, path: "/ws/customer"))
    }

    var sessionId: String { session.withLock { $0?.id ?? "" } }

    /// Starts a session; `extra` is more JSON members, e.g. `,"clientData":"x"`.
    func start(group: String, nickname: String, extra: String = "") async throws {
        socket.send(#"{"v":1,"type":"start","skillGroupId":"\#(group)","nickname":"\#(nickname)"\#(extra)}"#)
        let started = try await socket.next("started") { $0["type"]?.string == "started" || $0["type"]?.string == "error" }
        guard let id = started["sessionId"]?.string, let secret = started["secret"]?.string else {
            throw TestFailure("start refused: \(started)")
        }
        session.withLock { $0 = (id, secret) }
    }

    /// Sends a message and waits for the server to store it.
    func say(_ text: String) async throws {
        socket.send(#"{"v":1,"type":"message","text":"\#(text)"}"#)
        _ = try await next("ack")
    }

    /// Leaves the chat (`closeBy: client`).
    func leave() {
        socket.send(#"{"v":1,"type":"leave"}"#)
    }

    /// The next frame of `type`.
    func next(_ type: String, timeout: Duration = .seconds(10)) async throws -> JSONValue {
        try await socket.next(type, timeout: timeout) { $0["type"]?.string == type }
    }

    /// The next message the agent wrote.
    func nextAgentMessage(timeout: Duration = .seconds(10)) async throws -> String {
        let frame = try await socket.next("agent message", timeout: timeout) {
            $0["type"]?.string == "message" && $0["from"]?.string == "agent"
        }
        return frame["text"]?.string ?? ""
    }
}
