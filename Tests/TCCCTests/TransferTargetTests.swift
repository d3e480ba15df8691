import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing
import TCCC

/// `Agent.getTransferTargets` (a Switchboard extension): whom an agent may transfer to.
@Suite("Transfer targets through the SDK", .serialized)
struct TransferTargetTests {
    @Test func listsTargetsAndWhoCanTakeAHeldSession() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice", "bob"])
            try await server.givenGroup(SkillGroup(id: "billing", name: "Billing", offerTimeoutSeconds: 600), agents: ["carol"])
            let carol = try await server.onlineSDK("carol")
            try await carol.Agent.setStatus(.notReady).get()
            let waiting = try await server.customer(group: "billing", nickname: "Bo")
            let alice = try await server.onlineSDK("alice")
            let bob = try await server.onlineSDK("bob")

            let directory = try await alice.Agent.getTransferTargets().get()
            #expect(directory == TransferTargets(
                skillGroups: [
                    .init(skillGroupId: "billing", name: "Billing", waiting: 1, membersOnline: 1),
                    .init(skillGroupId: "sales", name: "Sales", waiting: 0, membersOnline: 2),
                ],
                agents: [
                    .init(userId: "bob", name: "Bob", status: .free, skillGroupIds: ["sales"]),
                    .init(userId: "carol", name: "Carol", status: .notReady, skillGroupIds: ["billing"]),
                ]))

            let customer = try await server.customer(group: "sales", nickname: "Ann")
            let sessionId = customer.sessionId
            try await alice.events.next(.callIn) { $0.sessionId == sessionId }
            try await alice.Chat.accept(sessionId: customer.sessionId).get()
            let forSession = try await alice.Agent.getTransferTargets(sessionId: customer.sessionId).get()
            #expect(forSession.sessionId == customer.sessionId)
            #expect(forSession.agents.map(\.available) == [true, false])
            #expect(forSession.agents[1].why == "agent carol is notReady and cannot take a transfer")

            // Transfer to the first agent that can take it, as a workbench would.
            let target = try #require(forSession.agents.first { $0.available == true })
            try await alice.Chat.transfer(sessionId: customer.sessionId, userId: target.userId).get()
            try await bob.events.next(.callIn) { $0.sessionId == sessionId }

            // A session alice no longer holds is refused, as Chat.transfer would refuse it.
            let gone = await alice.Agent.getTransferTargets(sessionId: customer.sessionId)
            #expect(gone.status == .error)
            #expect(gone.data == nil)
            #expect(gone.errorMsg == "session \(customer.sessionId) is not held by agent alice: only the agent that accepted it can transfer it")
            #expect(throws: TCCCError.self) { try gone.get() }
            _ = waiting
            await alice.tccc.close()
            await bob.tccc.close()
            await carol.tccc.close()
        }
    }
}
