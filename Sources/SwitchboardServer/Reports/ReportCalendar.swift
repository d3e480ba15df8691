import Foundation
import SwitchboardStore

/// A report's intervals in its time zone: their boundaries, and which one a 15-minute interval
/// of the store belongs to. Foundation's calendar knows each zone's offsets and daylight saving
/// rules, so local days are 23 or 25 hours long when the clocks change, and an hour that happens
/// twice is two intervals.
struct ReportCalendar: Sendable {
    /// The interval lengths a report may use.
    enum Unit: String, CaseIterable, Sendable {
        case quarterHour = "15m"
        case hour
        case day

        /// The nominal length, for the store's grouping within one offset.
        var milliseconds: Int64 {
            switch self {
            case .quarterHour: ReportInterval.milliseconds
            case .hour: 3_600_000
            case .day: 86_400_000
            }
        }
    }

    let timeZone: TimeZone
    /// The zone's name as it was asked for (Foundation calls UTC "GMT").
    let zoneName: String
    let unit: Unit
    private let calendar: Calendar

    init(timeZone: TimeZone, named name: String? = nil, unit: Unit) {
        self.timeZone = timeZone
        zoneName = name ?? timeZone.identifier
        self.unit = unit
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The start of the interval holding `time` (milliseconds since 1970).
    func intervalStart(of time: Int64) -> Int64 {
        switch unit {
        case .quarterHour:
            return ReportInterval.milliseconds * (time / ReportInterval.milliseconds)
        case .hour, .day:
            let date = Date(timeIntervalSince1970: Double(time) / 1000)
            let start = calendar.dateInterval(of: unit == .hour ? .hour : .day, for: date)?.start ?? date
            return Int64((start.timeIntervalSince1970 * 1000).rounded())
        }
    }

    /// The end of the interval starting at `start`.
    func intervalEnd(after start: Int64) -> Int64 {
        switch unit {
        case .quarterHour:
            return start + ReportInterval.milliseconds
        case .hour, .day:
            let date = Date(timeIntervalSince1970: Double(start) / 1000)
            let end = calendar.dateInterval(of: unit == .hour ? .hour : .day, for: date)?.end ?? date.addingTimeInterval(3600)
            return Int64((end.timeIntervalSince1970 * 1000).rounded())
        }
    }

    /// The intervals of [`from`, `to`), the first and last cut at the range's ends; nil when
    /// there would be more than `limit`.
    func intervals(from: Int64, to: Int64, limit: Int) -> [ClosedOpen]? {
        var result: [ClosedOpen] = []
        var start = intervalStart(of: from)
        while start < to {
            let end = intervalEnd(after: start)
            guard end > start else { break }
            result.append(ClosedOpen(start: max(start, from), end: min(end, to)))
            if result.count > limit { return nil }
            start = end
        }
        return result
    }

    /// The parts of [`from`, `to`) in which the zone's offset from UTC stays the same, each with
    /// the store grouping that gives this calendar's intervals there (before they are merged
    /// by ``intervalStart(of:)``, which a local day cut by a clock change needs).
    func segments(from: Int64, to: Int64) -> [(from: Int64, to: Int64, slots: ReportSlots)] {
        var result: [(Int64, Int64, ReportSlots)] = []
        var start = from
        while start < to {
            let date = Date(timeIntervalSince1970: Double(start) / 1000)
            let offset = Int64(timeZone.secondsFromGMT(for: date)) * 1000
            var end = to
            if let change = timeZone.nextDaylightSavingTimeTransition(after: date) {
                // Offsets change on a quarter hour; the store's intervals never straddle a change.
                let at = ReportInterval.milliseconds * Int64((change.timeIntervalSince1970 * 1000 / Double(ReportInterval.milliseconds)).rounded(.up))
                end = min(end, max(at, start + ReportInterval.milliseconds))
            }
            result.append((start, end, ReportSlots(offset: offset, length: unit.milliseconds)))
            start = end
        }
        return result
    }

    /// A formatter for ``iso(_:with:)``; making one is slow, so a report makes one.
    func isoFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }

    /// `time` in ISO 8601 with the zone's offset at that moment (`2026-11-01T01:00:00-05:00`).
    func iso(_ time: Int64, with formatter: ISO8601DateFormatter? = nil) -> String {
        (formatter ?? isoFormatter()).string(from: Date(timeIntervalSince1970: Double(time) / 1000))
    }

    /// A `from` / `to` parameter: a date (midnight in this zone), a date and time with its offset,
    /// or milliseconds since 1970.
    func parse(_ text: String) -> Int64? {
        if let milliseconds = Int64(text), milliseconds >= 0 { return milliseconds }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = timeZone
        if text.count == 10, let date = day.date(from: text) {
            return Int64((calendar.startOfDay(for: date).timeIntervalSince1970 * 1000).rounded())
        }
        return nil
    }

    /// Midnight today in this zone, for "so far today".
    func startOfDay(containing time: Int64) -> Int64 {
        Int64((calendar.startOfDay(for: Date(timeIntervalSince1970: Double(time) / 1000)).timeIntervalSince1970 * 1000).rounded())
    }
}

/// A period [`start`, `end`) in milliseconds since 1970.
struct ClosedOpen: Hashable, Sendable {
    var start: Int64
    var end: Int64
}
