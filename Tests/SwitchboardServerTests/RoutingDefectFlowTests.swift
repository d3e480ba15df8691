import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// The routing defects of issue 13 and the downtime rule, each over real sockets against a
/// running server (the core tests pin the decisions; these pin that the server applies them).
@Suite("Routing fixes over real sockets", .serialized)
struct RoutingDefectFlowTests {
    static func id(_ session: String) -> [String: JSONValue] { ["sessionId": .string(session)] }

    static func historyKinds(_ server: TestServer, _ session: String) async throws -> [String] {
        try await server.api(.get, "/api/v1/sessions/\(session)").json["history"].array.compactMap { $0["kind"].string }
    }

    /// A customer who waited past the group's queue timeout before being served is handed to a
    /// named agent who does not answer: back in the queue, with a fresh wait, not ended at once as
    /// a queue timeout.
    @Test func aDirectedTransferThatRingsOutReturnsToTheQueueWithAFreshWait() async throws {
        try await TestServer.run { server in
            // Timeouts long enough for a loaded machine to answer an offer in time (the test
            // needs Bob's to run out, and the arrival's queue deadline to pass, not Alice's).
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 3, queueTimeoutSeconds: 6), agents: ["alice", "bob", "carol"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            _ = try await alice.event("callIn", session: session)
            try await alice.call("Chat.accept", Self.id(session))
            // The conversation goes on past the queue timeout the customer had on arrival.
            try await waitUntil("the arrival's queue deadline has passed", timeout: .seconds(20)) {
                let created = try await server.api(.get, "/api/v1/sessions/\(session)").json["createdAt"].int ?? Int.max
                return Date().timeIntervalSince1970 * 1000 - Double(created) > 6_500
            }
            // Alice hands it to Bob by name; Bob is online but never answers.
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            try await alice.call("Chat.transfer", ["sessionId": .string(session), "userId": "bob"])
            _ = try await bob.event("callIn", session: session)
            _ = try await bob.event("autoTransfer", session: session, timeout: .seconds(10))
            // Bob missed it (he is put in the missed-offer status): it waits in the queue again.
            let live = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(live["state"].string == "queued", "\(live)")
            let kinds = try await Self.historyKinds(server, session)
            #expect(!kinds.contains("ended"), "\(kinds)")
            // Carol comes online within the fresh wait and takes it (Alice handed it on, so it
            // does not come back to her).
            let carol = try await server.onlineAgent("carol", password: "pw-carol")
            _ = try await carol.event("callIn", session: session)
            try await carol.call("Chat.accept", Self.id(session))
            try await customer.sayAndWait("still here")
        }
    }

    /// Shortening a group's inactivity timeout applies to chats already quiet, without waiting
    /// for their next message.
    @Test func aShortenedInactivityTimeoutEndsAQuietLiveChat() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","imInactivityTimeoutSeconds":3600}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
            let alice = try await server.onlineAgent("alice", password: "pw-alice-123")
            let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Quiet")
            try await customer.sayAndWait("hello")
            let changed = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"imInactivityTimeoutSeconds":1}"#)
            #expect(changed.status == .ok)
            let ended = try await alice.event("sessionEnded", session: customer.sessionId, timeout: .seconds(5))
            #expect(ended["data"]?["closeBy"]?.string == "timer")
            let record = try await server.components.store.session(SessionID(customer.sessionId))
            #expect(record?.endStatus != nil && record?.closeBy == .timer)
        }
    }

    /// The server is down longer than every timer: the offer that was ringing rings again and
    /// nobody is put in a missed-offer status; the queued customer and the quiet chat are not
    /// ended the moment it is back, but wait the reconnect grace.
    @Test func timeTheServerWasDownIsNobodysFault() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-downtime-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let sessions = SessionsBox()
        try await TestServer.run(dataDirectory: dataDirectory) { server in
            #expect(try await server.api(.put, "/api/v1/configuration", #"{"reconnectGraceSeconds":12}"#).status == .ok)
            // Timers of 4 s: the steps until the last customer queues must fit inside the offer's
            // ring on a machine busy with other suites.
            try await server.createGroup(#"{"id":"sales","offerTimeoutSeconds":4,"queueTimeoutSeconds":4,"imInactivityTimeoutSeconds":4}"#)
            for agent in ["alice", "bob"] {
                try await server.createAgent(#"{"id":"\#(agent)","imCapacity":1,"memberships":[{"skillGroupId":"sales"}],"password":"pw-\#(agent)-123"}"#)
            }
            let bob = try await server.onlineAgent("bob", password: "pw-bob-123")
            let chat = try await bob.acceptChat(port: server.port, group: "sales", nickname: "Chatting")
            let alice = try await server.onlineAgent("alice", password: "pw-alice-123")
            let ringing = try await server.customer(group: "sales", nickname: "Ringing")
            _ = try await alice.event("callIn", session: ringing.sessionId)
            let queued = try await server.customer(group: "sales", nickname: "Queued")
            _ = try await queued.next("queued")
            sessions.set(chat: chat.sessionId, ringing: ringing.sessionId, queued: queued.sessionId)
        }
        // Down for longer than the offer, queue and inactivity timeouts.
        try await Task.sleep(for: .seconds(5))
        try await TestServer.run(dataDirectory: dataDirectory) { server in
            let (chat, ringing, queued) = sessions.ids
            let alice = try await TestAgent.connect(port: server.port)
            let welcome = try await alice.login(userId: "alice", password: "pw-alice-123")
            #expect(welcome["status"]?.string == "free", "not put in the missed-offer status: \(welcome)")
            #expect(welcome["sessions"]?[0]?["sessionId"]?.string == ringing && welcome["sessions"]?[0]?["state"]?.string == "ringing")
            #expect((welcome["sessions"]?[0]?["timeout"]?.int ?? 0) > 4, "it rings for the grace, not the 4 s left over: \(welcome)")
            let kinds = try await Self.historyKinds(server, ringing)
            #expect(!kinds.contains("missed"), "\(kinds)")
            for waiting in [chat, queued] {
                let live = try await server.api(.get, "/api/v1/sessions/\(waiting)").json
                let kinds = try await Self.historyKinds(server, waiting)
                #expect(live["state"].string != nil && !kinds.contains("ended"), "\(waiting): \(live)")
            }
            try await alice.call("Chat.accept", Self.id(ringing))
            // After the grace, the timers run out as usual.
            try await waitUntil("the queued customer times out after the grace", timeout: .seconds(25)) {
                try await Self.historyKinds(server, queued).contains("ended")
            }
            let record = try await server.components.store.session(SessionID(queued))
            #expect(record?.endStatus == "queueTimeout")
        }
    }
}

/// The ids the first server life hands to the second.
private final class SessionsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ("", "", "")
    func set(chat: String, ringing: String, queued: String) { lock.withLock { stored = (chat, ringing, queued) } }
    var ids: (String, String, String) { lock.withLock { stored } }
}
