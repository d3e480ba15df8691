import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// The agent and customer sockets' WebSocket layer (served by channel handlers) over a real
/// socket, byte by byte: fragments, pings, the hello timeout, a client's close.
@Suite struct NativeSocketWireTests {
    /// A masked client frame; `fin` false leaves the message open for continuations (opcode 0).
    static func frame(_ opcode: UInt8, fin: Bool, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        precondition(payload.count < 126)
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        return [(fin ? 0x80 : 0) | opcode, 0x80 | UInt8(payload.count)] + mask
            + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    /// `text` sent as three fragments: text, continuation, final continuation.
    static func fragmented(_ text: String) -> [UInt8] {
        let characters = Array(text)
        let third = characters.count / 3
        return frame(0x1, fin: false, String(characters[..<third]))
            + frame(0x0, fin: false, String(characters[third..<(2 * third)]))
            + frame(0x0, fin: true, String(characters[(2 * third)...]))
    }

    @Test func aHelloInFragmentsLogsInAndAPingIsAnswered() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (token, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let socket = try await RawWebSocket.connect(port: server.port)
            try await socket.upgrade(path: "/ws/agent")
            try await socket.send(Self.fragmented(#"{"v":1,"type":"hello","token":"\#(token)"}"#))
            let welcome = try await socket.next("welcome") { $0["type"]?.string == "welcome" }
            #expect(welcome["userId"]?.string == "alice")
            _ = try await socket.next("ready") { $0["name"]?.string == "ready" }

            try await socket.send(RawWebSocket.controlFrame(0x9, Array("still there?".utf8)))
            var pong: RawWebSocket.Frame?
            while pong == nil, let frame = try await socket.nextFrame() {
                if frame.opcode == 0xA { pong = frame }
            }
            #expect(pong?.text == "still there?")

            // A polite close is answered with the same code, and the connection recorded as gone.
            try await socket.send(RawWebSocket.closeFrame)
            var close: RawWebSocket.Frame?
            while close == nil, let frame = try await socket.nextFrame() {
                if frame.opcode == 0x8 { close = frame }
            }
            #expect(close?.payload.prefix(2) == [0x03, 0xE8])
            socket.close()
            let deadline = ContinuousClock.now + .seconds(10)
            while await server.components.routing.read({ !($0.agents[AgentID("alice")]?.connections.isEmpty ?? true) }),
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await server.components.routing.read { $0.agents[AgentID("alice")]?.connections.isEmpty == true })
        }
    }

    @Test func aSocketWithoutAHelloIsToldAndClosedAfterTheTimeout() async throws {
        try await TestServer.run(configure: { $0.helloTimeoutSeconds = 1 }) { server in
            let socket = try await RawWebSocket.connect(port: server.port)
            try await socket.upgrade(path: "/ws/agent")
            let started = ContinuousClock.now
            let error = try await socket.next("error") { $0["type"]?.string == "error" }
            #expect(error["code"]?.string == "notAuthenticated")
            #expect(error["message"]?.string == "no hello within 1 seconds")
            #expect(ContinuousClock.now - started < .seconds(5))
            var close: RawWebSocket.Frame?
            while close == nil, let frame = try await socket.nextFrame() {
                if frame.opcode == 0x8 { close = frame }
            }
            #expect(close?.payload.prefix(2) == [0x03, 0xF0], "1008, policy violation")
            socket.close()
        }
    }

    @Test func aCustomersStartInFragmentsStartsTheSession() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: [])
            let socket = try await RawWebSocket.connect(port: server.port)
            try await socket.upgrade(path: "/ws/customer")
            try await socket.send(Self.fragmented(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Fragmented Fran"}"#))
            let started = try await socket.next("started") { $0["type"]?.string == "started" }
            let session = try #require(started["sessionId"]?.string)
            #expect(await server.components.routing.read { $0.sessions[SessionID(session)] != nil })
            socket.close()
        }
    }
}
