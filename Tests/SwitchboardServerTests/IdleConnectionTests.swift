import Foundation
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// Connections that say nothing cannot hold the server's sockets, nor its shutdown: one that
/// sends no request head in time is closed (`--request-head-timeout`), a kept-alive HTTP
/// connection with no next request is closed (`--http-idle-timeout`), and SIGTERM does not wait
/// on either.
@Suite struct IdleConnectionTests {
    @Test func aConnectionThatSendsNoRequestHeadIsClosedAfterTheTimeout() async throws {
        try await TestServer.run(configure: { $0.requestHeadTimeoutSeconds = 1 }) { server in
            // Taken before connecting: both deadlines start when the server accepts, later.
            let started = ContinuousClock.now
            let silent = try await RawWebSocket.connect(port: server.port)
            // Half a head, then nothing: a slow client is held to the same deadline.
            let trickling = try await RawWebSocket.connect(port: server.port)
            try await trickling.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8))
            #expect(try await silent.readUntilClosed(deadline: started + .seconds(10)).isEmpty)
            #expect(try await trickling.readUntilClosed(deadline: started + .seconds(10)).isEmpty)
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(1) && waited < .seconds(5), "closed after \(waited)")
        }
    }

    @Test func theDeadlineEndsWithTheFirstRequestsHead() async throws {
        try await TestServer.run(configure: { $0.requestHeadTimeoutSeconds = 1; $0.httpIdleTimeoutSeconds = 3 }) { server in
            // A WebSocket upgraded within the deadline lives on past it.
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let (token, _) = try await server.components.authenticator.issueToken(for: AgentID("alice"))
            let agent = try await RawWebSocket.connect(port: server.port)
            try await agent.upgrade(path: "/ws/agent")
            try await agent.sendText(#"{"v":1,"type":"hello","token":"\#(token)"}"#)
            _ = try await agent.next("welcome") { $0["type"]?.string == "welcome" }

            // An HTTP connection answers a second request after the head deadline has passed.
            let http = try await RawWebSocket.connect(port: server.port)
            let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
            try await http.send(request)
            let first = try await http.read(through: "\r\n\r\n", deadline: .now + .seconds(10))
            #expect(first.hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(1500))
            // The idle timer starts when the response is written, after this: taken once the
            // response is read, the clock started late by however long the read waited under load.
            let idleFrom = ContinuousClock.now
            try await http.send(request)
            let second = try await http.read(through: "\r\n\r\n", deadline: .now + .seconds(10))
            #expect(second.contains("HTTP/1.1 200"), "\(second)")

            // The socket still answers a ping past the deadline.
            try await agent.send(RawWebSocket.controlFrame(0x9, Array("alive".utf8)))
            var pong: RawWebSocket.Frame?
            while pong == nil, let frame = try await agent.nextFrame() {
                if frame.opcode == 0xA { pong = frame }
            }
            #expect(pong?.text == "alive")

            // With no next request the kept-alive connection is closed after the idle timeout.
            _ = try await http.readUntilClosed(deadline: idleFrom + .seconds(15))
            let idle = ContinuousClock.now - idleFrom
            #expect(idle >= .milliseconds(2900) && idle < .seconds(10), "closed after \(idle)")
            try await agent.send(RawWebSocket.closeFrame)
            agent.close()
        }
    }

    @Test func timeoutsOutsideTheirRangesAreRefused() throws {
        var configuration = ServerConfiguration()
        try configuration.validate()
        for wrong in [0, -1, 601] {
            var bad = configuration
            bad.requestHeadTimeoutSeconds = wrong
            let error = #expect(throws: ConfigurationError.self) { try bad.validate() }
            #expect(error?.description == "the request head timeout must be 1 to 600 seconds, not \(wrong)")
        }
        for wrong in [0, 3601] {
            var bad = configuration
            bad.httpIdleTimeoutSeconds = wrong
            let error = #expect(throws: ConfigurationError.self) { try bad.validate() }
            #expect(error?.description == "the HTTP idle timeout must be 1 to 3600 seconds, not \(wrong)")
        }
        configuration.requestHeadTimeoutSeconds = 600
        configuration.httpIdleTimeoutSeconds = 1
        try configuration.validate()
    }

    /// The real executable: SIGTERM with silent connections open (no request yet, and half a
    /// head) exits at once, without waiting for their deadline. It used to wait for ever.
    @Test func shutdownDoesNotWaitForConnectionsThatSentNothing() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-idle-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let process = try await ServerProcess.start(dataDirectory: dataDirectory, arguments: ["--request-head-timeout", "600"])
        defer { process.kill() }
        var held: [RawWebSocket] = []
        for _ in 0..<3 { held.append(try await RawWebSocket.connect(port: process.port)) }
        let trickling = try await RawWebSocket.connect(port: process.port)
        try await trickling.send(Array("GET /healthz HTTP/1.1\r\n".utf8))
        held.append(trickling)
        // The server has accepted them all before it is told to stop.
        try await AdminClient(port: process.port).expect(200, .get, "/healthz")
        let started = ContinuousClock.now
        #expect(try await process.terminate() == 0)
        let took = ContinuousClock.now - started
        #expect(took < .seconds(10), "SIGTERM took \(took)")
        for socket in held {
            #expect(try await socket.readUntilClosed(deadline: .now + .seconds(5)).isEmpty)
        }
    }
}
