import Foundation
import Hummingbird
import SwitchboardStore

/// A historical report: one row per subject (skill group, agent or session type) and interval,
/// and one total row per subject for the whole range.
struct HistoricalReport: ResponseEncodable, Sendable {
    var dimension: String
    var timeZone: String
    var interval: String
    var from: String
    var to: String
    var serviceLevelSeconds: Int
    var shortAbandonSeconds: Int
    var rows: [Row]
    var totals: [Row]

    /// The rows one report may hold.
    static let maximumRows = 100_000

    struct Row: Encodable, Sendable {
        var start: String
        var end: String
        var subject: String
        var name: String
        var metrics: ReportMetrics

        enum CodingKeys: String, CodingKey { case start, end, subject, name }

        /// Flat: the interval and subject, then the figures beside them.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
            try container.encode(subject, forKey: .subject)
            try container.encode(name, forKey: .name)
            try metrics.encode(to: encoder)
        }
    }

    /// Reads the aggregates for `request` and derives the figures. `names` names the subjects
    /// (groups' and agents' names); `now` ends agents' current status periods.
    static func build(_ request: ReportRequest, store: any RoutingStore, names: [String: String], now: Int64) async throws -> HistoricalReport {
        let calendar = request.calendar
        let intervals = calendar.intervals(from: request.from, to: request.to, limit: ReportRequest.maximumIntervals) ?? []
        // Many rows share a slot: ask the calendar once per slot.
        var starts: [Int64: Int64] = [:]
        func key(_ time: Int64) -> Int64 {
            if let known = starts[time] { return known }
            let start = max(calendar.intervalStart(of: time), request.from)
            starts[time] = start
            return start
        }
        var counts: [Cell: ReportCounts] = [:]
        var status: [Cell: [String: Int64]] = [:]
        var reasons: [Cell: [String: Int64]] = [:]
        for segment in calendar.segments(from: request.from, to: request.to) {
            let found = try await store.reportCounts(
                request.dimension, from: .init(milliseconds: segment.from), to: .init(milliseconds: segment.to), slots: segment.slots)
            for row in found where request.subject == nil || row.subject == request.subject {
                counts[Cell(start: key(max(row.slotStart, segment.from)), subject: row.subject), default: ReportCounts()].add(row.counts)
            }
            guard request.dimension == .agent else { continue }
            let times = try await store.reportStatusTime(from: .init(milliseconds: segment.from), to: .init(milliseconds: segment.to), slots: segment.slots)
            for time in times where request.subject == nil || time.agent == request.subject {
                let cell = Cell(start: key(max(time.slotStart, segment.from)), subject: time.agent)
                status[cell, default: [:]][time.status, default: 0] += time.milliseconds
                if let reason = time.restReason { reasons[cell, default: [:]][reason, default: 0] += time.milliseconds }
            }
        }
        if request.dimension == .agent {
            // The status each agent is in now has not been closed into the aggregates yet.
            for open in try await store.openStatusPeriods() where open.status != "offline" && (request.subject == nil || open.agent == request.subject) {
                let start = max(open.since, request.from)
                let end = min(now, request.to)
                guard start < end else { continue }
                for interval in intervals where interval.start < end && interval.end > start {
                    let part = min(end, interval.end) - max(start, interval.start)
                    let cell = Cell(start: interval.start, subject: open.agent)
                    status[cell, default: [:]][open.status, default: 0] += part
                    if let reason = open.restReason, open.status == "rest" { reasons[cell, default: [:]][reason, default: 0] += part }
                }
            }
        }
        var subjects = Set(counts.keys.map(\.subject)).union(status.keys.map(\.subject))
        if let only = request.subject { subjects.insert(only) }
        if subjects.count * intervals.count > maximumRows {
            throw APIError(.badRequest, code: "tooManyRows", "the report would have \(subjects.count * intervals.count) rows (\(subjects.count) subjects × \(intervals.count) intervals), more than \(maximumRows); ask for a longer interval, a shorter range or one 'subject'")
        }
        var rows: [Row] = []
        var totals: [Row] = []
        let formatter = calendar.isoFormatter()
        let labels = intervals.map { (start: calendar.iso($0.start, with: formatter), end: calendar.iso($0.end, with: formatter)) }
        for subject in subjects.sorted() {
            let level = request.serviceLevel(for: subject)
            var total = ReportCounts()
            var totalStatus: [String: Int64] = [:]
            var totalReasons: [String: Int64] = [:]
            for (index, interval) in intervals.enumerated() {
                let cell = Cell(start: interval.start, subject: subject)
                let cellCounts = counts[cell] ?? ReportCounts()
                total.add(cellCounts)
                totalStatus.merge(status[cell] ?? [:], uniquingKeysWith: +)
                totalReasons.merge(reasons[cell] ?? [:], uniquingKeysWith: +)
                rows.append(Row(
                    start: labels[index].start, end: labels[index].end, subject: subject, name: names[subject] ?? subject,
                    metrics: ReportMetrics(
                        cellCounts, serviceLevelSeconds: level, shortAbandonSeconds: request.shortAbandonSeconds,
                        status: request.dimension == .agent ? status[cell] ?? [:] : nil, restReasons: reasons[cell])))
            }
            totals.append(Row(
                start: calendar.iso(request.from), end: calendar.iso(request.to), subject: subject, name: names[subject] ?? subject,
                metrics: ReportMetrics(
                    total, serviceLevelSeconds: level, shortAbandonSeconds: request.shortAbandonSeconds,
                    status: request.dimension == .agent ? totalStatus : nil, restReasons: totalReasons)))
        }
        return HistoricalReport(
            dimension: request.dimension.rawValue, timeZone: calendar.zoneName, interval: calendar.unit.rawValue,
            from: calendar.iso(request.from), to: calendar.iso(request.to), serviceLevelSeconds: request.serviceLevelSeconds,
            shortAbandonSeconds: request.shortAbandonSeconds, rows: rows, totals: totals)
    }

    private struct Cell: Hashable {
        var start: Int64
        var subject: String
    }
}
