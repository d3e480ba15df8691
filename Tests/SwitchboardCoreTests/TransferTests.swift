import Testing
@testable import SwitchboardCore

@Suite("Transfers")
struct TransferTests {
    /// Two groups, agents a1 (sales) and b1, b2 (support), and an im session accepted by a1.
    func setUp() -> (Harness, SessionID) {
        var h = Harness()
        h.group("sales")
        h.group("support")
        h.agent("a1", in: ["sales"])
        h.agent("b1", in: ["support"])
        h.agent("b2", in: ["support"])
        let s = h.create(in: "sales", nickname: "Ann")
        h.ok(.accept("a1", s))
        _ = h.take()
        return (h, s)
    }

    @Test func transferToAGroupOffersItThereAndReleasesTheAgent() {
        var (h, s) = setUp()
        h.ok(.transfer("a1", s, skillGroupId: "support", userId: nil))
        #expect(h.told("a1").first == .transfer(sessionId: s, skillGroupId: "support", userId: nil))
        #expect(h.machine.agents["a1"]?.held.isEmpty == true)
        #expect(h.status("a1") == .free)
        let ringingAt = h.state(s)?.agent
        #expect(ringingAt == "b1" || ringingAt == "b2")
        let offer = h.told(ringingAt!).compactMap { if case .callIn(let offer) = $0 { offer } else { nil } }.first
        #expect(offer?.sessionId == s, "the session keeps its id")
        #expect(offer?.customer.nickname == "Ann", "and its details")
        #expect(h.shown(s).contains(.transferred))
        #expect(h.history(s).first == .transferred(from: "a1", toSkillGroup: "support", toAgent: nil))
    }

    @Test func transferToAnAgentRingsAtThatAgent() {
        var (h, s) = setUp()
        h.ok(.transfer("a1", s, skillGroupId: nil, userId: "b2"))
        #expect(h.state(s)?.agent == "b2")
        #expect(h.told("a1").first == .transfer(sessionId: s, skillGroupId: nil, userId: "b2"))
        let offered = h.history(s).compactMap { if case .offered(_, let reason) = $0 { reason } else { nil } }
        #expect(offered.first?.strategy == nil, "a named transfer is not a strategy decision")
        h.ok(.accept("b2", s))
        #expect(h.status("b2") == .busy)
    }

    @Test func theTransferringAgentIsNotOfferedItBack() {
        var (h, s) = setUp()
        h.ok(.upsertAgent(AgentProfile(id: "a1", name: "Agent a1", memberships: ["sales": .init(), "support": .init()])))
        h.ok(.setStatus("b1", status: "rest", restReason: nil))
        h.ok(.setStatus("b2", status: "rest", restReason: nil))
        h.ok(.transfer("a1", s, skillGroupId: "support", userId: nil))
        #expect(h.state(s) == .queued)
        #expect(h.machine.sessions[s]?.excludedAgents.contains("a1") == true)
    }

    @Test func aChainOfTransfers() {
        var (h, s) = setUp()
        h.ok(.transfer("a1", s, skillGroupId: nil, userId: "b1"))
        h.ok(.accept("b1", s))
        h.ok(.transfer("b1", s, skillGroupId: nil, userId: "b2"))
        h.ok(.accept("b2", s))
        h.ok(.transfer("b2", s, skillGroupId: "sales", userId: nil))
        #expect(h.state(s) == .queued, "a1 transferred it before, so it is not offered back")
        h.agent("a2", in: ["sales"])
        #expect(h.state(s)?.agent == "a2")
        h.ok(.accept("a2", s))
        h.ok(.end("a2", s))
        let transfers = h.history(s).filter { if case .transferred = $0 { true } else { false } }
        #expect(transfers.count == 3)
        for agent in ["a1", "b1", "b2", "a2"] as [AgentID] { #expect(h.status(agent) == .free) }
    }

    @Test func transferNeedsATarget() {
        var (h, s) = setUp()
        #expect(h.refuse(.transfer("a1", s, skillGroupId: nil, userId: nil), .transferWithoutTarget).contains("skillGroupId"))
    }

    @Test func onlyTheHolderTransfers() {
        var (h, s) = setUp()
        #expect(h.refuse(.transfer("b1", s, skillGroupId: "support", userId: nil), .notHeld) == "session \(s) is not held by agent b1: only the agent that accepted it can transfer it")
        h.refuse(.transfer("a1", "s-404", skillGroupId: "support", userId: nil), .unknownSession)
    }

    @Test func transferTargetsMustExistAndBeAbleToTakeIt() {
        var (h, s) = setUp()
        h.refuse(.transfer("a1", s, skillGroupId: "nowhere", userId: nil), .unknownSkillGroup)
        h.refuse(.transfer("a1", s, skillGroupId: nil, userId: "ghost"), .unknownAgent)
        #expect(h.refuse(.transfer("a1", s, skillGroupId: nil, userId: "a1"), .transferTargetUnavailable).contains("itself"))
        h.ok(.offline("b1"))
        #expect(h.refuse(.transfer("a1", s, skillGroupId: nil, userId: "b1"), .transferTargetUnavailable).contains("offline"))
        h.ok(.setStatus("b2", status: "rest", restReason: nil))
        #expect(h.refuse(.transfer("a1", s, skillGroupId: nil, userId: "b2"), .transferTargetUnavailable).contains("rest"))
    }

    @Test func aTransferToAnAgentWithoutRoomIsRefused() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"])
        let call1 = h.create(.phone, in: "g")
        let call2 = h.create(.phone, in: "g")
        let holder1 = h.state(call1)!.agent!
        let holder2 = h.state(call2)!.agent!
        h.ok(.accept(holder1, call1))
        h.ok(.accept(holder2, call2))
        #expect(h.refuse(.transfer(holder1, call1, skillGroupId: nil, userId: holder2), .transferTargetUnavailable).contains("no free capacity"))
    }

    @Test func aMissedDirectedTransferGoesToTheGroupQueue() {
        var (h, s) = setUp()
        h.ok(.transfer("a1", s, skillGroupId: "support", userId: "b1"))
        h.advance(seconds: 20)
        #expect(h.history(s).contains(.missed(agent: "b1")))
        #expect(h.state(s)?.agent == "b2")
    }
}
