import Testing
@testable import SwitchboardCore

@Suite("Presence: connections, grace and hold periods")
struct PresenceTests {
    @Test func severalConnectionsShareOneStatus() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.ok(.connect("a1", "tab-2"))
        h.ok(.disconnect("a1", "c1"))
        h.advance(seconds: 60)
        #expect(h.machine.agents["a1"]?.reachable == true, "one tab is still open")
        let s = h.create(in: "g")
        #expect(h.state(s)?.agent == "a1")
    }

    @Test func connectionErrors() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.refuse(.connect("a1", "c1"), .invalidConnection)
        h.refuse(.disconnect("a1", "nope"), .invalidConnection)
        h.refuse(.connect("ghost", "c9"), .unknownAgent)
    }

    @Test func afterTheGracePeriodOffersMoveOnAndNoNewOnesCome() {
        var h = Harness()
        h.group("g", offerTimeout: 0)
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"], online: false)
        let s = h.create(.phone, in: "g")
        #expect(h.state(s)?.agent == "a1")
        h.ok(.disconnect("a1", "c1"))
        h.advance(seconds: 29)
        #expect(h.state(s)?.agent == "a1", "the grace period keeps the offer")
        _ = h.take()
        h.advance(seconds: 1)
        #expect(h.told("a1") == [.autoTransfer(sessionId: s)])
        #expect(h.status("a1") == .free, "the status the agent chose is kept")
        #expect(h.state(s) == .queued)
        h.ok(.online("a2"))
        #expect(h.state(s)?.agent == "a2")
        let next = h.create(.phone, in: "g")
        #expect(h.state(next) == .queued, "a1 gets nothing while away")
        h.ok(.connect("a1", "c-back"))
        #expect(h.state(next)?.agent == "a1", "coming back makes it routable again")
    }

    @Test func comingBackWithinTheGracePeriodLosesNothing() {
        var h = Harness()
        h.group("g", offerTimeout: 0)
        h.agent("a1", in: ["g"])
        let ringing = h.create(in: "g")
        let held = h.create(in: "g")
        h.ok(.accept("a1", held))
        h.ok(.disconnect("a1", "c1"))
        h.advance(seconds: 20)
        h.ok(.connect("a1", "c2"))
        h.advance(seconds: 300)
        #expect(h.state(ringing)?.agent == "a1")
        #expect(h.state(held) == .accepted(agent: "a1"))
    }

    @Test func afterTheHoldPeriodImSessionsReturnToTheQueue() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"], online: false)
        let chat = h.create(.im, in: "g")
        h.ok(.accept("a1", chat))
        h.ok(.disconnect("a1", "c1"))
        h.advance(seconds: 119)
        #expect(h.state(chat) == .accepted(agent: "a1"))
        _ = h.take()
        h.advance(seconds: 1)
        #expect(h.told("a1").contains(.autoTransfer(sessionId: chat)))
        #expect(h.history(chat).contains(.returnedToQueue(agent: "a1", why: "agent's connection was lost for 120 s")))
        #expect(h.state(chat) == .queued)
        #expect(h.status("a1") == .free)
        h.ok(.online("a2"))
        #expect(h.state(chat)?.agent == "a2")
    }

    @Test func voiceSessionsFollowTheirMediaAndStay() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        let call = h.create(.voip, in: "g")
        h.ok(.accept("a1", call))
        h.ok(.disconnect("a1", "c1"))
        h.advance(seconds: 600)
        #expect(h.state(call) == .accepted(agent: "a1"))
    }

    @Test func gracePeriodZeroMakesAnAgentUnreachableAtOnce() {
        var h = Harness(configuration: RoutingConfiguration(reconnectGraceSeconds: 0))
        h.group("g", offerTimeout: 0)
        h.agent("a1", in: ["g"])
        let s = h.create(in: "g")
        h.ok(.disconnect("a1", "c1"))
        #expect(h.state(s) == .queued)
    }
}

@Suite("Configuration commands")
struct ConfigurationTests {
    @Test func agentsNeedExistingGroupsAndValidSettings() {
        var h = Harness()
        h.group("g")
        h.refuse(.upsertAgent(AgentProfile(id: "a", memberships: ["nope": .init()])), .unknownSkillGroup)
        h.refuse(.upsertAgent(AgentProfile(id: "a", memberships: ["g": .init(skillLevel: 9)])), .invalidConfiguration)
        h.refuse(.upsertAgent(AgentProfile(id: "a", imCapacity: 0)), .invalidConfiguration)
        h.refuse(.upsertAgent(AgentProfile(id: "")), .invalidConfiguration)
        h.refuse(.upsertSkillGroup(SkillGroup(id: "x", offerTimeoutSeconds: -1)), .invalidConfiguration)
        h.refuse(.upsertSkillGroup(SkillGroup(id: "x", missedOfferStatus: .busy)), .invalidConfiguration)
        h.refuse(.configure(RoutingConfiguration(statusAfterOnline: .rest)), .invalidConfiguration)
        h.refuse(.configure(RoutingConfiguration(defaultImCapacity: 0)), .invalidConfiguration)
    }

    @Test func removingThingsInUseIsRefused() {
        var h = Harness()
        h.group("g")
        h.group("h", overflow: "g")
        h.agent("a1", in: ["g"])
        #expect(h.refuse(.removeAgent("a1"), .inUse).contains("offline"))
        #expect(h.refuse(.removeSkillGroup("g"), .inUse).contains("overflow"))
        _ = h.create(in: "h")
        #expect(h.refuse(.removeSkillGroup("h"), .inUse).contains("live sessions"))
        h.ok(.offline("a1"))
        h.ok(.removeAgent("a1"))
        h.refuse(.removeAgent("a1"), .unknownAgent)
    }

    @Test func changingMembershipChangesRouting() {
        var h = Harness()
        h.group("g")
        h.group("h")
        h.agent("a1", in: ["g"])
        let s = h.create(in: "h")
        #expect(h.state(s) == .queued)
        h.ok(.upsertAgent(AgentProfile(id: "a1", memberships: ["g": .init(), "h": .init()])))
        #expect(h.state(s)?.agent == "a1")
        h.ok(.upsertAgent(AgentProfile(id: "a1", memberships: ["g": .init()])))
        let s2 = h.create(in: "h")
        #expect(h.state(s2) == .queued)
    }

    @Test func changingTheStrategyReranks() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"], levels: ["g": 5])
        h.advance(seconds: 1)
        h.agent("a2", in: ["g"], levels: ["g": 1])
        h.group("g", strategy: .skillLevel)
        #expect(h.route(.phone, in: "g") == "a2")
    }
}
