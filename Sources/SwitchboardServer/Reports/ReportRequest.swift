import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// A historical report as asked for: what it is about, the range, the intervals, the zone and
/// the thresholds; every parameter checked, with an error that says what was wrong.
struct ReportRequest: Sendable {
    var dimension: ReportDimension
    var from: Int64
    var to: Int64
    var calendar: ReportCalendar
    var thresholds: ReportThresholds
    var serviceLevelSeconds: Int { thresholds.serviceLevelSeconds }
    var serviceLevelByGroup: [String: Int] { thresholds.serviceLevelByGroup }
    var shortAbandonSeconds: Int { thresholds.shortAbandonSeconds }
    /// Only this subject (a skill group id, agent id or session type), if given.
    var subject: String?

    /// The most intervals one report may have (a month at 15 minutes is 2,976).
    static let maximumIntervals = 10_000
    static let parameters = ["from", "to", "interval", "timeZone", "serviceLevelSeconds", "serviceLevelByGroup", "shortAbandonSeconds", "subject"]

    init(_ dimension: ReportDimension, request: Request, defaultTimeZone: TimeZone, defaultZoneName: String? = nil, now: Int64) throws(APIError) {
        let query = try QueryParameters(request, accepted: Self.parameters)
        self.dimension = dimension
        let zoneName = try query.string("timeZone")
        var zone = defaultTimeZone
        var name = defaultZoneName ?? defaultTimeZone.identifier
        if let zoneName {
            guard let named = TimeZone(identifier: zoneName), zoneName.contains("/") || zoneName == "UTC" || zoneName == "GMT" else {
                throw APIError.invalid("query parameter 'timeZone' must be an IANA time zone name (Europe/Berlin, Asia/Kolkata, UTC), not '\(zoneName)'")
            }
            zone = named
            name = zoneName
        }
        let unitName = try query.string("interval") ?? "day"
        guard let unit = ReportCalendar.Unit(rawValue: unitName) else {
            throw APIError.invalid("query parameter 'interval' must be one of \(ReportCalendar.Unit.allCases.map(\.rawValue).joined(separator: ", ")), not '\(unitName)'")
        }
        let calendar = ReportCalendar(timeZone: zone, named: name, unit: unit)
        self.calendar = calendar
        func time(_ name: String) throws(APIError) -> Int64? {
            guard let text = try query.string(name) else { return nil }
            guard let time = calendar.parse(text) else {
                throw APIError.invalid("query parameter '\(name)' must be a date (2026-11-01, midnight in the report's time zone), a date and time with its offset (2026-11-01T08:00:00+05:30) or milliseconds since 1970, not '\(text)'")
            }
            guard time % ReportInterval.milliseconds == 0 else {
                throw APIError.invalid("query parameter '\(name)' must fall on a quarter hour (reports are kept per 15 minutes), not '\(text)'")
            }
            return time
        }
        // The default range: today so far, in the report's zone.
        let today = calendar.startOfDay(containing: now)
        from = try time("from") ?? today
        to = try time("to") ?? (today + 86_400_000)
        guard to > from else { throw APIError.invalid("query parameter 'to' must be after 'from'") }
        guard calendar.intervals(from: from, to: to, limit: Self.maximumIntervals) != nil else {
            throw APIError.invalid("the range holds more than \(Self.maximumIntervals) \(unit.rawValue) intervals; ask for a shorter range or a longer interval")
        }
        thresholds = try ReportThresholds(query)
        subject = try query.string("subject")
        if dimension == .sessionType, let subject, SessionType(rawValue: subject) == nil {
            throw APIError.invalid("query parameter 'subject' must be a session type (\(SessionType.allCases.map(\.rawValue).joined(separator: ", "))), not '\(subject)'")
        }
    }

    /// The service-level wait for a row about `subject`.
    func serviceLevel(for subject: String) -> Int {
        dimension == .skillGroup ? thresholds.serviceLevel(forGroup: subject) : serviceLevelSeconds
    }
}

/// The service-level waits (the report's, and per skill group where a group has its own) and
/// the short-abandon threshold, as the historical reports and the live floor take them.
struct ReportThresholds: Hashable, Sendable {
    var serviceLevelSeconds = 20
    var serviceLevelByGroup: [String: Int] = [:]
    var shortAbandonSeconds = 5

    static let parameters = ["serviceLevelSeconds", "serviceLevelByGroup", "shortAbandonSeconds"]

    init() {}

    init(_ query: QueryParameters) throws(APIError) {
        serviceLevelSeconds = try Self.bound(query, "serviceLevelSeconds", ReportCounts.serviceLevelBounds, default: 20)
        shortAbandonSeconds = try Self.bound(query, "shortAbandonSeconds", ReportCounts.shortAbandonBounds, default: 5)
        if let list = try query.string("serviceLevelByGroup") {
            for pair in list.split(separator: ",", omittingEmptySubsequences: false) {
                let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, let seconds = Int(parts[1]), ReportCounts.serviceLevelBounds.contains(seconds) else {
                    throw APIError.invalid("query parameter 'serviceLevelByGroup' must list GROUP:SECONDS pairs separated by commas (sales:30,support:60), the seconds one of \(Self.list(ReportCounts.serviceLevelBounds)); '\(pair)' is not one")
                }
                serviceLevelByGroup[String(parts[0])] = seconds
            }
        }
    }

    /// The service-level wait of one skill group.
    func serviceLevel(forGroup group: String) -> Int { serviceLevelByGroup[group] ?? serviceLevelSeconds }

    private static func bound(_ query: QueryParameters, _ name: String, _ allowed: [Int], default fallback: Int) throws(APIError) -> Int {
        guard let text = try query.string(name) else { return fallback }
        guard let value = Int(text), allowed.contains(value) else {
            throw APIError.invalid("query parameter '\(name)' must be one of \(list(allowed)) (the waits the reports are kept for), not '\(text)'")
        }
        return value
    }

    private static func list(_ values: [Int]) -> String { values.map(String.init).joined(separator: ", ") }
}
