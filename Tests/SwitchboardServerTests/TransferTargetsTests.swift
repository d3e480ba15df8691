import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// `Agent.getTransferTargets` over a real agent socket: what an agent's own login may read about
/// whom it can transfer to, without the admin key.
@Suite("Transfer targets", .serialized)
struct TransferTargetsTests {
    /// The connections of a tenant; kept for the whole test so that nobody disconnects.
    struct Tenant {
        var alice: TestAgent
        var bob: TestAgent
        var carol: TestAgent
        var waiting: [TestCustomer]
    }

    /// Sales (alice, bob) and Billing (carol, and dave who never goes online); carol is on a
    /// break, so Billing's two customers wait.
    static func tenant(_ server: TestServer) async throws -> Tenant {
        try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice", "bob"])
        try await server.givenGroup(SkillGroup(id: "billing", name: "Billing", offerTimeoutSeconds: 600), agents: ["carol", "dave"])
        let carol = try await server.onlineAgent("carol", password: "pw-carol")
        try await carol.call("Agent.setStatus", ["status": "rest", "restReason": "lunch"])
        let waiting = [try await server.customer(group: "billing", nickname: "Ann"), try await server.customer(group: "billing", nickname: "Bo")]
        let alice = try await server.onlineAgent("alice", password: "pw-alice")
        let bob = try await server.onlineAgent("bob", password: "pw-bob")
        return Tenant(alice: alice, bob: bob, carol: carol, waiting: waiting)
    }

    @Test func listsSkillGroupsWithWaitingCountsAndOnlineAgentsWithStatus() async throws {
        try await TestServer.run { server in
            let tenant = try await Self.tenant(server)
            let (alice, bob) = (tenant.alice, tenant.bob)
            // The same facts are admin-only in the admin API; the agent's own login is enough here.
            #expect(try await server.admin(.get, "/api/v1/status-board", apiKey: nil).status == .unauthorized)

            let targets = try await alice.call("Agent.getTransferTargets")
            #expect(targets == [
                "skillGroups": [
                    ["skillGroupId": "billing", "name": "Billing", "waiting": 2, "membersOnline": 1],
                    ["skillGroupId": "sales", "name": "Sales", "waiting": 0, "membersOnline": 2],
                ],
                // Not alice herself, nor dave, who is offline.
                "agents": [
                    ["userId": "bob", "name": "Bob", "status": "free", "connected": true, "skillGroupIds": ["sales"]],
                    ["userId": "carol", "name": "Carol", "status": "rest", "connected": true, "skillGroupIds": ["billing"]],
                ],
            ])

            // An agent that goes offline is no transfer target any more.
            try await bob.call("Agent.offline")
            let after = try await alice.call("Agent.getTransferTargets", [:])
            #expect(after?["agents"] == [["userId": "carol", "name": "Carol", "status": "rest", "connected": true, "skillGroupIds": ["billing"]]])
            #expect(after?["skillGroups"]?[1]?["membersOnline"] == 1)
        }
    }

    @Test func withASessionEachAgentSaysWhetherItCanTakeItNow() async throws {
        try await TestServer.run { server in
            let tenant = try await Self.tenant(server)
            let (alice, bob) = (tenant.alice, tenant.bob)
            let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Cy")
            let session = customer.sessionId

            let targets = try await alice.call("Agent.getTransferTargets", ["sessionId": .string(session)])
            #expect(targets?["sessionId"]?.string == session)
            #expect(targets?["agents"]?[0] == [
                "userId": "bob", "name": "Bob", "status": "free", "connected": true, "skillGroupIds": ["sales"], "available": true,
            ])
            #expect(targets?["agents"]?[1] == [
                "userId": "carol", "name": "Carol", "status": "rest", "connected": true, "skillGroupIds": ["billing"], "available": false,
                "why": "agent carol is rest and cannot take a transfer",
            ])
            // What the list says is what Chat.transfer does.
            let refused = try await alice.request("Chat.transfer", ["sessionId": .string(session), "userId": "carol"])
            #expect(refused["errorMsg"]?.string == "agent carol is rest and cannot take a transfer")
            try await alice.call("Chat.transfer", ["sessionId": .string(session), "userId": "bob"])
            _ = try await bob.event("callIn", session: session)
        }
    }

    @Test func aSessionTheAgentCannotTransferIsRefusedAndNothingChanges() async throws {
        try await TestServer.run { server in
            let tenant = try await Self.tenant(server)
            let (alice, bob) = (tenant.alice, tenant.bob)
            let session = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Cy").sessionId

            let unknown = try await alice.request("Agent.getTransferTargets", ["sessionId": "s-404"])
            #expect(unknown["status"]?.string == "error")
            #expect(unknown["errorMsg"]?.string == "session s-404 does not exist or has already ended")
            #expect(unknown["data"] == nil)
            let foreign = try await bob.request("Agent.getTransferTargets", ["sessionId": .string(session)])
            #expect(foreign["errorMsg"]?.string == "session \(session) is not held by agent bob: only the agent that accepted it can transfer it")
            #expect(foreign["data"] == nil, "another agent's session tells it nothing")
            let empty = try await alice.request("Agent.getTransferTargets", ["sessionId": ""])
            #expect(empty["errorMsg"]?.string == "field 'params.sessionId' must not be empty; leave it out instead")
            let wrongType = try await alice.request("Agent.getTransferTargets", ["sessionId": 42])
            #expect(wrongType["errorMsg"]?.string == "field 'params.sessionId' must be a string, not the number 42")

            let state = await server.components.routing.read { machine in
                (machine.sessions[SessionID(session)]?.state, machine.status(of: "alice"), machine.status(of: "bob"))
            }
            #expect(state.0 == .accepted(agent: "alice"))
            #expect(state.1 == .busy && state.2 == .free)
        }
    }
}
