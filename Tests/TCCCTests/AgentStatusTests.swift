import Foundation
import SwitchboardTestSupport
import SwitchboardCore
import Testing
import TCCC

/// `Agent.online`, `offline`, `setStatus`, `getStatus` and `statusChanged`.
@Suite("Agent status through the SDK", .serialized)
struct AgentStatusTests {
    @Test func onlineSetStatusAndOfflineFireStatusChanged() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.sdk("alice")

            let online = await alice.Agent.online()
            #expect(online.status == .success)
            #expect(online.errorMsg == nil)
            // The event arrives before the response, so the SDK's state is current on return.
            #expect(alice.Agent.getStatus() == .free)
            let free = try #require(try await alice.events.next(.statusChanged).statusChange)
            #expect(free.status == .free)
            #expect(free.cause == .agent)

            try await alice.Agent.setStatus(.rest, restReason: "lunch").get()
            #expect(alice.Agent.getStatus() == .rest)
            #expect(alice.Agent.restReason == "lunch")
            let rest = try #require(try await alice.events.next(.statusChanged).statusChange)
            #expect(rest == StatusChanged(status: .rest, restReason: "lunch", cause: .agent))
            let fetched = try await alice.Agent.fetchStatus().get()
            #expect(fetched == AgentStatusResult(status: .rest, restReason: "lunch"))

            // The document's spellings, any case.
            try await alice.Agent.setStatus("NotReady").get()
            #expect(alice.Agent.getStatus() == .notReady)
            try await alice.Agent.setStatus(.stopNotReady).get()
            #expect(alice.Agent.getStatus() == .free)
            try await alice.Agent.setStatus("Arrange").get()
            #expect(alice.Agent.getStatus() == .arrange)

            try await alice.Agent.offline().get()
            #expect(alice.Agent.getStatus() == .offline)
            let statuses = alice.events.all(.statusChanged).compactMap { $0.statusChange?.status }
            #expect(statuses == [.free, .rest, .notReady, .free, .arrange, .offline])
            await alice.tccc.close()
        }
    }

    @Test func busyIsRefusedWithAMessageAndGetThrows() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")

            let busy = await alice.Agent.setStatus("busy")
            #expect(busy.status == .error)
            #expect(busy.errorMsg?.contains("busy") == true)
            #expect(alice.Agent.getStatus() == .free)

            let thrown = #expect(throws: TCCCError.self) { try busy.get() }
            #expect(thrown?.code == .refused)
            #expect(thrown?.message == busy.errorMsg)

            let nonsense = await alice.Agent.setStatus("sleeping")
            #expect(nonsense.status == .error)
            #expect(nonsense.errorMsg?.isEmpty == false)
            #expect(try await alice.events.expectNone(.statusChanged))
            await alice.tccc.close()
        }
    }

    @Test func offlineIsRefusedWhileHoldingASession() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await server.customer(group: "sales")
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: customer.sessionId).get()

            let offline = await alice.Agent.offline()
            #expect(offline.status == .error)
            #expect(offline.errorMsg?.isEmpty == false)
            #expect(alice.Agent.getStatus() == .busy)

            // While busy, rest is kept as pending and applied when the session ends.
            try await alice.Agent.setStatus(.rest, restReason: "coffee").get()
            #expect(alice.Agent.getStatus() == .busy)
            try await alice.Chat.end(sessionId: customer.sessionId).get()
            try await alice.events.next(.statusChanged) { $0.statusChange?.status == .rest }
            #expect(alice.Agent.restReason == "coffee")
            await alice.tccc.close()
        }
    }
}
