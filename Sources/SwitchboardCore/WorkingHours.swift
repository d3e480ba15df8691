import Foundation

/// A skill group's working hours: opening ranges for each day of the week, in one time zone.
///
/// The core reads no clock, so "is it working time?" is asked of a ``Timestamp``: the zone's UTC
/// offset at that instant comes from Foundation's zone database, the rest is arithmetic. The same
/// timestamp and the same zone database always give the same answer, which keeps replays exact;
/// only an update of the system's zone database that changes a past offset could change a replay.
public struct WorkingHours: Codable, Equatable, Sendable {
    /// A day of the week, as the API spells it.
    public enum Weekday: String, Codable, CaseIterable, Comparable, Sendable, CodingKeyRepresentable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday

        public static func < (lhs: Weekday, rhs: Weekday) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One opening range within a day, in minutes after local midnight: open from `from` up to
    /// (not including) `to`; `to` may be 1440, the end of the day.
    public struct DailyRange: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The first minute open.
        public var from: Int
        /// The first minute closed again.
        public var to: Int

        /// Creates a range from minutes after midnight.
        public init(from: Int, to: Int) {
            self.from = from
            self.to = to
        }

        /// Parses `"HH:MM-HH:MM"` (`"09:00-17:30"`, `"22:00-24:00"`).
        public init(parsing text: String) throws(RoutingError) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let from = Self.minutes(parts[0]), let to = Self.minutes(parts[1]) else {
                throw RoutingError(.invalidConfiguration, "'\(text.prefix(40))' is not a range like 09:00-17:30")
            }
            self.init(from: from, to: to)
        }

        /// `HH:MM` (00:00 to 24:00) as minutes after midnight.
        private static func minutes(_ text: Substring) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60
            else { return nil }
            let total = hours * 60 + minutes
            return total <= Self.endOfDay ? total : nil
        }

        static let endOfDay = 24 * 60

        /// `"09:00-17:30"`.
        public var description: String { "\(Self.clock(from))-\(Self.clock(to))" }

        static func clock(_ minutes: Int) -> String {
            let hours = minutes / 60, rest = minutes % 60
            return "\(hours < 10 ? "0" : "")\(hours):\(rest < 10 ? "0" : "")\(rest)"
        }
    }

    /// An IANA time zone name (`Europe/Berlin`, `Asia/Shanghai`, `UTC`).
    public var timeZone: String
    /// The opening ranges of each day; a day left out is closed all day.
    public var weekly: [Weekday: [DailyRange]]

    /// The most ranges one day may have.
    public static let maximumRangesPerDay = 16

    /// Creates working hours.
    public init(timeZone: String, weekly: [Weekday: [DailyRange]]) {
        self.timeZone = timeZone
        self.weekly = weekly
    }

    /// The day and minute of the day it is in the zone at `time`; nil for an unknown zone.
    public func localTime(at time: Timestamp) -> (weekday: Weekday, minute: Int)? {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        let seconds = time.milliseconds >= 0 ? time.milliseconds / 1000 : (time.milliseconds - 999) / 1000
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let local = seconds + Int64(offset)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - day * 86_400
        // 1970-01-01 was a Thursday, the fourth day of a week that starts on Monday.
        let weekday = Weekday.allCases[Int(((day % 7) + 7 + 3) % 7)]
        return (weekday, Int(secondOfDay / 60))
    }

    /// Whether the group works at `time`. An unknown zone (which validation refuses) counts as open,
    /// so a zone that vanished from the database never turns every customer away.
    public func isOpen(at time: Timestamp) -> Bool {
        guard let (weekday, minute) = localTime(at: time) else { return true }
        return (weekly[weekday] ?? []).contains { $0.from <= minute && minute < $0.to }
    }

    /// Checks the zone and the ranges, naming what is wrong.
    func validate() throws(RoutingError) {
        if timeZone.isEmpty || timeZone.count > 64 || TimeZone(identifier: timeZone) == nil {
            throw RoutingError(.invalidConfiguration, "timeZone '\(timeZone.prefix(70))' is not a time zone name like Europe/Berlin or UTC")
        }
        for day in Weekday.allCases {
            let ranges = weekly[day] ?? []
            if ranges.count > Self.maximumRangesPerDay {
                throw RoutingError(.invalidConfiguration, "\(day.rawValue) has \(ranges.count) ranges; at most \(Self.maximumRangesPerDay) are allowed")
            }
            for range in ranges where !(0 <= range.from && range.from < range.to && range.to <= DailyRange.endOfDay) {
                throw RoutingError(.invalidConfiguration, "\(day.rawValue): \(Self.describe(range)) must start before it ends, within 00:00 to 24:00")
            }
            let sorted = ranges.sorted { $0.from < $1.from }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.from < earlier.to {
                throw RoutingError(.invalidConfiguration, "\(day.rawValue): \(earlier) and \(later) overlap")
            }
        }
    }

    /// A range as written, even when its minutes are out of bounds.
    private static func describe(_ range: DailyRange) -> String {
        (0...DailyRange.endOfDay).contains(range.from) && (0...DailyRange.endOfDay).contains(range.to)
            ? range.description : "the range from minute \(range.from) to minute \(range.to)"
    }
}
