import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Synchronization
import Testing

/// An agent and a customer that read their sockets a few bytes at a time, through a tiny receive
/// buffer, while megabytes of frames are addressed to them (more than the kernel buffers, so the
/// server's writers to them wait): everyone else is served as usual, and the slow ones get
/// everything, in order, once they read faster.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
    /// Reads one raw socket slowly (16 bytes every 10 ms) until told to speed up, keeping the
    /// text frames it got; answers the server's pings.
    final class SlowReader: Sendable {
        let socket: RawWebSocket
        let fast = Atomic<Bool>(false)
        let frames = Mutex<[JSONValue]>([])

        init(_ socket: RawWebSocket) { self.socket = socket }

        /// Reads until `done` holds for the frames so far, or the socket closes.
        func run(until done: @escaping @Sendable ([JSONValue]) -> Bool) async throws {
            while !frames.withLock({ done($0) }) {
                while let frame = socket.bufferedFrame() {
                    switch frame.opcode {
                    case 0x1:
                        let value = try JSONDecoder().decode(JSONValue.self, from: Data(frame.payload))
                        frames.withLock { $0.append(value) }
                    case 0x9: try await socket.send(RawWebSocket.controlFrame(0xA, frame.payload))
                    case 0x8: throw TestFailure("the server closed the slow client's socket")
                    default: break
                    }
                }
                if frames.withLock({ done($0) }) { return }
                let isFast = fast.load(ordering: .relaxed)
                guard try await socket.read(atMost: isFast ? 1 << 16 : 16, until: .now + .seconds(30)) else {
                    throw TestFailure("the slow client's socket closed")
                }
                if !isFast { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
    }

    @Test func slowReadersDoNotHoldUpTheOthers() async throws {
        try await TestServer.run(configure: { $0.customerFrameRate = 1000; $0.agentFrameRate = 1000; $0.customers.messagesPerMinute = 0 }) { server in
            try await server.givenGroup(SkillGroup(id: "slowlane", offerTimeoutSeconds: 600), agents: ["slowpoke"])
            try await server.givenGroup(SkillGroup(id: "writes", offerTimeoutSeconds: 600), agents: ["writer"])
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 600), agents: ["quick"])
            // 300 messages of 7,000 four-byte characters: 8.4 MB for each slow reader, twice what
            // the kernel buffers for a socket at most, so most of it waits in the server.
            let burst = 300
            let padding = String(repeating: "🐢", count: 7000)
            let kernelBuffer = try String(contentsOfFile: "/proc/sys/net/ipv4/tcp_wmem", encoding: .utf8)
                .split(whereSeparator: \.isWhitespace).last.flatMap { Int($0) } ?? 0
            try #require(burst * padding.utf8.count > 2 * kernelBuffer, "the socket send buffers (\(kernelBuffer) bytes) would hold the whole burst")

            // The slow agent logs in and accepts a chat at normal speed.
            let slowAgent = try await RawWebSocket.connect(port: server.port, receiveBuffer: 4096)
            try await slowAgent.upgrade(path: "/ws/agent")
            try await slowAgent.sendText(#"{"v":1,"type":"hello","userId":"slowpoke","password":"pw-slowpoke"}"#)
            _ = try await slowAgent.next("ready") { $0["name"]?.string == "ready" }
            try await slowAgent.sendText(#"{"v":1,"type":"request","id":"r-1","method":"Agent.online"}"#)
            _ = try await slowAgent.next("the online response") { $0["id"]?.string == "r-1" }
            let flooder = try await server.customer(group: "slowlane", nickname: "Flood")
            _ = try await slowAgent.next("callIn") { $0["name"]?.string == "callIn" }
            try await slowAgent.sendText(#"{"v":1,"type":"request","id":"r-2","method":"Chat.accept","params":{"sessionId":"\#(flooder.sessionId)"}}"#)
            let accepted = try await slowAgent.next("the accept response") { $0["id"]?.string == "r-2" }
            #expect(accepted["status"]?.string == "success", "\(accepted)")

            // The slow customer starts a chat that an agent accepts.
            let slowCustomer = try await RawWebSocket.connect(port: server.port, receiveBuffer: 4096)
            try await slowCustomer.upgrade(path: "/ws/customer")
            try await slowCustomer.sendText(#"{"v":1,"type":"start","skillGroupId":"writes","nickname":"Slow"}"#)
            let slowSession = try #require(try await slowCustomer.next("started") { $0["type"]?.string == "started" }["sessionId"]?.string)
            let writer = try await server.agent("writer")
            try await writer.call("Agent.online")
            _ = try await writer.event("callIn", session: slowSession)
            try await writer.call("Chat.accept", ["sessionId": .string(slowSession)])
            _ = try await slowCustomer.next("agentJoined") { $0["type"]?.string == "agentJoined" }

            // From here both read 16 bytes every 10 ms.
            let agentReader = SlowReader(slowAgent)
            let customerReader = SlowReader(slowCustomer)
            let messagesFor: @Sendable ([JSONValue]) -> [JSONValue] = { frames in
                frames.filter { $0["name"]?.string == "message" || ($0["type"]?.string == "message" && $0["from"]?.string == "agent") }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await agentReader.run { messagesFor($0).count >= burst } }
                group.addTask { try await customerReader.run { messagesFor($0).count >= burst } }

                // A burst to each slow reader; the senders are answered as usual.
                for index in 0..<burst { flooder.say("c\(index) \(padding)", clientMessageId: "c-\(index)") }
                for _ in 0..<burst { _ = try await flooder.next("ack") }
                for index in 0..<burst {
                    try await writer.call("Chat.sendMessage", ["sessionId": .string(slowSession), "text": .string("a\(index) \(padding)")])
                }

                // Everyone else is served: a ping, a new chat routed, accepted, and messages both ways.
                let quick = try await server.agent("quick")
                try await quick.call("Agent.online")
                try await quick.call("ping")
                let eve = try await server.customer(group: "sales", nickname: "Eve")
                _ = try await quick.event("callIn", session: eve.sessionId)
                try await quick.call("Chat.accept", ["sessionId": .string(eve.sessionId)])
                _ = try await eve.next("agentJoined")
                try await eve.sayAndWait("hello")
                #expect(try await quick.event("message", session: eve.sessionId)["data"]?["text"]?.string == "hello")
                try await quick.call("Chat.sendMessage", ["sessionId": .string(eve.sessionId), "text": "hi Eve"])
                #expect(try await eve.nextAgentMessage() == "hi Eve")
                #expect(try await server.http(.get, "/healthz").status == .ok)
                #expect(try await server.api(.get, "/api/v1/queues").status == .ok)

                // All that while the slow readers had most of their bursts still to read.
                #expect(messagesFor(agentReader.frames.withLock { $0 }).count < burst / 2)
                #expect(messagesFor(customerReader.frames.withLock { $0 }).count < burst / 2)

                // They read faster now and get every frame, in order.
                agentReader.fast.store(true, ordering: .relaxed)
                customerReader.fast.store(true, ordering: .relaxed)
                try await group.waitForAll()
            }
            let agentMessages = messagesFor(agentReader.frames.withLock { $0 })
            #expect(agentMessages.map { $0["data"]?["text"]?.string ?? "" } == (0..<burst).map { "c\($0) \(padding)" })
            let seqs = agentReader.frames.withLock { $0 }.compactMap { $0["seq"]?.int }.filter { $0 > 0 }
            #expect(seqs == Array((seqs.first ?? 0)..<(seqs.first ?? 0) + seqs.count), "the slow agent's events skip or repeat a seq")
            let customerMessages = messagesFor(customerReader.frames.withLock { $0 })
            #expect(customerMessages.map { $0["text"]?.string ?? "" } == (0..<burst).map { "a\($0) \(padding)" })
        }
    }
}
