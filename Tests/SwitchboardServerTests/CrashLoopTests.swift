import Foundation
import Synchronization
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// The real server under steady chat traffic, killed with SIGKILL at random moments several
/// times: every session whose start was answered and every message that was acknowledged must
/// be there afterwards, once, and routing must go on. `SWITCHBOARD_SOAK_ROUNDS` runs more rounds.
@Suite("Crash loop", .serialized)
struct CrashLoopTests {
    struct Acknowledged: Sendable, Hashable {
        var session: String
        var messageId: String
        var text: String
    }

    /// What the server acknowledged, shared by the traffic tasks.
    final class Ledger: Sendable {
        let acknowledged = Mutex<Set<Acknowledged>>([])
        let sessions = Mutex<Set<String>>([])
    }

    @Test func acknowledgedSessionsAndMessagesSurviveRepeatedSIGKILL() async throws {
        let rounds = Int(ProcessInfo.processInfo.environment["SWITCHBOARD_SOAK_ROUNDS"] ?? "") ?? 3
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var generator = SystemRandomNumberGenerator()
        let ledger = Ledger()

        for round in 0..<rounds {
            let process = try await ServerProcess.start(dataDirectory: dataDirectory)
            defer { process.kill() }
            let admin = AdminClient(port: process.port)
            if round == 0 {
                try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
                try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","imCapacity":100,"memberships":[{"skillGroupId":"sales","skillLevel":3}],"password":"pw-alice-123"}"#)
            }
            let alice = try await TestAgent.connect(port: process.port)
            try await alice.login(userId: "alice", password: "pw-alice-123")
            try await alice.call("Agent.online")

            // Traffic: customers start chats and write; the agent accepts whatever rings.
            let port = process.port
            let traffic = Task { [ledger, alice] in
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<4 {
                        group.addTask {
                            guard let customer = try? await TestCustomer.connect(port: port),
                                  (try? await customer.start(group: "sales", nickname: "r\(round)c\(index)")) != nil else { return }
                            ledger.sessions.withLock { _ = $0.insert(customer.sessionId) }
                            for n in 0..<200 {
                                let text = "r\(round) c\(index) m\(n)"
                                customer.say(text, clientMessageId: "\(round)-\(index)-\(n)")
                                guard let ack = try? await customer.next("ack", timeout: .seconds(3)),
                                      let id = ack["messageId"]?.string else { return }
                                ledger.acknowledged.withLock { _ = $0.insert(Acknowledged(session: customer.sessionId, messageId: id, text: text)) }
                            }
                        }
                    }
                    group.addTask {
                        while let offer = try? await alice.event("callIn", timeout: .seconds(3)), let session = offer["data"]?["sessionId"]?.string {
                            _ = try? await alice.request("Chat.accept", ["sessionId": .string(session)])
                        }
                    }
                }
            }
            // The crash comes at a random moment once traffic flows (on a loaded machine the
            // first acknowledgement may take longer than the whole random window).
            let before = ledger.acknowledged.withLock { $0.count }
            try await waitUntil("round \(round)'s first acknowledged message", timeout: .seconds(30)) {
                ledger.acknowledged.withLock { $0.count } > before
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...900, using: &generator)))
            process.kill()
            traffic.cancel()
            _ = await traffic.value
        }

        // After the last crash: everything acknowledged is there exactly once, and routing goes on.
        let process = try await ServerProcess.start(dataDirectory: dataDirectory)
        defer { process.kill() }
        let admin = AdminClient(port: process.port)
        let acked = ledger.acknowledged.withLock { $0 }
        #expect(acked.count > 0, "the traffic produced no acknowledged messages")
        for session in ledger.sessions.withLock({ $0 }) {
            let data = try await admin.expect(200, .get, "/api/v1/sessions/\(session)/messages?limit=200")
            let page = try JSONDecoder().decode(JSONValue.self, from: data)
            guard case .array(let messages)? = page["messages"] else { Issue.record("no messages array for \(session)"); continue }
            let stored = messages.compactMap { message -> (String, String)? in
                guard let id = message["messageId"]?.string, let text = message["text"]?.string else { return nil }
                return (id, text)
            }
            #expect(Set(stored.map(\.1)).count == stored.count, "a message of \(session) is stored twice")
            for item in acked where item.session == session {
                #expect(stored.contains { $0.0 == item.messageId && $0.1 == item.text }, "acknowledged \(item.messageId) of \(session) is missing")
            }
        }
        let alice = try await TestAgent.connect(port: process.port)
        try await alice.login(userId: "alice", password: "pw-alice-123")
        try await alice.call("Agent.online")
        let customer = try await TestCustomer.connect(port: process.port)
        try await customer.start(group: "sales", nickname: "after")
        _ = try await alice.event("callIn", session: customer.sessionId)
        #expect(try await process.terminate() == 0)
    }
}
