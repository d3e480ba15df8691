import Testing
@testable import SwitchboardCore

@Suite("Transfer directory")
struct TransferDirectoryTests {
    typealias Group = TransferDirectory.Group

    /// The error a directory read is refused with, or nil when it is answered.
    func refusal(_ read: () throws(RoutingError) -> TransferDirectory) -> RoutingError? {
        do {
            _ = try read()
            return nil
        } catch {
            return error
        }
    }

    @Test func groupsWithWaitingCountsAndOnlineColleaguesByName() throws {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g-sales", name: "Sales")))
        h.ok(.upsertSkillGroup(SkillGroup(id: "g-billing", name: "Billing")))
        h.ok(.upsertSkillGroup(SkillGroup(id: "g-night", name: "Night")))
        h.agent("a1", in: ["g-sales"])
        h.agent("b1", in: ["g-billing"])
        h.agent("b2", in: ["g-sales", "g-billing"])
        h.agent("n1", in: ["g-night"], online: false)
        h.ok(.upsertAgent(AgentProfile(id: "a0", name: "Zoe", memberships: ["g-billing": .init()])))
        h.ok(.connect("a0", "zoe-tab"))
        h.ok(.online("a0"))
        _ = h.create(in: "g-night")
        _ = h.create(in: "g-night")
        h.ok(.setStatus("b2", status: "rest", restReason: "lunch"))

        let directory = try h.machine.transferDirectory(for: "a1")
        #expect(directory.session == nil)
        #expect(directory.groups == [
            Group(id: "g-billing", name: "Billing", waiting: 0, membersOnline: 3),
            Group(id: "g-night", name: "Night", waiting: 2, membersOnline: 0),
            Group(id: "g-sales", name: "Sales", waiting: 0, membersOnline: 2),
        ])
        // The asking agent and offline agents are left out; names, not ids, set the order.
        #expect(directory.colleagues.map(\.id) == ["b1", "b2", "a0"])
        #expect(directory.colleagues.map(\.status) == [.free, .rest, .free])
        #expect(directory.colleagues[1].skillGroupIds == ["g-billing", "g-sales"])
        #expect(directory.colleagues[2].name == "Zoe")
        #expect(directory.colleagues.allSatisfy { $0.reachable && $0.availability == nil }, "no session was named")
    }

    /// Colleagues in every state that matters to a transfer, each in a group of its own so the
    /// set-up decides who gets which session; a1 holds an im session, a2 a phone call.
    func colleaguesInEveryState() -> (Harness, im: SessionID, call: SessionID) {
        var h = Harness()
        for group in ["sales", "calls", "support", "w", "r", "p", "f", "q"] as [SkillGroupID] { h.group(group) }
        h.agent("a1", in: ["sales"])                    // connection c1
        h.agent("b-away", in: ["w"])                    // connection c2
        h.ok(.disconnect("b-away", "c2"))
        h.advance(seconds: 30)                          // past the reconnect grace
        h.agent("a2", in: ["calls"])
        h.agent("b-free", in: ["support"])
        h.agent("b-rest", in: ["r"])
        h.ok(.setStatus("b-rest", status: "rest", restReason: "lunch"))
        h.agent("b-pending", in: ["p"])
        h.ok(.accept("b-pending", h.create(in: "p")))
        h.ok(.setStatus("b-pending", status: "notReady", restReason: nil))
        h.agent("b-full", in: ["f"], imCapacity: 1)
        h.ok(.accept("b-full", h.create(in: "f")))
        h.agent("b-busy", in: ["q"])
        h.ok(.accept("b-busy", h.create(in: "q")))
        let im = h.create(in: "sales")
        h.ok(.accept("a1", im))
        let call = h.create(.phone, in: "calls")
        h.ok(.accept("a2", call))
        _ = h.take()
        return (h, im, call)
    }

    @Test func eachColleagueSaysWhetherItCanTakeTheSessionNow() throws {
        let (h, im, call) = colleaguesInEveryState()
        let forChat = try h.machine.transferDirectory(for: "a1", session: im)
        #expect(forChat.session == im)
        let chat = Dictionary(uniqueKeysWithValues: forChat.colleagues.map { ($0.id, $0.availability) })
        #expect(Set(chat.keys) == ["a2", "b-away", "b-free", "b-rest", "b-pending", "b-full", "b-busy"])
        #expect(chat["b-free"] == .available)
        #expect(chat["b-busy"] == .available, "busy with room for another chat")
        #expect(chat["b-rest"] == .unavailable(why: "agent b-rest is rest and cannot take a transfer"))
        #expect(chat["b-pending"] == .unavailable(why: "agent b-pending is about to go notReady and cannot take a transfer"))
        #expect(chat["b-full"] == .unavailable(why: "agent b-full has no free capacity for a im session"))
        #expect(chat["b-away"] == .unavailable(why: "agent b-away has lost its connection and cannot take a transfer"))
        #expect(chat["a2"] == .unavailable(why: "agent a2 has no free capacity for a im session"), "on a call")
        #expect(forChat.colleagues.first { $0.id == "b-away" }?.reachable == false)

        // The same colleagues for a phone call: whoever holds a chat has no room for it.
        let forCall = try h.machine.transferDirectory(for: "a2", session: call)
        let phone = Dictionary(uniqueKeysWithValues: forCall.colleagues.map { ($0.id, $0.availability) })
        #expect(phone["a2"] == nil, "the asking agent is not listed")
        #expect(phone["b-free"] == .available)
        #expect(phone["b-busy"] == .unavailable(why: "agent b-busy has no free capacity for a phone session"))
        #expect(phone["a1"] == .unavailable(why: "agent a1 has no free capacity for a phone session"))
    }

    @Test func availabilityIsExactlyWhatChatTransferDecides() throws {
        let (h, im, call) = colleaguesInEveryState()
        for (holder, session) in [("a1", im), ("a2", call)] as [(AgentID, SessionID)] {
            for colleague in try h.machine.transferDirectory(for: holder, session: session).colleagues {
                var copy = h
                let result = copy.run(.transfer(holder, session, skillGroupId: nil, userId: colleague.id))
                switch (colleague.availability, result) {
                case (.available, .success): break
                case (.unavailable(let why), .failure(let error)): #expect(error.message == why)
                default: Issue.record("\(colleague.id) for \(session): listed \(String(describing: colleague.availability)), transfer \(result)")
                }
            }
        }
    }

    @Test func anAgentWhoHandedTheSessionOnCanBeHandedItBack() throws {
        var h = Harness()
        h.group("sales")
        h.group("support")
        h.agent("a1", in: ["sales"])
        h.agent("b1", in: ["support"])
        let s = h.create(in: "sales")
        h.ok(.accept("a1", s))
        h.ok(.transfer("a1", s, skillGroupId: nil, userId: "b1"))
        h.ok(.accept("b1", s))
        #expect(h.machine.sessions[s]?.excludedAgents.contains("a1") == true, "routing will not offer it to a1 again")
        let back = try h.machine.transferDirectory(for: "b1", session: s).colleagues
        #expect(back.map(\.id) == ["a1"])
        #expect(back.first?.availability == .available, "but a transfer by name may send it back")
        h.ok(.transfer("b1", s, skillGroupId: nil, userId: "a1"))
    }

    @Test func aSessionTheAgentCannotTransferIsRefused() throws {
        var h = Harness()
        h.group("sales", offerTimeout: 0)
        h.agent("a1", in: ["sales"])
        h.agent("a2", in: ["sales"])
        h.agent("off", in: ["sales"], online: false)
        // Calls, one per agent: the second rings at the other agent.
        let first = h.create(.phone, in: "sales")
        let second = h.create(.phone, in: "sales")
        let holder = try #require(h.state(first)?.agent)
        let ringingAt = try #require(h.state(second)?.agent)
        #expect(ringingAt != holder)
        h.ok(.accept(holder, first))

        #expect(refusal { () throws(RoutingError) in try h.machine.transferDirectory(for: "ghost") }?.code == .unknownAgent)
        #expect(refusal { () throws(RoutingError) in try h.machine.transferDirectory(for: holder, session: "s-404") }?.code == .unknownSession)
        let foreign = refusal { () throws(RoutingError) in try h.machine.transferDirectory(for: ringingAt, session: first) }
        #expect(foreign == RoutingError(.notHeld, "session \(first) is not held by agent \(ringingAt): only the agent that accepted it can transfer it"))
        let ringing = refusal { () throws(RoutingError) in try h.machine.transferDirectory(for: ringingAt, session: second) }
        #expect(ringing?.code == .notHeld, "a ringing offer is not the agent's to transfer yet")
        #expect(refusal { () throws(RoutingError) in try h.machine.transferDirectory(for: "off", session: first) }?.code == .agentOffline)
        // Without a session an offline agent may still look.
        #expect(try h.machine.transferDirectory(for: "off").colleagues.map(\.id) == ["a1", "a2"])
    }
}
