import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Two people acting on one session at the same moment, over real sockets: both requests are in
/// flight together, so the single writer decides their order. Whatever it decides, exactly one
/// of two exclusive actions wins, the loser hears why, the session ends once, and nobody is left
/// holding or ringing for a session that is gone (checked on a fresh login, which reads the
/// committed state).
@Suite("Concurrent accept, transfer and end", .serialized)
struct RoutingRaceTests {
    static let rounds = 8

    static func id(_ session: String) -> [String: JSONValue] { ["sessionId": .string(session)] }
    /// Runs both at once and waits for both: the two requests are in flight together.
    static func atOnce<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () async throws -> A, _ second: @escaping @Sendable () async throws -> B
    ) async throws -> (A, B) {
        async let a = first()
        async let b = second()
        return try await (a, b)
    }

    static func items(_ value: JSONValue?) -> [JSONValue] { if case .array(let items)? = value { items } else { [] } }

    /// How many times the session's history says it ended.
    static func endings(_ server: TestServer, _ session: String) async throws -> Int {
        try await server.api(.get, "/api/v1/sessions/\(session)").json["history"].array.filter { $0["kind"].string == "ended" }.count
    }

    /// What a new connection of `agent` is told it has: nothing, once every session it had is gone.
    static func sessionsSeenOnLogin(_ server: TestServer, _ agent: String) async throws -> (status: String?, sessions: Int) {
        let tab = try await TestAgent.connect(port: server.port)
        let welcome = try await tab.login(userId: agent, password: "pw-\(agent)")
        return (welcome["status"]?.string, Self.items(welcome["sessions"]).count)
    }

    @Test func twoAgentsAcceptingARingAllOfferAtOnceOneWinsAndTheOtherIsToldSo() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60, ringAll: true), agents: ["alice", "bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            var wins: [String: Int] = [:]
            for round in 0..<Self.rounds {
                let customer = try await server.customer(group: "sales", nickname: "Race\(round)")
                let session = customer.sessionId
                _ = try await alice.event("callIn", session: session)
                _ = try await bob.event("callIn", session: session)
                let (aliceAnswer, bobAnswer) = try await Self.atOnce(
                    { try await alice.request("Chat.accept", Self.id(session)) }, { try await bob.request("Chat.accept", Self.id(session)) })
                let answers = [("alice", aliceAnswer), ("bob", bobAnswer)]
                let winners = answers.filter { $0.1["status"]?.string == "success" }
                try #require(winners.count == 1, "round \(round): \(answers)")
                let (winner, _) = winners[0]
                let loser = answers.first { $0.0 != winner }!
                #expect(loser.1["errorMsg"]?.string?.contains("not ringing at agent \(loser.0)") == true, "round \(round): \(loser.1)")
                wins[winner, default: 0] += 1
                let joined = try await customer.next("agentJoined")
                #expect(joined["nickname"]?.string == winner.capitalized)

                let holder = winner == "alice" ? alice : bob
                try await holder.call("Chat.end", Self.id(session))
                _ = try await customer.next("ended")
                #expect(try await Self.endings(server, session) == 1)
                #expect(await customer.socket.received { $0["type"]?.string == "agentJoined" } == nil, "round \(round): joined twice")
            }
            for agent in ["alice", "bob"] {
                let seen = try await Self.sessionsSeenOnLogin(server, agent)
                #expect(seen.status == "free" && seen.sessions == 0, "\(agent): \(seen)")
            }
            #expect(wins.values.reduce(0, +) == Self.rounds)
        }
    }

    @Test func aCustomerLeavingWhileTheAgentTransfersEndsTheSessionOnceAndStrandsNobody() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60), agents: ["alice"])
            try await server.givenGroup(SkillGroup(id: "support", offerTimeoutSeconds: 60), agents: ["bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            for round in 0..<Self.rounds {
                let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Leaver\(round)")
                let session = customer.sessionId
                let (answer, _) = try await Self.atOnce(
                    { try await alice.request("Chat.transfer", ["sessionId": .string(session), "skillGroupId": "support"]) }, { customer.leave() })
                _ = try await customer.next("ended")
                if answer["status"]?.string == "success" {
                    // The transfer came first: it rang at Bob, and the leave withdrew it.
                    _ = try await bob.event("callIn", session: session)
                    _ = try await bob.event("sessionEnded", session: session)
                } else {
                    #expect(answer["errorMsg"]?.string?.contains(session) == true, "round \(round): \(answer)")
                }
                #expect(try await Self.endings(server, session) == 1, "round \(round)")
                let record = try await server.components.store.session(SessionID(session))
                #expect(record?.closeBy == .client, "round \(round): \(String(describing: record))")
            }
            for agent in ["alice", "bob"] {
                let seen = try await Self.sessionsSeenOnLogin(server, agent)
                #expect(seen.status == "free" && seen.sessions == 0, "\(agent): \(seen)")
            }
        }
    }

    @Test func anAgentAcceptingAsTheCustomerLeavesEitherGetsTheSessionEndedOrIsToldItIsGone() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60), agents: ["alice"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            var outcomes: [String: Int] = [:]
            for round in 0..<Self.rounds {
                let customer = try await server.customer(group: "sales", nickname: "Quick\(round)")
                let session = customer.sessionId
                _ = try await alice.event("callIn", session: session)
                let (answer, _) = try await Self.atOnce({ try await alice.request("Chat.accept", Self.id(session)) }, { customer.leave() })
                // Either way she hears that it ended: as sessionEnded after her accept, or as the
                // withdrawn offer before it.
                let ended = try await alice.event("sessionEnded", session: session)
                #expect(ended["data"]?["closeBy"]?.string == "client")
                if answer["status"]?.string == "success" {
                    outcomes["accepted first", default: 0] += 1
                } else {
                    outcomes["left first", default: 0] += 1
                    #expect(answer["errorMsg"]?.string?.contains(session) == true, "round \(round): \(answer)")
                }
                #expect(try await Self.endings(server, session) == 1, "round \(round)")
            }
            let seen = try await Self.sessionsSeenOnLogin(server, "alice")
            #expect(seen.status == "free" && seen.sessions == 0, "\(seen), outcomes \(outcomes)")
        }
    }

    @Test func theAgentAndAnAdminEndingTheSameSessionAtOnceEndItOnce() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60), agents: ["alice"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            for round in 0..<Self.rounds {
                let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Twice\(round)")
                let session = customer.sessionId
                let (agentAnswer, adminAnswer) = try await Self.atOnce(
                    { try await alice.request("Chat.end", Self.id(session)) },
                    { try await server.api(.post, "/api/v1/sessions/\(session)/end", #"{"mainReason":"race"}"#) })
                let agentWon = agentAnswer["status"]?.string == "success"
                let adminWon = adminAnswer.status == .ok || adminAnswer.status == .noContent
                #expect(agentWon != adminWon, "round \(round): exactly one ends it: agent \(agentAnswer), admin \(adminAnswer.status)")
                if !adminWon {
                    // The session is known but over: a conflict, saying so.
                    #expect(adminAnswer.status == .conflict && adminAnswer.json.errorCode == "sessionEnded", "round \(round): \(adminAnswer.status) \(adminAnswer.json)")
                }
                let ended = try await customer.next("ended")
                #expect(ended["closeBy"]?.string == (agentWon ? "seat" : "admin"), "round \(round): \(ended)")
                #expect(try await Self.endings(server, session) == 1, "round \(round)")
            }
            let seen = try await Self.sessionsSeenOnLogin(server, "alice")
            #expect(seen.status == "free" && seen.sessions == 0, "\(seen)")
        }
    }

    @Test func aTransferToAnAgentAndTheCustomerWritingAtOnceDeliverTheMessageToWhoeverHoldsIt() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60), agents: ["alice", "bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            for round in 0..<Self.rounds {
                // Bob steps away so the chat goes to Alice, then comes back to take it over.
                try await bob.call("Agent.setStatus", ["status": "notReady"])
                let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Writer\(round)")
                let session = customer.sessionId
                try await bob.call("Agent.setStatus", ["status": "free"])
                let (answer, _) = try await Self.atOnce(
                    { try await alice.request("Chat.transfer", ["sessionId": .string(session), "userId": "bob"]) }, { customer.say("mid-transfer \(round)") })
                #expect(answer["status"]?.string == "success", "round \(round): \(answer)")
                _ = try await customer.next("ack")
                _ = try await bob.event("callIn", session: session)
                try await bob.call("Chat.accept", Self.id(session))
                // Sent before or after the transfer committed, the message is stored once and is
                // in the transcript Bob reads.
                let transcript = try await bob.call("Chat.getMessages", Self.id(session))
                #expect(Self.items(transcript?["messages"]).contains { $0["text"]?.string == "mid-transfer \(round)" }, "round \(round)")
                try await bob.call("Chat.end", Self.id(session))
                _ = try await customer.next("ended")
                #expect(try await Self.endings(server, session) == 1)
            }
        }
    }
}
