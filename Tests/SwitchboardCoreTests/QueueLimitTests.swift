import Foundation
import Testing
@testable import SwitchboardCore

@Suite("A skill group's maximum queue length")
struct QueueLimitTests {
    @Test func aSessionArrivingAtAFullQueueIsRecordedAndEndedAtOnceAsQueueFull() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales", maxQueueLength: 2)))
        let first = h.create(in: "sales")
        let second = h.create(in: "sales")
        _ = h.take()
        let before = h.machine.snapshot

        let reply = h.ok(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Third"))))
        guard case .sessionTurnedAway(let turnedAway, let endStatus, let reason) = reply else {
            Issue.record("expected the session to be turned away, got \(reply)")
            return
        }
        #expect(endStatus == "queueFull")
        #expect(reason.contains("full") && reason.contains("2 waiting"), "\(reason)")
        // Recorded for reports, never live: the queue, the waiting sessions and the counters of
        // live state are as they were (only the id counter moved on).
        #expect(h.history(turnedAway).count == 2)
        guard case .created(.im, "sales", 0, _) = h.history(turnedAway).first,
              case .ended(.admin, nil, "queueFull", nil, _, "queueFull") = h.history(turnedAway).last else {
            Issue.record("history: \(h.history(turnedAway))")
            return
        }
        #expect(h.machine.sessions[turnedAway] == nil)
        #expect(h.machine.waitingCount(of: "sales") == 2)
        #expect(h.machine.queuePosition(of: first) == 1 && h.machine.queuePosition(of: second) == 2)
        #expect(h.shown(turnedAway).isEmpty)
        var after = h.machine.snapshot
        after.counters.nextSessionNumber = before.counters.nextSessionNumber
        #expect(after == before)
    }

    @Test func roomInTheQueueAdmitsAgainAndRingingSessionsDoNotCount() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales", maxQueueLength: 1)))
        h.agent("a1", in: ["sales"], imCapacity: 1)
        let ringing = h.create(in: "sales")
        #expect(h.state(ringing)?.agent == "a1", "an offered session has left the queue")
        let waiting = h.create(in: "sales")
        #expect(h.state(waiting) == .queued)
        guard case .sessionTurnedAway = h.ok(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "x")))) else {
            Issue.record("the full queue admitted a session")
            return
        }
        h.ok(.customerLeft(waiting))
        guard case .sessionCreated = h.ok(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "y")))) else {
            Issue.record("a queue with room turned a session away")
            return
        }
    }

    @Test func zeroMeansNoLimitAndOutOfRangeIsRefused() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "sales")))
        for _ in 0..<50 { _ = h.create(in: "sales") }
        #expect(h.machine.waitingCount(of: "sales") == 50)
        h.refuse(.upsertSkillGroup(SkillGroup(id: "sales", maxQueueLength: -1)), .invalidConfiguration)
        h.refuse(.upsertSkillGroup(SkillGroup(id: "sales", maxQueueLength: SkillGroup.maximumQueueLengthLimit + 1)), .invalidConfiguration)
    }

    @Test func groupsWrittenBeforeTheSettingExistedDecodeWithNoLimit() throws {
        let old = #"{"id":"sales","name":"Sales","strategy":"longestIdle","offerTimeoutSeconds":20,"queueTimeoutSeconds":0,"wrapUpSeconds":0,"missedOfferStatus":"notReady","imInactivityTimeoutSeconds":0}"#
        let group = try JSONDecoder().decode(SkillGroup.self, from: Data(old.utf8))
        #expect(group.maxQueueLength == 0)
        #expect(group == SkillGroup(id: "sales", name: "Sales"))
        let roundTrip = try JSONDecoder().decode(SkillGroup.self, from: JSONEncoder().encode(SkillGroup(id: "g", maxQueueLength: 7)))
        #expect(roundTrip.maxQueueLength == 7)
    }
}
