import Testing
@testable import SwitchboardCore

@Suite("Routing strategies and capacity")
struct RoutingStrategyTests {
    /// The agent a new voice session rings at.
    func nextAgent(_ h: inout Harness, in group: SkillGroupID) -> AgentID? {
        let s = h.create(.phone, in: group)
        return h.state(s)?.agent
    }

    @Test func longestIdleGoesToTheAgentIdleTheLongest() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.advance(seconds: 5)
        h.agent("a2", in: ["g"])
        h.advance(seconds: 5)
        h.agent("a3", in: ["g"])
        #expect(nextAgent(&h, in: "g") == "a1")
        #expect(nextAgent(&h, in: "g") == "a2")
        #expect(nextAgent(&h, in: "g") == "a3")
    }

    @Test func longestIdleCountsFromTheLastSessionEnd() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"])
        let s = h.create(.phone, in: "g")
        let first = h.state(s)!.agent!
        h.ok(.accept(first, s))
        h.advance(seconds: 10)
        h.ok(.end(first, s))
        h.advance(seconds: 1)
        let other: AgentID = first == "a1" ? "a2" : "a1"
        #expect(nextAgent(&h, in: "g") == other)
    }

    @Test func roundRobinTakesAgentsInTurn() {
        var h = Harness()
        h.group("g", strategy: .roundRobin)
        for id in ["a1", "a2", "a3"] { h.agent(AgentID(id), in: ["g"], imCapacity: 10) }
        var order: [AgentID] = []
        for _ in 0..<6 { order.append(h.route(.im, in: "g") ?? "nobody") }
        #expect(order == ["a1", "a2", "a3", "a1", "a2", "a3"])
    }

    @Test func leastActiveGoesToTheAgentWithFewestSessions() {
        var h = Harness()
        h.group("g", strategy: .leastActive)
        h.agent("a1", in: ["g"])
        h.agent("a2", in: ["g"])
        let s1 = h.create(.im, in: "g")
        let s2 = h.create(.im, in: "g")
        let s3 = h.create(.im, in: "g")
        let holders = [s1, s2, s3].map { h.state($0)!.agent! }
        #expect(holders.filter { $0 == "a1" }.count >= 1 && holders.filter { $0 == "a2" }.count >= 1)
        let busier = holders.filter { $0 == "a1" }.count > 1 ? AgentID("a1") : AgentID("a2")
        let quieter: AgentID = busier == "a1" ? "a2" : "a1"
        #expect(h.route(.im, in: "g") == quieter)
    }

    @Test func skillLevelPrefersTheBestLevelThenLongestIdle() {
        var h = Harness()
        h.group("g", strategy: .skillLevel)
        h.agent("junior", in: ["g"], levels: ["g": 4])
        h.advance(seconds: 1)
        h.agent("senior", in: ["g"], levels: ["g": 1])
        h.advance(seconds: 1)
        h.agent("senior2", in: ["g"], levels: ["g": 1])
        #expect(nextAgent(&h, in: "g") == "senior")
        #expect(nextAgent(&h, in: "g") == "senior2")
        #expect(nextAgent(&h, in: "g") == "junior")
    }

    @Test func decisionsAreDeterministic() {
        func run() -> [RoutingEvent] {
            var h = Harness()
            h.group("g", strategy: .leastActive)
            h.group("h", strategy: .roundRobin)
            for i in 0..<20 { h.agent(AgentID("a\(i)"), in: i % 2 == 0 ? ["g", "h"] : ["g"]) }
            for i in 0..<60 { _ = h.create(i % 3 == 0 ? .phone : .im, in: i % 2 == 0 ? "g" : "h") }
            h.advance(seconds: 30)
            return h.events
        }
        #expect(run() == run())
    }

    @Test func onlyMembersOfTheGroupAreOffered() {
        var h = Harness()
        h.group("sales")
        h.group("support")
        h.agent("seller", in: ["sales"])
        let s = h.create(in: "support")
        #expect(h.state(s) == .queued)
        h.agent("helper", in: ["support"])
        #expect(h.state(s)?.agent == "helper")
    }

    @Test func oneVoiceSessionAtATime() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        let call1 = h.create(.voip, in: "g")
        let call2 = h.create(.video, in: "g")
        #expect(h.state(call1)?.agent == "a1")
        #expect(h.state(call2) == .queued, "a ringing voice offer takes the agent's capacity")
        h.ok(.accept("a1", call1))
        #expect(h.state(call2) == .queued)
        let chat = h.create(.im, in: "g")
        #expect(h.state(chat) == .queued, "voice and im do not mix by default")
        h.ok(.end("a1", call1))
        #expect(h.state(call2)?.agent == "a1")
    }

    @Test func upToFiveImSessionsByDefault() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"])
        let chats = (0..<6).map { _ in h.create(.im, in: "g") }
        for chat in chats.prefix(5) {
            #expect(h.state(chat)?.agent == "a1")
            h.ok(.accept("a1", chat))
        }
        #expect(h.state(chats[5]) == .queued)
        #expect(h.status("a1") == .busy)
        h.ok(.end("a1", chats[0]))
        #expect(h.state(chats[5])?.agent == "a1", "a busy agent below capacity gets im offers")
    }

    @Test func perAgentImCapacity() {
        var h = Harness()
        h.group("g")
        h.agent("a1", in: ["g"], imCapacity: 2)
        let chats = (0..<3).map { _ in h.create(.im, in: "g") }
        #expect(chats.map { h.state($0)?.agent } == ["a1", "a1", nil])
    }

    @Test func voiceAndImTogetherWhenConfigured() {
        var h = Harness(configuration: RoutingConfiguration(allowVoiceWithIm: true))
        h.group("g")
        h.agent("a1", in: ["g"])
        let chat = h.create(.im, in: "g")
        h.ok(.accept("a1", chat))
        let call = h.create(.phone, in: "g")
        #expect(h.state(call)?.agent == "a1")
        let call2 = h.create(.phone, in: "g")
        #expect(h.state(call2) == .queued)
    }

    @Test func anImAgentIsPassedOverForVoiceButNotForChats() throws {
        var h = Harness()
        h.group("g")
        h.agent("chatty", in: ["g"])
        let chat = h.create(.im, in: "g")
        h.ok(.accept("chatty", chat))
        h.advance(seconds: 1)
        h.agent("idle", in: ["g"])
        h.advance(seconds: 1)
        let call = h.create(.phone, in: "g")
        #expect(h.state(call)?.agent == "idle")
        let offered = h.history(call).compactMap { if case .offered(_, let reason) = $0 { reason } else { nil } }
        #expect(try #require(offered.first).passedOver == [.init(agent: "chatty", why: "no capacity for a phone session")])
    }

    @Test func aWaitingSessionNeverSitsBesideAnEligibleAgent() {
        var h = Harness()
        h.group("g")
        let s = h.create(.im, in: "g")
        h.agent("a1", in: ["g"], online: false)
        #expect(h.state(s) == .queued)
        h.ok(.online("a1"))
        #expect(h.state(s)?.agent == "a1", "going online dispatches")
    }
}
