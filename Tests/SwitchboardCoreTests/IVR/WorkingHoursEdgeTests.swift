import Testing
@testable import SwitchboardCore

/// Working hours where the clocks are awkward: the days daylight saving time makes 23 and 25 hours
/// long, a local time that does not exist, a holiday whose midnight is not UTC's, and a flow's
/// hours node in New York. Every instant below is written in UTC with what New York's clocks say.
@Suite("Working hours at the edges of the clock")
struct WorkingHoursEdgeTests {
    static let newYork = "America/New_York"

    /// 2025-03-09, a Sunday: at 02:00 EST New York's clocks jump to 03:00 EDT (07:00 UTC).
    static let springSundayMidnight = Timestamp(seconds: 1_741_496_400)  // 05:00 UTC, 00:00 EST
    static let springForward = Timestamp(seconds: 1_741_503_600)         // 07:00 UTC, 03:00 EDT
    static let springMondayMidnight = Timestamp(seconds: 1_741_579_200)  // 2025-03-10 04:00 UTC, 00:00 EDT
    /// 2025-11-02, a Sunday: at 02:00 EDT the clocks go back to 01:00 EST (06:00 UTC).
    static let autumnSundayMidnight = Timestamp(seconds: 1_762_056_000)  // 04:00 UTC, 00:00 EDT
    static let autumnMondayMidnight = Timestamp(seconds: 1_762_146_000)  // 2025-11-03 05:00 UTC, 00:00 EST

    /// What the hours' clock says at `time`: "sunday 01:59".
    static func clock(_ hours: WorkingHours, _ time: Timestamp) -> String {
        hours.localTime(at: time).map { reading($0.weekday, $0.minute) } ?? "no such zone"
    }

    static func reading(_ day: WorkingHours.Weekday, _ minute: Int) -> String {
        "\(day.rawValue) \(WorkingHours.DailyRange.clock(minute))"
    }

    @Test func theSpringDayHas23HoursAndItsMissingHourIsNeverOpen() {
        let missing = WorkingHours(timeZone: Self.newYork, weekly: [.sunday: [.init(from: 2 * 60, to: 3 * 60)]])
        #expect(Self.clock(missing, Self.springForward.adding(seconds: -60)) == Self.reading(.sunday, 1 * 60 + 59))
        #expect(Self.clock(missing, Self.springForward) == Self.reading(.sunday, 3 * 60), "01:59 is followed by 03:00")
        // 02:00-02:59 does not exist that day: a range of only that hour never opens, minute by minute.
        let minutes = (0..<(6 * 60)).map { Self.springSundayMidnight.adding(seconds: $0 * 60) }
        #expect(minutes.allSatisfy { !missing.isOpen(at: $0) })
        // A range across the jump opens an hour later, in UTC, than the clock reading suggests.
        let night = WorkingHours(timeZone: Self.newYork, weekly: [.sunday: [.init(from: 1 * 60, to: 4 * 60)]])
        let openMinutes = minutes.filter { night.isOpen(at: $0) }.count
        #expect(openMinutes == 2 * 60, "01:00-04:00 on a 23-hour day is two hours long")
        // Sunday ends 23 hours after it began.
        #expect(Self.springMondayMidnight.milliseconds - Self.springSundayMidnight.milliseconds == 23 * 3_600_000)
        #expect(Self.clock(missing, Self.springMondayMidnight.adding(seconds: -60)) == Self.reading(.sunday, 23 * 60 + 59))
        #expect(Self.clock(missing, Self.springMondayMidnight) == Self.reading(.monday, 0))
        #expect(missing.localDate(at: Self.springMondayMidnight.adding(seconds: -60)) == "2025-03-09")
        #expect(missing.localDate(at: Self.springMondayMidnight) == "2025-03-10")
    }

    @Test func theAutumnDayHas25HoursAndItsRepeatedHourIsOpenTwice() {
        let hours = WorkingHours(timeZone: Self.newYork, weekly: [.sunday: [.init(from: 1 * 60, to: 2 * 60)]])
        let firstOneThirty = Self.autumnSundayMidnight.adding(seconds: 90 * 60)   // 05:30 UTC, 01:30 EDT
        let secondOneThirty = firstOneThirty.adding(seconds: 3600)               // 06:30 UTC, 01:30 EST
        #expect(Self.clock(hours, firstOneThirty) == Self.reading(.sunday, 90))
        #expect(Self.clock(hours, secondOneThirty) == Self.reading(.sunday, 90))
        #expect(hours.isOpen(at: firstOneThirty) && hours.isOpen(at: secondOneThirty))
        #expect(!hours.isOpen(at: secondOneThirty.adding(seconds: 30 * 60)), "02:00 EST closes it")
        let minutes = (0..<(6 * 60)).map { Self.autumnSundayMidnight.adding(seconds: $0 * 60) }
        #expect(minutes.filter { hours.isOpen(at: $0) }.count == 2 * 60, "01:00-02:00 lasts two hours that night")
        // Sunday ends 25 hours after it began.
        #expect(Self.autumnMondayMidnight.milliseconds - Self.autumnSundayMidnight.milliseconds == 25 * 3_600_000)
        #expect(Self.clock(hours, Self.autumnMondayMidnight.adding(seconds: -60)) == Self.reading(.sunday, 23 * 60 + 59))
        #expect(Self.clock(hours, Self.autumnMondayMidnight) == Self.reading(.monday, 0))
    }

    @Test func aHolidayBeginsAndEndsAtTheZonesMidnightNotUTCs() {
        let allDay = [WorkingHours.DailyRange(from: 0, to: 24 * 60)]
        let hours = WorkingHours(timeZone: Self.newYork, weekly: [.wednesday: allDay, .thursday: allDay, .friday: allDay])
        let christmas = ["2025-12-25"]
        let christmasMidnight = Timestamp(seconds: 1_766_638_800)   // 2025-12-25 05:00 UTC, 00:00 EST
        let boxingDayMidnight = Timestamp(seconds: 1_766_725_200)   // 2025-12-26 05:00 UTC
        // 02:00 UTC on the 25th is still Christmas Eve in New York: open.
        let lateOnTheEve = christmasMidnight.adding(seconds: -3 * 3600)
        #expect(hours.localDate(at: lateOnTheEve) == "2025-12-24")
        #expect(hours.isOpen(at: lateOnTheEve, holidays: christmas))
        #expect(hours.isOpen(at: christmasMidnight.adding(seconds: -60), holidays: christmas), "23:59 on the 24th")
        #expect(!hours.isOpen(at: christmasMidnight, holidays: christmas), "00:00 on the 25th")
        #expect(hours.isOpen(at: christmasMidnight), "a Thursday the hours alone would open")
        #expect(!hours.isOpen(at: boxingDayMidnight.adding(seconds: -60), holidays: christmas), "23:59 on the 25th, 04:59 UTC on the 26th")
        #expect(hours.isOpen(at: boxingDayMidnight, holidays: christmas), "00:00 on the 26th")
    }

    /// A flow that opens 09:00-17:00 New York time on weekdays, closed on its holidays.
    static func newYorkFlow(holidays: [String] = []) -> IVRFlow {
        let day = [WorkingHours.DailyRange(from: 9 * 60, to: 17 * 60)]
        let hours = WorkingHours(timeZone: newYork, weekly: [.monday: day, .tuesday: day, .wednesday: day, .thursday: day, .friday: day])
        return IVRFlow(id: "nyc", name: "New York office", start: "hours", nodes: [
            IVRNode(id: "hours", .workingHours(hours: hours, holidays: holidays, open: "desk", closed: "closed")),
            IVRNode(id: "desk", .queue(skillGroupId: "sales", priority: 0)),
            IVRNode(id: "closed", .hangUp(prompt: IVRPrompt(text: "We are closed."), endStatus: "notWorkTime")),
        ])
    }

    @Test func aFlowsHoursNodeFollowsNewYorkAcrossTheSpringChange() throws {
        try Self.newYorkFlow().validate(knownGroups: ["sales"])
        // 13:30 UTC is 08:30 EST on Friday 2025-03-07 (closed) and 09:30 EDT on Monday 2025-03-10 (open).
        let friday = Timestamp(seconds: 1_741_354_200)
        let monday = Timestamp(seconds: 1_741_613_400)
        var beforeTheChange = IVRRun(flow: Self.newYorkFlow())
        #expect(beforeTheChange.start(at: friday) == [.play(IVRPrompt(text: "We are closed."))])
        _ = beforeTheChange.promptStarted(lasting: 1000, at: friday)
        #expect(beforeTheChange.timerFired(at: friday.adding(seconds: 1)) == [.hangUp(endStatus: "notWorkTime", ivrPath: [])])
        var afterTheChange = IVRRun(flow: Self.newYorkFlow())
        #expect(afterTheChange.start(at: monday) == [.queue(skillGroupId: "sales", priority: 0, ivrPath: [])])
        // The same Monday morning as a holiday in New York, though it is already the 10th in UTC too.
        var holiday = IVRRun(flow: Self.newYorkFlow(holidays: ["2025-03-10"]))
        #expect(holiday.start(at: monday) == [.play(IVRPrompt(text: "We are closed."))])
        // Monday 00:30 UTC is still Sunday evening in New York: a Monday holiday does not matter, the weekend does.
        var sundayEvening = IVRRun(flow: Self.newYorkFlow())
        #expect(sundayEvening.start(at: Timestamp(seconds: 1_741_566_600)) == [.play(IVRPrompt(text: "We are closed."))])
    }
}
