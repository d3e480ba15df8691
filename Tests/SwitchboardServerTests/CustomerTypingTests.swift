import Foundation
import SwitchboardCore
import SwitchboardProtocol
@testable import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// The customer's typing, relayed to the agent holding the chat: a `customerTyping` frame to every
/// connection of that agent, not numbered, not replayed, not stored or journaled; nothing while
/// nobody holds the chat, and a clear refusal once it has ended.
@Suite("Customer typing")
struct CustomerTypingTests {
    static let typing = #"{"v":1,"type":"typing"}"#

    @Test func typingReachesEveryConnectionOfTheHoldingAgentAndNothingKeepsIt() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice", "bob"])
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            try await bob.call("Agent.setStatus", ["status": "notReady"])
            // Queued, nobody holds it: the typing goes nowhere, quietly.
            let customer = try await server.customer(group: "sales")
            customer.socket.send(Self.typing)
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            _ = try await alice.event("callIn", session: customer.sessionId)
            // Ringing at alice: still nobody to tell.
            customer.socket.send(Self.typing)
            #expect(try await alice.socket.expectNone { $0["type"]?.string == "customerTyping" })
            #expect(try await customer.socket.expectNone { $0["type"]?.string == "error" })

            try await alice.call("Chat.accept", ["sessionId": .string(customer.sessionId)])
            let secondTab = try await server.agent("alice")
            let journalBefore = try await server.components.store.loadRoutingState().journal.count
            let lastSeq = await alice.socket.frames.frames.compactMap { $0["seq"]?.int }.max() ?? 0

            customer.socket.send(Self.typing)
            for tab in [alice, secondTab] {
                let frame = try await tab.socket.next("customerTyping") { $0["type"]?.string == "customerTyping" }
                // Exactly the session, with no seq: it is not an event and moves no cursor.
                #expect(frame == ["v": 1, "type": "customerTyping", "sessionId": .string(customer.sessionId)])
            }
            #expect(try await bob.socket.expectNone { $0["type"]?.string == "customerTyping" }, "only the holding agent hears it")

            // Nothing stored: no message, no journal entry; a resume replays no typing.
            #expect(try await server.components.store.loadRoutingState().journal.count == journalBefore)
            let page = try await alice.call("Chat.getMessages", ["sessionId": .string(customer.sessionId)])
            #expect(page?["messages"]?.arrayValue.isEmpty == true)
            let resumed = try await TestAgent.connect(port: server.port)
            let welcome = try await resumed.login(userId: "alice", password: "pw-alice", resumeFrom: lastSeq)
            #expect(welcome["resumed"] == true)
            #expect(try await resumed.socket.expectNone { $0["type"]?.string == "customerTyping" })
        }
    }

    @Test func typingInAnEndedChatIsRefusedClearly() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales"), agents: ["alice"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Ann")
            try await alice.call("Chat.end", ["sessionId": .string(customer.sessionId)])
            let refusal = await #expect(throws: ChatMessaging.Refusal.self) {
                try await server.components.messaging.customerTyping(in: SessionID(customer.sessionId))
            }
            #expect(refusal?.description == "typing not sent: session \(customer.sessionId) has ended")
            #expect(try await alice.socket.expectNone { $0["type"]?.string == "customerTyping" })
        }
    }
}
