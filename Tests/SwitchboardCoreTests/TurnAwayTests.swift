import Foundation
import Testing
@testable import SwitchboardCore

/// A group may end new sessions at once instead of queueing them: when no member is online
/// (`noSeatOnline`) or outside its working hours (`notWorkTime`).
@Suite("Turning sessions away: no agent online, outside working hours")
struct TurnAwayTests {
    /// Monday 2024-01-08 00:00 UTC.
    static let monday = Timestamp(seconds: 1_704_672_000)
    static let weekdays = WorkingHours(timeZone: "Europe/Berlin", weekly: [
        .monday: [.init(from: 9 * 60, to: 12 * 60), .init(from: 13 * 60, to: 17 * 60)],
        .tuesday: [.init(from: 9 * 60, to: 17 * 60)],
        .sunday: [.init(from: 22 * 60, to: 24 * 60)],
    ])

    /// Checks a turned-away session's record and that nothing live changed but the id counter.
    func expectTurnedAway(_ h: inout Harness, in group: SkillGroupID, as endStatus: String, saying words: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        h.advance(seconds: 0)  // the clock catches up with a time set by hand
        _ = h.take()
        let before = h.machine.snapshot
        guard let (id, status, reason) = h.turnedAway(in: group, sourceLocation: sourceLocation) else { return }
        #expect(status == endStatus, sourceLocation: sourceLocation)
        #expect(reason.contains(words), "\(reason)", sourceLocation: sourceLocation)
        let expected = SessionHistoryEntry.ended(closeBy: .admin, agent: nil, mainReason: endStatus, subReason: nil, why: reason, endStatus: endStatus)
        guard case .created? = h.history(id).first, h.history(id).last == expected, h.history(id).count == 2 else {
            Issue.record("history: \(h.history(id))", sourceLocation: sourceLocation)
            return
        }
        #expect(h.shown(id).isEmpty && h.machine.sessions[id] == nil, sourceLocation: sourceLocation)
        var after = h.machine.snapshot
        after.counters.nextSessionNumber = before.counters.nextSessionNumber
        #expect(after == before, "only the id counter moved on", sourceLocation: sourceLocation)
    }

    // MARK: No agent online

    @Test func withNoMemberOnlineANewSessionEndsAtOnceAsNoSeatOnline() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", endWhenNoSeatOnline: true)))
        h.ok(.upsertSkillGroup(SkillGroup(id: "other")))
        h.agent("a1", in: ["g"], online: false)
        h.agent("elsewhere", in: ["other"])
        expectTurnedAway(&h, in: "g", as: "noSeatOnline", saying: "no agent of skill group g is online")
    }

    @Test func aMemberOnlineInAnyStatusLetsSessionsQueue() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", endWhenNoSeatOnline: true)))
        h.agent("a1", in: ["g"])
        h.ok(.setStatus("a1", status: "rest", restReason: "lunch"))
        let s = h.create(in: "g")
        #expect(h.state(s) == .queued, "someone is logged in and will be back")
        h.ok(.offline("a1"))
        expectTurnedAway(&h, in: "g", as: "noSeatOnline", saying: "try again later")
    }

    @Test func byDefaultSessionsQueueWithNobodyOnline() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g")))
        #expect(!SkillGroup(id: "g").endWhenNoSeatOnline)
        let s = h.create(in: "g")
        #expect(h.state(s) == .queued)
    }

    @Test func sessionsAlreadyWaitingStayWhenTheLastAgentLeaves() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", endWhenNoSeatOnline: true)))
        h.agent("a1", in: ["g"])
        h.ok(.setStatus("a1", status: "notReady", restReason: nil))
        let s = h.create(in: "g")
        h.ok(.offline("a1"))
        #expect(h.state(s) == .queued, "only new sessions are turned away")
    }

    // MARK: Working hours

    @Test func outsideWorkingHoursANewSessionEndsAtOnceAsNotWorkTime() {
        var h = Harness()
        h.now = Self.monday.adding(seconds: 7 * 3600 + 30 * 60)  // 08:30 in Berlin (UTC+1 in winter)
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", offerTimeoutSeconds: 0, workingHours: Self.weekdays)))
        h.agent("a1", in: ["g"])
        expectTurnedAway(&h, in: "g", as: "notWorkTime", saying: "outside its working hours (it is monday 08:30 in Europe/Berlin)")
        h.advance(seconds: 30 * 60)  // 09:00: open
        let s = h.create(in: "g")
        #expect(h.state(s)?.agent == "a1")
        h.advance(seconds: 3 * 3600)  // 12:00: the lunch break
        expectTurnedAway(&h, in: "g", as: "notWorkTime", saying: "monday 12:00")
        h.advance(seconds: 3600 - 1)  // 12:59:59
        expectTurnedAway(&h, in: "g", as: "notWorkTime", saying: "monday 12:59")
        h.advance(seconds: 1)
        let afternoon = h.create(in: "g")
        #expect(h.state(afternoon)?.agent == "a1", "13:00: open again")
        #expect(h.state(s)?.agent == "a1", "what is live is not touched when the hours end")
    }

    @Test func theZonesDaylightSavingTimeIsFollowed() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", workingHours: Self.weekdays)))
        // 07:30 UTC on a Monday is 08:30 in Berlin in winter (closed) and 09:30 in summer (open).
        h.now = Self.monday.adding(seconds: 7 * 3600 + 30 * 60)
        expectTurnedAway(&h, in: "g", as: "notWorkTime", saying: "08:30")
        h.now = Timestamp(seconds: 1_719_792_000 + 7 * 3600 + 30 * 60)  // Monday 2024-07-01 07:30 UTC
        #expect(h.create(in: "g") != SessionID("none"))
    }

    @Test func daysFollowTheZoneNotUTC() {
        let hours = WorkingHours(timeZone: "America/New_York", weekly: [.sunday: [.init(from: 20 * 60, to: 22 * 60)]])
        // Monday 02:00 UTC is Sunday 21:00 in New York.
        let time = Self.monday.adding(seconds: 2 * 3600)
        #expect(hours.localTime(at: time)?.weekday == .sunday && hours.localTime(at: time)?.minute == 21 * 60)
        #expect(hours.isOpen(at: time))
        #expect(!hours.isOpen(at: time.adding(seconds: 3600)))
        // Sunday 23:59 and Monday 00:00 in Berlin, either side of midnight.
        let berlin = Self.weekdays
        let sundayNight = Self.monday.adding(seconds: -3600 - 60)  // Sunday 22:59 UTC
        #expect(berlin.localTime(at: sundayNight)?.weekday == .sunday && berlin.localTime(at: sundayNight)?.minute == 23 * 60 + 59)
        #expect(berlin.isOpen(at: sundayNight), "22:00-24:00 includes 23:59")
        #expect(!berlin.isOpen(at: sundayNight.adding(seconds: 60)), "Monday 00:00 is not")
        // Before 1970 too.
        let beforeEpoch = WorkingHours(timeZone: "UTC", weekly: [:]).localTime(at: Timestamp(milliseconds: -1))
        #expect(beforeEpoch?.weekday == .wednesday && beforeEpoch?.minute == 23 * 60 + 59)
    }

    @Test func outsideWorkingHoursComesFirstThenNobodyOnlineThenAFullQueue() {
        var h = Harness()
        h.now = Self.monday.adding(seconds: 3600)  // 02:00 in Berlin: closed
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", maxQueueLength: 1, endWhenNoSeatOnline: true, workingHours: Self.weekdays)))
        expectTurnedAway(&h, in: "g", as: "notWorkTime", saying: "working hours")
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", maxQueueLength: 1, endWhenNoSeatOnline: true)))
        expectTurnedAway(&h, in: "g", as: "noSeatOnline", saying: "online")
        h.agent("a1", in: ["g"])
        h.ok(.setStatus("a1", status: "notReady", restReason: nil))
        _ = h.create(in: "g")
        expectTurnedAway(&h, in: "g", as: "queueFull", saying: "full")
    }

    @Test func badInputIsRefusedNotTurnedAway() {
        var h = Harness()
        h.now = Self.monday
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", workingHours: Self.weekdays)))
        h.refuse(.createSession(NewSession(type: .im, skillGroupId: "g")), .invalidSession)
        h.refuse(.createSession(NewSession(type: .im, skillGroupId: "nope", customer: CustomerDetails(nickname: "x"))), .unknownSkillGroup)
    }

    @Test func internalCallsToTheGroupAreNotTurnedAway() {
        var h = Harness()
        h.now = Self.monday
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", endWhenNoSeatOnline: true, workingHours: Self.weekdays)))
        h.ok(.upsertSkillGroup(SkillGroup(id: "desk")))
        h.agent("caller", in: ["desk"])
        guard case .sessionCreated(let call) = h.ok(.startInternalCall("caller", calleeUserId: nil, skillGroupId: "g")) else {
            Issue.record("a colleague's call was not placed")
            return
        }
        #expect(h.state(call) == .queued)
    }

    // MARK: Settings

    @Test func workingHoursAreChecked() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g")))
        let cases: [(WorkingHours, String)] = [
            (WorkingHours(timeZone: "Mars/Olympus_Mons", weekly: [:]), "timeZone 'Mars/Olympus_Mons'"),
            (WorkingHours(timeZone: "", weekly: [:]), "timeZone ''"),
            (WorkingHours(timeZone: "UTC", weekly: [.friday: [.init(from: 600, to: 600)]]), "friday: 10:00-10:00 must start before it ends"),
            (WorkingHours(timeZone: "UTC", weekly: [.friday: [.init(from: 600, to: 1441)]]), "friday: the range from minute 600 to minute 1441"),
            (WorkingHours(timeZone: "UTC", weekly: [.monday: [.init(from: 540, to: 720), .init(from: 700, to: 800)]]), "monday: 09:00-12:00 and 11:40-13:20 overlap"),
            (WorkingHours(timeZone: "UTC", weekly: [.monday: (0..<17).map { .init(from: $0 * 60, to: $0 * 60 + 30) }]), "at most 16"),
        ]
        for (hours, words) in cases {
            let message = h.refuse(.upsertSkillGroup(SkillGroup(id: "g", workingHours: hours)), .invalidConfiguration)
            #expect(message.contains("workingHours") && message.contains(words), "\(message)")
        }
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", workingHours: WorkingHours(timeZone: "Asia/Shanghai", weekly: [
            .monday: [.init(from: 0, to: 1440)], .saturday: [.init(from: 600, to: 660), .init(from: 540, to: 600)],
        ]))))
    }

    @Test func rangesParseFromText() throws {
        #expect(try WorkingHours.DailyRange(parsing: "09:00-17:30") == .init(from: 540, to: 1050))
        #expect(try WorkingHours.DailyRange(parsing: "22:00-24:00") == .init(from: 1320, to: 1440))
        #expect(WorkingHours.DailyRange(from: 5, to: 1440).description == "00:05-24:00")
        for bad in ["9:00-17:00", "09:00", "09:00-25:00", "09:60-10:00", "09:00-24:01", "aa:bb-cc:dd", "09:00-17:00-18:00", "", "+9:00-10:00"] {
            #expect(throws: RoutingError.self, "\(bad)") { try WorkingHours.DailyRange(parsing: bad) }
        }
    }
}
