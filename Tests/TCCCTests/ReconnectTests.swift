import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport
@_spi(Testing) import TCCC

/// Dropped sockets: reconnecting with backoff, resuming from the cursor, rebuilding from the snapshot.
@Suite("Reconnecting and resuming", .serialized)
struct ReconnectTests {
    @Test func aDroppedSocketResumesWithoutLostOrDoubledEvents() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            var configuration = TCCC.Configuration.test
            // A second's backoff leaves time to publish events while the SDK is away.
            configuration.initialReconnectDelay = .seconds(1)
            configuration.maximumReconnectDelay = .seconds(1)
            let alice = try await server.onlineSDK("alice", configuration: configuration)
            let states = alice.tccc.connectionStates()
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: session).get()
            try await customer.sayAndWait("before")
            try await alice.events.next(.message) { ($0.messageText) == "before" }

            await alice.tccc.dropConnectionForTesting()
            try await waitFor("reconnecting") { alice.tccc.connectionState == .reconnecting(attempt: 1) }
            // Published while the SDK has no socket; a call made now waits for the new one.
            try await customer.sayAndWait("while away")
            async let reply = alice.Chat.sendMessage(sessionId: session, text: "back again")
            try await waitFor("ready again") { alice.tccc.connectionState == .ready }
            #expect(try await reply.get().messageId.isEmpty == false)
            #expect(try await customer.nextAgentMessage() == "back again")
            try await customer.sayAndWait("after")
            try await alice.events.next(.message) { $0.messageText == "after" }

            let messages = alice.events.all(.message).compactMap(\.messageText)
            #expect(messages == ["before", "while away", "back again", "after"])
            #expect(alice.events.all(.ready).count == 2)
            // Resumed, so nothing was made up from a snapshot.
            #expect(!alice.events.all.contains { $0.statusChange?.cause == .resync })
            #expect(alice.tccc.sessions.map(\.id) == [session])
            #expect(alice.Agent.getStatus() == .busy)

            await alice.tccc.close()
            var seen: [ConnectionState] = []
            for await state in states { seen.append(state) }
            #expect(seen == [.ready, .reconnecting(attempt: 1), .ready, .closed])
        }
    }

    @Test func whenTheServerDropsTheSocketTheSDKReconnectsAndResumes() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            var configuration = TCCC.Configuration.test
            configuration.initialReconnectDelay = .milliseconds(500)
            configuration.maximumReconnectDelay = .milliseconds(500)
            let alice = try await server.onlineSDK("alice", configuration: configuration)
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: session).get()

            // The server closes alice's sockets (a supervisor's forced logout).
            #expect(server.components.agentHub.disconnectAll(agent: "alice") == 1)
            try await waitFor("reconnecting") { alice.tccc.connectionState != .ready }
            try await customer.sayAndWait("while dropped")
            try await waitFor("ready again") { alice.tccc.connectionState == .ready }
            try await alice.events.next(.message) { $0.messageText == "while dropped" }
            #expect(alice.events.all(.message).compactMap(\.messageText) == ["while dropped"])
            #expect(alice.tccc.sessions.map(\.id) == [session])
            await alice.tccc.close()
        }
    }

    @Test func aCursorTooOldRebuildsFromTheWelcomeAndReportsWhatChanged() async throws {
        // More customer messages than the resume buffer holds, faster than the customer rate.
        try await TestServer.run(configure: { $0.resumeBufferSize = 16; $0.customers.messagesPerMinute = 0 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            var configuration = TCCC.Configuration.test
            configuration.initialReconnectDelay = .seconds(3)
            configuration.maximumReconnectDelay = .seconds(3)
            let alice = try await server.onlineSDK("alice", configuration: configuration)
            let customer = try await server.customer(group: "sales")
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: customer.sessionId).get()

            await alice.tccc.dropConnectionForTesting()
            try await waitFor("reconnecting") { alice.tccc.connectionState == .reconnecting(attempt: 1) }
            // More events than the server keeps, then the customer leaves.
            for number in 1...20 { try await customer.sayAndWait("message \(number)") }
            customer.leave()
            _ = try await customer.next("ended")
            try await waitFor("ready again", timeout: .seconds(8)) { alice.tccc.connectionState == .ready }

            let ended = try await alice.events.next(.sessionEnded)
            guard case .sessionEnded(let payload) = ended else { throw TestFailure("not sessionEnded") }
            #expect(payload.sessionId == customer.sessionId)
            #expect(payload.closeBy == .admin)
            #expect(payload.mainReason == "resync")
            let status = try await alice.events.next(.statusChanged) { $0.statusChange?.cause == .resync }
            #expect(status.statusChange?.status == .free)
            #expect(alice.tccc.sessions.isEmpty)
            #expect(alice.Agent.getStatus() == .free)
            // The messages were not replayed; the transcript is where to read them.
            #expect(alice.events.all(.message).isEmpty)

            // Events after the rebuild flow normally.
            let next = try await server.customer(group: "sales", nickname: "Cy")
            try await alice.events.next(.callIn) { $0.sessionId == next.sessionId }
            await alice.tccc.close()
        }
    }

    @Test func pingsKeepTheConnectionReady() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            var configuration = TCCC.Configuration.test
            configuration.pingInterval = .milliseconds(100)
            configuration.pingTimeout = .milliseconds(500)
            let alice = try await server.sdk("alice", configuration: configuration)
            try await Task.sleep(for: .seconds(1))
            #expect(alice.tccc.connectionState == .ready)
            #expect(alice.events.all(.ready).count == 1)
            await alice.tccc.close()
        }
    }
}

extension AgentEvent {
    /// The text of a `message` event.
    var messageText: String? {
        if case .message(let message) = self { message.text } else { nil }
    }
}
