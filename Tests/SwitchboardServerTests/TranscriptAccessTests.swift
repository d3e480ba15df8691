import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Who may read a chat's transcript: the agents who served the customer, not every agent the
/// session once rang at.
@Suite("Transcript access")
struct TranscriptAccessTests {
    @Test func theAgentsWhoHeldTheSessionMayReadItAndOneItMerelyRangAtMayNot() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice", "bob", "carol"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            let id: [String: JSONValue] = ["sessionId": .string(session)]
            _ = try await alice.event("callIn", session: session)
            try await alice.call("Chat.accept", id)
            try await customer.sayAndWait("my order is late")

            // Alice hands it to Carol, who is rung but goes offline instead of answering.
            let carol = try await server.onlineAgent("carol", password: "pw-carol")
            try await alice.call("Chat.transfer", ["sessionId": .string(session), "userId": "carol"])
            _ = try await carol.event("callIn", session: session)
            try await carol.call("Chat.getMessages", id)  // ringing: it may look before answering
            // Alice handled it and may still read it after handing it on.
            try await alice.call("Chat.getMessages", id)
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            try await carol.call("Agent.offline")
            _ = try await bob.event("callIn", session: session)
            try await bob.call("Chat.accept", id)
            try await bob.call("Chat.end", id)
            _ = try await bob.event("sessionEnded", session: session)

            for served in [alice, bob] {
                let page = try await served.call("Chat.getMessages", id)
                #expect(page?["messages"]?[0]?["text"]?.string == "my order is late")
            }
            let refused = try await carol.request("Chat.getMessages", id)
            #expect(refused["status"]?.string == "error")
            #expect(refused["errorMsg"]?.string?.contains("never accepted by it") == true, "\(refused)")
        }
    }
}
