import Testing
@testable import SwitchboardCore

@Suite("Agent status: every row of SEMANTICS.md's table")
struct AgentStatusTests {
    func statusChanges(_ h: Harness, _ agent: AgentID) -> [StatusChange] {
        h.told(agent).compactMap { if case .statusChanged(let change) = $0 { change } else { nil } }
    }

    @Test func onlineMakesAnAgentFreeAndReportsIt() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"], online: false)
        #expect(h.status("a1") == .offline)
        h.ok(.online("a1"))
        #expect(h.status("a1") == .free)
        #expect(statusChanges(h, "a1") == [StatusChange(status: .free, restReason: nil, cause: .agent)])
    }

    @Test func aTenantMayPutAgentsInNotReadyOnline() {
        var h = Harness(configuration: RoutingConfiguration(statusAfterOnline: .notReady))
        h.group("sales")
        h.agent("a1", in: ["sales"])
        #expect(h.status("a1") == .notReady)
    }

    @Test func onlineTwiceIsHarmless() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        _ = h.take()
        h.ok(.online("a1"))
        #expect(h.take().isEmpty)
        #expect(h.status("a1") == .free)
    }

    @Test func offlineFromAnyStatusWithoutSessions() {
        for start in ["free", "rest", "notReady", "arrange"] {
            var h = Harness()
            h.group("sales")
            h.agent("a1", in: ["sales"])
            if start != "free" { h.ok(.setStatus("a1", status: start, restReason: nil)) }
            h.ok(.offline("a1"))
            #expect(h.status("a1") == .offline)
            #expect(statusChanges(h, "a1").last?.status == .offline)
        }
    }

    @Test func offlineIsRefusedWhileHoldingSessions() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        h.ok(.accept("a1", s))
        let message = h.refuse(.offline("a1"), .agentHoldsSessions)
        #expect(message.contains(s.rawValue))
        #expect(h.status("a1") == .busy)
    }

    @Test func offlineWithdrawsRingingOffersAndRoutesThemOn() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        #expect(h.state(s).map(SessionState.ringing("a1")) == true)
        h.agent("a2", in: ["sales"])
        _ = h.take()
        h.ok(.offline("a1"))
        #expect(h.told("a1").contains(.autoTransfer(sessionId: s)))
        #expect(h.state(s).map(SessionState.ringing("a2")) == true)
    }

    @Test(arguments: [
        ("free", AgentStatus.free, ["free", "arrange", "notReady", "rest"]),
        ("stopNotReady", .free, ["free", "arrange", "notReady", "rest"]),
        ("rest", .rest, ["free", "arrange", "notReady"]),
        ("notReady", .notReady, ["free", "arrange", "rest"]),
        ("arrange", .arrange, ["free", "notReady", "rest"]),
    ])
    func setStatusFollowsTheTable(requested: String, result: AgentStatus, allowedFrom: [String]) {
        for from in ["free", "arrange", "notReady", "rest"] {
            var h = Harness()
            h.group("sales")
            h.agent("a1", in: ["sales"])
            if from != "free" { h.ok(.setStatus("a1", status: from, restReason: nil)) }
            if allowedFrom.contains(from) {
                h.ok(.setStatus("a1", status: requested, restReason: "lunch"))
                #expect(h.status("a1") == result, "\(from) → \(requested)")
            } else {
                let message = h.refuse(.setStatus("a1", status: requested, restReason: nil), .statusNotAllowed)
                #expect(message.contains("already"), "\(message)")
            }
        }
    }

    @Test func statusNamesAreCaseInsensitiveAsTheDocumentSpellsThem() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        h.ok(.setStatus("a1", status: "NotReady", restReason: nil))
        #expect(h.status("a1") == .notReady)
        h.ok(.setStatus("a1", status: "StopNotReady", restReason: nil))
        #expect(h.status("a1") == .free)
        h.ok(.setStatus("a1", status: "Arrange", restReason: nil))
        #expect(h.status("a1") == .arrange)
        h.ok(.setStatus("a1", status: "FREE", restReason: nil))
        #expect(h.status("a1") == .free)
    }

    @Test func restReasonIsKeptAndReported() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        _ = h.take()
        h.ok(.setStatus("a1", status: "rest", restReason: "lunch"))
        #expect(h.machine.agents["a1"]?.restReason == "lunch")
        #expect(statusChanges(h, "a1") == [StatusChange(status: .rest, restReason: "lunch", cause: .agent)])
        h.ok(.setStatus("a1", status: "free", restReason: nil))
        #expect(h.machine.agents["a1"]?.restReason == nil)
    }

    @Test func restWithAnotherReasonChangesTheReasonAndTheSameOneIsRefused() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        h.ok(.setStatus("a1", status: "rest", restReason: "lunch"))
        _ = h.take()
        h.ok(.setStatus("a1", status: "rest", restReason: "meeting"))
        #expect(h.status("a1") == .rest && h.machine.agents["a1"]?.restReason == "meeting")
        #expect(statusChanges(h, "a1") == [StatusChange(status: .rest, restReason: "meeting", cause: .agent)])
        #expect(h.refuse(.setStatus("a1", status: "rest", restReason: "meeting"), .statusNotAllowed).contains("already rest"))
        h.ok(.setStatus("a1", status: "rest", restReason: nil))
        #expect(h.machine.agents["a1"]?.restReason == nil, "a break without a reason is another reason too")
    }

    @Test func badStatusRequestsAreRefusedWithTheReason() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        #expect(h.refuse(.setStatus("a1", status: "busy", restReason: nil), .invalidStatus).contains("set by the system"))
        #expect(h.refuse(.setStatus("a1", status: "offline", restReason: nil), .invalidStatus).contains("Agent.offline()"))
        #expect(h.refuse(.setStatus("a1", status: "sleeping", restReason: nil), .invalidStatus).contains("unknown status 'sleeping'"))
        h.refuse(.setStatus("a1", status: "rest", restReason: String(repeating: "x", count: 201)), .invalidStatus)
        h.refuse(.setStatus("ghost", status: "free", restReason: nil), .unknownAgent)
        h.ok(.offline("a1"))
        #expect(h.refuse(.setStatus("a1", status: "free", restReason: nil), .agentOffline).contains("Agent.online()"))
    }

    @Test func busyIsSetByTheSystemAndFreeCannotBeRequested() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        _ = h.take()
        h.ok(.accept("a1", s))
        #expect(h.status("a1") == .busy)
        #expect(statusChanges(h, "a1") == [StatusChange(status: .busy, restReason: nil, cause: .sessionAccepted)])
        #expect(h.refuse(.setStatus("a1", status: "free", restReason: nil), .statusNotAllowed).contains("busy"))
        #expect(h.refuse(.setStatus("a1", status: "stopNotReady", restReason: nil), .statusNotAllowed).contains("busy"))
    }

    @Test(arguments: ["rest", "notReady", "arrange"])
    func aStatusAskedForWhileBusyWaitsForTheLastSession(requested: String) {
        var h = Harness()
        h.group("sales", wrapUp: 0)
        h.agent("a1", in: ["sales"])
        let s1 = h.create(in: "sales")
        let s2 = h.create(in: "sales")
        h.ok(.accept("a1", s1))
        h.ok(.accept("a1", s2))
        h.ok(.setStatus("a1", status: requested, restReason: "coffee"))
        #expect(h.status("a1") == .busy)
        #expect(h.machine.agents["a1"]?.pendingStatus == (try? RequestedStatus.parse(requested)))
        // No new offers while winding down.
        _ = h.create(in: "sales")
        #expect(h.machine.agents["a1"]?.ringing.isEmpty == true)
        h.ok(.end("a1", s1))
        #expect(h.status("a1") == .busy)
        h.ok(.end("a1", s2))
        let expected = try! RequestedStatus.parse(requested).agentStatus
        #expect(h.status("a1") == expected)
        if expected == .rest { #expect(h.machine.agents["a1"]?.restReason == "coffee") }
    }

    @Test func lastSessionEndingGivesWrapUpThenFree() {
        var h = Harness()
        h.group("sales", wrapUp: 30)
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        h.ok(.accept("a1", s))
        _ = h.take()
        h.ok(.end("a1", s))
        #expect(h.status("a1") == .arrange)
        #expect(statusChanges(h, "a1") == [StatusChange(status: .arrange, restReason: nil, cause: .sessionEnded)])
        // No offers during wrap-up.
        let waiting = h.create(in: "sales")
        #expect(h.state(waiting) == .queued)
        h.advance(seconds: 29)
        #expect(h.status("a1") == .arrange)
        _ = h.take()
        h.advance(seconds: 1)
        #expect(h.told("a1").contains(.sessionCompleted(sessionId: s)))
        #expect(statusChanges(h, "a1").first == StatusChange(status: .free, restReason: nil, cause: .wrapUpTimer))
        #expect(h.state(waiting).map(SessionState.ringing("a1")) == true)
    }

    @Test func wrapUpThenThePendingStatus() {
        var h = Harness()
        h.group("sales", wrapUp: 10)
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        h.ok(.accept("a1", s))
        h.ok(.setStatus("a1", status: "rest", restReason: "lunch"))
        h.ok(.end("a1", s))
        #expect(h.status("a1") == .arrange)
        h.advance(seconds: 10)
        #expect(h.status("a1") == .rest)
        #expect(h.machine.agents["a1"]?.restReason == "lunch")
    }

    @Test func anAgentMayLeaveWrapUpEarly() {
        var h = Harness()
        h.group("sales", wrapUp: 60)
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        h.ok(.accept("a1", s))
        h.ok(.end("a1", s))
        _ = h.take()
        h.ok(.setStatus("a1", status: "free", restReason: nil))
        #expect(h.status("a1") == .free)
        #expect(h.told("a1").contains(.sessionCompleted(sessionId: s)))
        // The old wrap-up timer must not fire later.
        _ = h.take()
        h.advance(seconds: 61)
        #expect(h.status("a1") == .free)
        #expect(statusChanges(h, "a1").isEmpty)
    }

    @Test func wrapUpZeroSkipsArrange() {
        var h = Harness()
        h.group("sales", wrapUp: 0)
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        h.ok(.accept("a1", s))
        _ = h.take()
        h.ok(.end("a1", s))
        #expect(h.status("a1") == .free)
        #expect(statusChanges(h, "a1") == [StatusChange(status: .free, restReason: nil, cause: .sessionEnded)])
        #expect(h.told("a1").contains(.sessionCompleted(sessionId: s)))
    }

    @Test func adminStatusChangesCarryTheAdminCause() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        _ = h.take()
        h.ok(.adminSetStatus("a1", status: "notReady", restReason: nil))
        #expect(statusChanges(h, "a1") == [StatusChange(status: .notReady, restReason: nil, cause: .admin)])
    }

    @Test func leavingFreeWithdrawsRingingOffers() {
        var h = Harness()
        h.group("sales")
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        _ = h.take()
        h.ok(.setStatus("a1", status: "rest", restReason: nil))
        #expect(h.told("a1").contains(.autoTransfer(sessionId: s)))
        #expect(h.state(s) == .queued)
        #expect(h.machine.sessions[s]?.excludedAgents.isEmpty == true, "a withdrawal is not a miss")
    }
}
