import Foundation
import Testing
@testable import SwitchboardCore

/// The defects fixed in routing rules version 2, each with the test that would have caught it,
/// and the old rules kept for replaying journals written under them.
@Suite("Routing rules version 2")
struct RulesVersionTests {
    /// A customer who waited 50 s of a 60 s queue timeout, was served, and is then transferred
    /// to a named agent who does not answer.
    func transferredAfterAWait(rules: Int) -> (Harness, SessionID) {
        var h = Harness()
        h.machine.rules = rules
        h.group("sales", offerTimeout: 20, queueTimeout: 60)
        h.group("support")
        let s = h.create(in: "sales", nickname: "Ann")
        h.advance(seconds: 50)
        h.agent("a1", in: ["sales"])
        h.ok(.accept("a1", s))
        h.agent("a2", in: ["sales"])
        h.advance(seconds: 100)
        h.ok(.transfer("a1", s, skillGroupId: nil, userId: "a2"))
        _ = h.take()
        h.advance(seconds: 20)
        return (h, s)
    }

    @Test func aTransferToAnAgentWhoDoesNotAnswerReturnsWithAFreshQueueTimeout() {
        var (h, s) = transferredAfterAWait(rules: 2)
        #expect(h.history(s).contains(.missed(agent: "a2")))
        #expect(h.state(s) == .queued, "the customer in mid-conversation is not ended as a queue timeout")
        #expect(h.machine.sessions[s]?.queueDeadline == h.now.adding(seconds: 60))
        h.advance(seconds: 59)
        #expect(h.state(s) == .queued)
        h.advance(seconds: 1)
        #expect(h.state(s) == nil, "its new wait times out like any other")
    }

    @Test func underRules1ItWasEndedAtOnceAsAQueueTimeout() {
        let (h, s) = transferredAfterAWait(rules: 1)
        #expect(h.state(s) == nil)
        #expect(h.history(s).contains { if case .ended(.timer, _, _, _, _, _) = $0 { true } else { false } })
    }

    @Test func aSessionOfferedFromTheQueueKeepsItsDeadlineWhenTheOfferRingsOut() {
        var h = Harness()
        h.group("sales", offerTimeout: 20, queueTimeout: 60)
        h.agent("a1", in: ["sales"])
        let s = h.create(in: "sales")
        let deadline = h.machine.sessions[s]?.queueDeadline
        h.advance(seconds: 20)
        #expect(h.state(s) == .queued)
        #expect(h.machine.sessions[s]?.queueDeadline == deadline, "its wait goes on")
    }

    /// A chat accepted with a 60 s inactivity timeout, quiet for 30 s, when the setting changes.
    func quietChat(rules: Int, newTimeout: Int) -> (Harness, SessionID) {
        var h = Harness()
        h.machine.rules = rules
        h.group("support", imInactivity: 60)
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        h.ok(.accept("a1", s))
        h.advance(seconds: 30)
        h.group("support", imInactivity: newTimeout)
        return (h, s)
    }

    @Test func liveChatsFollowAChangedInactivityTimeoutAtOnce() {
        var (h, s) = quietChat(rules: 2, newTimeout: 40)
        #expect(h.machine.sessions[s]?.inactivityDeadline == h.now.adding(seconds: 10))
        h.advance(seconds: 9)
        #expect(h.state(s) != nil)
        h.advance(seconds: 1)
        #expect(h.state(s) == nil, "ended 40 s after the last activity")

        var (off, chat) = quietChat(rules: 2, newTimeout: 0)
        #expect(off.machine.sessions[chat]?.inactivityDeadline == nil)
        off.advance(seconds: 3600)
        #expect(off.state(chat) != nil, "no timeout: never ended by the timer")
    }

    @Test func aRestoredCoreFiresTheSameInactivityTimers() throws {
        var (h, s) = quietChat(rules: 2, newTimeout: 120)
        let data = try JSONEncoder().encode(h.machine.snapshot)
        var restored = Harness()
        restored.machine = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        restored.now = h.now
        #expect(restored.machine.snapshot == h.machine.snapshot)
        for _ in 0..<4 {
            h.advance(seconds: 30)
            restored.advance(seconds: 30)
            #expect(restored.machine.snapshot == h.machine.snapshot)
        }
        #expect(h.state(s) == nil && restored.state(s) == nil, "both end it 120 s after the last activity")
    }

    @Test func underRules1AChangedTimeoutDroppedTheRunningTimerUntilTheNextMessage() {
        var (h, s) = quietChat(rules: 1, newTimeout: 40)
        h.advance(seconds: 3600)
        #expect(h.state(s) != nil)
        h.ok(.activity(s))
        h.advance(seconds: 40)
        #expect(h.state(s) == nil)
    }

    @Test func snapshotsFromRules1DeriveTheDeadlineAsRules1Did() throws {
        let (h, s) = quietChat(rules: 2, newTimeout: 60)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(h.machine.snapshot)) as! [String: Any]
        json["rulesVersion"] = nil
        var sessions = json["sessions"] as! [[String: Any]]
        sessions[0]["inactivityDeadline"] = nil
        json["sessions"] = sessions
        let old = try JSONDecoder().decode(RoutingSnapshot.self, from: JSONSerialization.data(withJSONObject: json))
        let restored = RoutingStateMachine(snapshot: old)
        #expect(restored.sessions[s]?.inactivityDeadline == h.machine.sessions[s]?.inactivityDeadline)
        #expect(h.machine.snapshot.rulesVersion == RoutingStateMachine.rulesVersion)
    }
}
