import Foundation

/// Holidays are local dates: a holiday in Shanghai starts at Shanghai's midnight, whatever the
/// server's zone, and DST changes nothing about which day it is.
extension WorkingHours {
    /// The local date (`YYYY-MM-DD`) in the zone at `time`; nil for an unknown zone.
    public func localDate(at time: Timestamp) -> String? {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        let seconds = time.milliseconds >= 0 ? time.milliseconds / 1000 : (time.milliseconds - 999) / 1000
        let local = seconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let (year, month, dayOfMonth) = Self.civilDate(daysSinceEpoch: day)
        return Self.format(year: year, month: month, day: dayOfMonth)
    }

    /// Whether the group works at `time` and it is not one of `holidays`.
    public func isOpen(at time: Timestamp, holidays: [String]) -> Bool {
        guard isOpen(at: time) else { return false }
        guard !holidays.isEmpty, let date = localDate(at: time) else { return true }
        return !holidays.contains(date)
    }

    /// Whether `text` is a real calendar date written `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func format(year: Int64, month: Int64, day: Int64) -> String {
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-" + two(month) + "-" + two(day)
    }
}
