import Foundation
import Testing
@testable import SwitchboardCore

/// Time the server was down is nobody's fault (SEMANTICS.md, "Time the server was down").
@Suite("Time the server was down")
struct DowntimeTests {
    /// An offer ringing at a1 (20 s timeout), a customer queued with a 60 s queue timeout and a
    /// chat held by a2 with a 60 s inactivity timeout; the server goes down 5 s later and comes
    /// back `down` seconds after that.
    func outage(down: Double) -> (h: Harness, ringing: SessionID, queued: SessionID, chat: SessionID) {
        var h = Harness()  // reconnect grace: 30 s
        h.group("sales", offerTimeout: 20, queueTimeout: 60, imInactivity: 60)
        h.agent("a2", in: ["sales"], imCapacity: 1)
        let chat = h.create(in: "sales")
        h.ok(.accept("a2", chat))
        h.agent("a1", in: ["sales"], imCapacity: 1)
        let ringing = h.create(in: "sales")
        let queued = h.create(in: "sales")
        #expect(h.state(ringing)?.agent == "a1" && h.state(queued) == .queued)
        h.advance(seconds: 5)
        _ = h.take()
        // Down: nothing is handled until the restart.
        h.now = h.now.adding(seconds: Int(down))
        // Straight to the core: the harness would tick first, which is what a restart must not do.
        let outcome = h.machine.handle(.serverRestarted, at: h.now)
        #expect((try? outcome.result.get()) == .done)
        h.events += outcome.events
        return (h, ringing, queued, chat)
    }

    @Test func anOfferThatRangOutWhileDownRingsAgainForWhatItHadLeftAndNobodyMissedIt() {
        var (h, ringing, _, _) = outage(down: 100)
        #expect(!h.history(ringing).contains(.missed(agent: "a1")))
        #expect(h.status("a1") == .free, "not put in the missed-offer status")
        // It had 15 s left, less than the 30 s grace: it rings for the grace.
        guard case .ringing("a1", let deadline?) = h.state(ringing) else { Issue.record("not ringing: \(String(describing: h.state(ringing)))"); return }
        #expect(deadline == h.now.adding(seconds: 30))
        h.advance(seconds: 29)
        #expect(h.state(ringing)?.agent == "a1")
        h.advance(seconds: 1)
        #expect(h.history(ringing).contains(.missed(agent: "a1")), "after the restart, ringing out is a miss again")
    }

    @Test func queueAndInactivityTimersThatFellDueWhileDownWaitTheGrace() {
        var (h, _, queued, chat) = outage(down: 3600)
        #expect(h.state(queued) == .queued && h.state(chat) != nil, "an hour down ended nobody")
        #expect(h.machine.sessions[queued]?.queueDeadline == h.now.adding(seconds: 30))
        #expect(h.machine.sessions[chat]?.inactivityDeadline == h.now.adding(seconds: 30))
        h.advance(seconds: 30)
        #expect(h.state(queued) == nil && h.state(chat) == nil, "then they run out as usual")
    }

    @Test func timersStillAheadAreLeftAloneAndAShortOutageStillGetsTheGrace() {
        var (h, ringing, queued, chat) = outage(down: 2)
        // The offer had 13 s left of its 20: under the grace, so it gets 30 s.
        guard case .ringing(_, let deadline?) = h.state(ringing) else { Issue.record("not ringing"); return }
        #expect(deadline == h.now.adding(seconds: 30))
        // The queue and inactivity deadlines (53 s away) were beyond the grace: unchanged.
        #expect(h.machine.sessions[queued]?.queueDeadline == h.now.adding(seconds: 53))
        #expect(h.machine.sessions[chat]?.inactivityDeadline == h.now.adding(seconds: 53))
    }

    @Test func aRestoredCoreDecidesTheSameAfterARestart() throws {
        var (h, _, _, _) = outage(down: 100)
        let data = try JSONEncoder().encode(h.machine.snapshot)
        var restored = Harness()
        restored.machine = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        restored.now = h.now
        for _ in 0..<8 {
            h.advance(seconds: 10)
            restored.advance(seconds: 10)
            #expect(restored.machine.snapshot == h.machine.snapshot)
        }
    }
}
