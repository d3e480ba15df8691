import Foundation
import SwitchboardCore
import Testing
import TCCC
import SwitchboardTestSupport

/// `Chat.accept`, `end`, `transfer`, `sendMessage`, `getMessages`, and the session events.
@Suite("Sessions through the SDK", .serialized)
struct ChatTests {
    @Test func callInCarriesTheImFieldsAndAcceptFiresUserAccessed() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 30), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await server.customer(
                group: "sales", nickname: "Ann",
                extra: #","avatar":"https://a.example/ann.png","remark":"vip","peerSource":"web","channelName":"shop","clientData":"order=1207""#)

            let callIn = try #require(await nextCallIn(alice))
            #expect(callIn == CallIn.im(
                sessionId: customer.sessionId, timeout: 30, nickname: "Ann", avatar: "https://a.example/ann.png",
                remark: "vip", peerSource: "web", channelName: "shop", clientData: "order=1207"))
            let ringing = try #require(alice.tccc.sessions.first)
            #expect(ringing.state == .ringing)
            #expect((28...30).contains(ringing.secondsLeftToAccept() ?? 0))

            let accepted = await alice.Chat.accept(sessionId: customer.sessionId)
            #expect(accepted.status == .success)
            // userAccessed and statusChanged(busy) came before the response.
            #expect(alice.tccc.sessions.first?.state == .accepted)
            #expect(alice.tccc.sessions.first?.acceptedAt != nil)
            #expect(alice.Agent.getStatus() == .busy)
            let accessed = try await alice.events.next(.userAccessed)
            #expect(accessed == .userAccessed(sessionId: customer.sessionId))
            let busy = try await alice.events.next(.statusChanged)
            #expect(busy.statusChange?.cause == .sessionAccepted)
            #expect(try await customer.next("agentJoined")["nickname"]?.string == "Alice")

            // Accepting again is idempotent for the agent that holds it.
            #expect(await alice.Chat.accept(sessionId: customer.sessionId).status == .success)
            await alice.tccc.close()
        }
    }

    @Test func acceptingAnUnknownSessionIsAnErrorResponse() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let response = await alice.Chat.accept(sessionId: "s-404")
            #expect(response.status == .error)
            #expect(response.errorMsg?.contains("s-404") == true)
            #expect(response.error?.code == .refused)
            let ended = await alice.Chat.end(sessionId: "s-404")
            #expect(ended.status == .error)
            let empty = await alice.Chat.accept(sessionId: "")
            #expect(empty.status == .error)
            #expect(empty.errorMsg?.contains("sessionId") == true)
            let noTarget = await alice.Chat.transfer(sessionId: "s-404")
            #expect(noTarget.status == .error)
            #expect(noTarget.errorMsg?.contains("skillGroupId") == true)
            await alice.tccc.close()
        }
    }

    @Test func messagesBothWaysAndTranscriptPages() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            try await customer.sayAndWait("Hello?")
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: session).get()

            try await alice.Chat.typing(sessionId: session).get()
            _ = try await customer.next("agentTyping")
            let sent = try await alice.Chat.sendMessage(sessionId: session, text: "Hi Ann, how can I help?").get()
            #expect(sent.messageId.isEmpty == false)
            #expect(try await customer.nextAgentMessage() == "Hi Ann, how can I help?")
            // The agent's own message is an event too, so other tabs see it.
            let own = try await alice.events.next(.message)
            guard case .message(let ownMessage) = own else { throw TestFailure("not a message") }
            #expect(ownMessage.messageId == sent.messageId)
            #expect(ownMessage.from == .agent)

            try await customer.sayAndWait("My order is late")
            let incoming = try await alice.events.next(.message) { event in
                if case .message(let message) = event { message.from == .customer } else { false }
            }
            guard case .message(let message) = incoming else { throw TestFailure("not a message") }
            #expect(message.sessionId == session)
            #expect(message.text == "My order is late")

            let page = try await alice.Chat.getMessages(sessionId: session).get()
            let texts = page.messages.filter { $0.from != .system }.map(\.text)
            #expect(texts == ["Hello?", "Hi Ann, how can I help?", "My order is late"])
            let newest = try await alice.Chat.getMessages(sessionId: session, order: .newest, limit: 1).get()
            #expect(newest.messages.map(\.text) == ["My order is late"])
            #expect(newest.hasMore)
            let before = try await alice.Chat.getMessages(
                sessionId: session, order: .newest, limit: 1, cursor: .before(newest.messages[0].messageId)).get()
            #expect(before.messages.map(\.text) == ["Hi Ann, how can I help?"])

            let typingElsewhere = await alice.Chat.typing(sessionId: "s-404")
            #expect(typingElsewhere.status == .error)

            let badLimit = await alice.Chat.getMessages(sessionId: session, limit: 0)
            #expect(badLimit.status == .error)
            #expect(badLimit.errorMsg?.contains("limit") == true)
            await alice.tccc.close()
        }
    }

    @Test func sessionEndedBySeatClientAndAdmin() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")

            // The agent ends it.
            let first = try await acceptedSession(server, alice)
            try await alice.Chat.end(sessionId: first.sessionId).get()
            #expect(alice.tccc.sessions.isEmpty)
            let bySeat = try await nextEnded(alice, first.sessionId)
            #expect(bySeat.closeBy == .seat)
            #expect(bySeat.type == .im)
            #expect(try await first.next("ended")["closeBy"]?.string == "seat")

            // The customer leaves.
            let second = try await acceptedSession(server, alice)
            second.leave()
            let byClient = try await nextEnded(alice, second.sessionId)
            #expect(byClient.closeBy == .client)

            // A supervisor ends it through the admin API, with reasons.
            let third = try await acceptedSession(server, alice)
            let answer = try await server.api(.post, "/api/v1/sessions/\(third.sessionId)/end", #"{"mainReason":"abuse","subReason":"spam links"}"#)
            #expect(answer.status == .ok)
            let byAdmin = try await nextEnded(alice, third.sessionId)
            #expect(byAdmin.closeBy == .admin)
            #expect(byAdmin.mainReason == "abuse")
            #expect(byAdmin.subReason == "spam links")
            #expect(alice.tccc.sessions.isEmpty)

            await alice.tccc.close()
        }
    }

    @Test func imInactivityEndsWithCloseByTimer() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", imInactivityTimeoutSeconds: 1), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await acceptedSession(server, alice)
            let ended = try await alice.events.next(.sessionEnded, timeout: .seconds(5))
            guard case .sessionEnded(let payload) = ended else { throw TestFailure("not sessionEnded") }
            #expect(payload.sessionId == customer.sessionId)
            #expect(payload.closeBy == .timer)
            #expect(alice.tccc.sessions.isEmpty)
            await alice.tccc.close()
        }
    }

    @Test func offerTimeoutFiresAutoTransferAndOffersTheNextAgent() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 1), agents: ["alice", "bob"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await server.customer(group: "sales")
            let offered = try #require(await nextCallIn(alice))
            #expect(offered.timeout == 1)

            let bob = try await server.onlineSDK("bob")
            let moved = try await alice.events.next(.autoTransfer, timeout: .seconds(5))
            #expect(moved == .autoTransfer(sessionId: customer.sessionId))
            #expect(alice.tccc.sessions.isEmpty)
            let missed = try await alice.events.next(.statusChanged) { $0.statusChange?.cause == .missedOffer }
            #expect(missed.statusChange?.status == .notReady)
            #expect(alice.Agent.getStatus() == .notReady)

            let atBob = try #require(await nextCallIn(bob))
            #expect(atBob.sessionId == customer.sessionId)
            try await bob.Chat.accept(sessionId: customer.sessionId).get()
            // alice may no longer take it.
            let late = await alice.Chat.accept(sessionId: customer.sessionId)
            #expect(late.status == .error)
            #expect(late.errorMsg?.contains(customer.sessionId) == true)
            await alice.tccc.close()
            await bob.tccc.close()
        }
    }

    @Test func transferToAnAgentAndToAGroup() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice", "bob"])
            try await server.givenGroup(SkillGroup(id: "billing"), agents: ["carol"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await server.customer(group: "sales")
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: customer.sessionId).get()
            let bob = try await server.onlineSDK("bob")

            // To bob by user id: alice sees `transfer`, bob a fresh `callIn` for the same session.
            try await alice.Chat.transfer(sessionId: customer.sessionId, userId: "bob").get()
            let toBob = try await alice.events.next(.transfer)
            #expect(toBob == .transfer(sessionId: customer.sessionId, skillGroupId: nil, userId: "bob"))
            #expect(alice.tccc.sessions.isEmpty)
            #expect(try await nextCallIn(bob)?.sessionId == customer.sessionId)
            _ = try await customer.next("transferred")
            try await bob.Chat.accept(sessionId: customer.sessionId).get()

            // To the billing group: carol is offered it.
            let carol = try await server.onlineSDK("carol")
            let transferred = await bob.Chat.transfer(sessionId: customer.sessionId, skillGroupId: "billing")
            #expect(transferred.status == .success)
            let toBilling = try await bob.events.next(.transfer)
            #expect(toBilling == .transfer(sessionId: customer.sessionId, skillGroupId: "billing", userId: nil))
            #expect(try await nextCallIn(carol)?.sessionId == customer.sessionId)

            // Transferring a session one does not hold is refused.
            let foreign = await alice.Chat.transfer(sessionId: customer.sessionId, skillGroupId: "billing")
            #expect(foreign.status == .error)
            for agent in [alice, bob, carol] { await agent.tccc.close() }
        }
    }

    @Test func wrapUpEndsWithSessionCompleted() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", wrapUpSeconds: 1), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await acceptedSession(server, alice)
            try await alice.Chat.end(sessionId: customer.sessionId).get()
            let arrange = try await alice.events.next(.statusChanged) { $0.statusChange?.status == .arrange }
            #expect(arrange.statusChange?.cause == .sessionEnded)
            let completed = try await alice.events.next(.sessionCompleted, timeout: .seconds(5))
            #expect(completed == .sessionCompleted(sessionId: customer.sessionId))
            let free = try await alice.events.next(.statusChanged) { $0.statusChange?.status == .free }
            #expect(free.statusChange?.cause == .wrapUpTimer)
            await alice.tccc.close()
        }
    }

    // MARK: Helpers

    private func nextCallIn(_ agent: SDKAgent) async throws -> CallIn? {
        if case .callIn(let callIn) = try await agent.events.next(.callIn) { return callIn }
        return nil
    }

    private func nextEnded(_ agent: SDKAgent, _ sessionId: String) async throws -> SessionEnded {
        let event = try await agent.events.next(.sessionEnded) { $0.sessionId == sessionId }
        guard case .sessionEnded(let ended) = event else { throw TestFailure("not sessionEnded") }
        return ended
    }

    /// A customer whose session the agent has accepted.
    private func acceptedSession(_ server: TestServer, _ agent: SDKAgent) async throws -> TestCustomer {
        let customer = try await server.customer(group: "sales")
        try await agent.events.next(.callIn) { $0.sessionId == customer.sessionId }
        try await agent.Chat.accept(sessionId: customer.sessionId).get()
        _ = try await customer.next("agentJoined")
        return customer
    }
}
