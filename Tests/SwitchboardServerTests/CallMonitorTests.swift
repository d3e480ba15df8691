import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// A supervisor listening in on a call: the server relays the monitor's signalling between the
/// agent's socket and the supervisor's event stream, and ends the monitor with the call.
@Suite("Listening in on calls")
struct CallMonitorTests {
    static let line = SkillGroup(id: "line", name: "Help line", offerTimeoutSeconds: 30)

    /// Reads a server-sent event stream with curl, as a browser's EventSource would.
    final class EventStream: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        init(port: Int, path: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "-sN", "--max-time", "20", "-H", "Authorization: Bearer \(TestServer.adminKey)",
                                 "-H", "Accept: text/event-stream", "http://127.0.0.1:\(port)\(path)"]
            process.standardOutput = output
            try process.run()
        }
        /// Everything read once curl ended.
        func finish() -> String {
            process.waitUntilExit()
            return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        func stop() { process.terminate() }
    }

    @Test func aSupervisorListensInAndTheMonitorEndsWithTheCall() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(Self.line, agents: ["alice"])
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let customer = try await TestCustomer.connect(port: server.port)
            try await customer.start(group: "line", nickname: "Cal", extra: #","sessionType":"voip""#)
            let session = customer.sessionId
            _ = try await alice.event("callIn", session: session)

            // Not answered yet: refused, and a chat is never a call.
            let early = try await server.api(.post, "/api/v1/sessions/\(session)/monitors", #"{"mode":"listen"}"#)
            #expect(early.status == .conflict && early.json["error"]["code"].string == "notAnsweredCall", "\(early.json)")
            try await alice.call("Call.accept", ["sessionId": .string(session)])
            let badMode = try await server.api(.post, "/api/v1/sessions/\(session)/monitors", #"{"mode":"shout"}"#)
            #expect(badMode.status == .badRequest && badMode.json["error"]["message"].string?.contains("listen, whisper, barge") == true)
            let unknown = try await server.api(.post, "/api/v1/sessions/s-999/monitors", #"{}"#)
            #expect(unknown.status == .notFound)

            let created = try await server.api(.post, "/api/v1/sessions/\(session)/monitors", #"{"mode":"listen"}"#)
            #expect(created.status == .created && created.json["agentId"].string == "alice", "\(created.json)")
            let id = try #require(created.json["monitorId"].string)

            // Opening the stream tells the agent's page, which offers to the supervisor's.
            let stream = try EventStream(port: server.port, path: "/api/v1/monitors/\(id)/events")
            let told = try await alice.socket.next("monitor") { $0["type"]?.string == "monitor" }
            #expect(told["monitorId"]?.string == id && told["sessionId"]?.string == session && told["mode"]?.string == "listen")
            alice.socket.send(#"{"v":1,"type":"monitorSignal","monitorId":"\#(id)","signal":{"kind":"offer","sdp":"v=0 agent offer"}}"#)
            // The supervisor answers; the agent's socket gets it.
            let answer = try await server.api(.post, "/api/v1/monitors/\(id)/signals", #"{"kind":"answer","sdp":"v=0 supervisor answer"}"#)
            #expect(answer.status == .noContent, "\(answer.json)")
            let relayed = try await alice.socket.next("monitorSignal") { $0["type"]?.string == "monitorSignal" }
            #expect(relayed["signal"]?["sdp"]?.string == "v=0 supervisor answer")
            let hold = try await server.api(.post, "/api/v1/monitors/\(id)/signals", #"{"kind":"hold"}"#)
            #expect(hold.status == .badRequest)
            // Barge: the agent's page is told the new mode.
            let barge = try await server.api(.put, "/api/v1/monitors/\(id)", #"{"mode":"barge"}"#)
            #expect(barge.status == .ok && barge.json["mode"].string == "barge")
            let changed = try await alice.socket.next("barge") { $0["type"]?.string == "monitor" }
            #expect(changed["mode"]?.string == "barge")
            // Another agent's socket cannot speak for the monitor.
            alice.socket.send(#"{"v":1,"type":"monitorSignal","monitorId":"mon-nope","signal":{"kind":"candidate","candidate":{"candidate":""}}}"#)
            let refused = try await alice.socket.next("error") { $0["type"]?.string == "error" }
            #expect(refused["message"]?.string?.contains("mon-nope") == true)

            // The call ends: the stream says so and closes; the agent's page is told to drop it.
            try await alice.call("Call.hungUp", ["sessionId": .string(session)])
            let ended = try await alice.socket.next("ended") { $0["type"]?.string == "monitor" && $0["mode"]?.string == "ended" }
            #expect(ended["monitorId"]?.string == id)
            let text = stream.finish()
            #expect(text.contains("event: signal") && text.contains("v=0 agent offer"), "\(text)")
            #expect(text.contains("event: ended") && text.contains("the call ended"), "\(text)")
            #expect(try await server.api(.delete, "/api/v1/monitors/\(id)").status == .notFound)
            let reopened = try await server.http(.get, "/api/v1/monitors/\(id)/events", headers: [.authorization: "Bearer \(TestServer.adminKey)"])
            #expect(reopened.status == .notFound)
        }
    }

    @Test func aChatCannotBeListenedInOnAndStoppingEndsTheMonitor() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(Self.line, agents: ["alice", "bob"])
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let chat = try await server.customer(group: "line")
            _ = try await alice.event("callIn", session: chat.sessionId)
            try await alice.call("Chat.accept", ["sessionId": .string(chat.sessionId)])
            let refused = try await server.api(.post, "/api/v1/sessions/\(chat.sessionId)/monitors", #"{}"#)
            #expect(refused.status == .conflict && refused.json["error"]["message"].string?.contains("not a call") == true)

            // Bob takes a call (Alice, in a chat, gets no voice call).
            let bob = try await server.agent("bob")
            try await bob.call("Agent.online")
            let caller = try await TestCustomer.connect(port: server.port)
            try await caller.start(group: "line", nickname: "Cal", extra: #","sessionType":"voip""#)
            _ = try await bob.event("callIn", session: caller.sessionId)
            try await bob.call("Call.accept", ["sessionId": .string(caller.sessionId)])
            let id = try #require(try await server.api(.post, "/api/v1/sessions/\(caller.sessionId)/monitors", #"{}"#).json["monitorId"].string)
            let stream = try EventStream(port: server.port, path: "/api/v1/monitors/\(id)/events")
            _ = try await bob.socket.next("monitor") { $0["type"]?.string == "monitor" }
            #expect(try await server.api(.delete, "/api/v1/monitors/\(id)").status == .noContent)
            let ended = try await bob.socket.next("ended") { $0["type"]?.string == "monitor" && $0["mode"]?.string == "ended" }
            #expect(ended["monitorId"]?.string == id)
            #expect(stream.finish().contains("the supervisor stopped"))
        }
    }
}
