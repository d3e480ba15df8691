/// The counters kept for every 15-minute interval and every skill group, agent and session type
/// (`report_intervals`), as docs/reports.md defines them. Sums of counts and milliseconds, so
/// that any run of intervals adds up to a report; two are maxima.
public struct ReportCounts: Equatable, Sendable {
    /// The counters with a fixed meaning, in column order.
    public enum Counter: Int, CaseIterable, Sendable {
        case offered, transferredIn, overflowedIn, offersRung, accepted, answerWaitMilliseconds, answerWaitMaxMilliseconds
        case abandonedInQueue, abandonedInQueueWaitMilliseconds, abandonedRinging, abandonedRingingWaitMilliseconds
        case abandonWaitMaxMilliseconds, timedOut, adminEnded, turnedAway, overflowedOut, transferredOut, missed, outbound
        case handled, talkMilliseconds, holdMilliseconds, holds, wrapUpMilliseconds, wrapUps, imSessionsEnded, messages

        /// The column in `report_intervals`.
        var column: String {
            String(describing: self).reduce(into: "") { name, character in
                if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
            }
        }

        /// Maxima combine by taking the larger value, every other counter by adding.
        var isMaximum: Bool { self == .answerWaitMaxMilliseconds || self == .abandonWaitMaxMilliseconds }
    }

    /// The waits (seconds) a service level may be measured against: answers are counted per bound.
    public static let serviceLevelBounds = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300]
    /// The thresholds (seconds) under which an abandon may be counted as a short abandon.
    public static let shortAbandonBounds = [3, 5, 10, 15, 20, 30, 60]

    /// Every column, in order: the fixed counters, then answers within each service-level bound,
    /// then abandons in queue and while ringing within each short-abandon bound.
    /// The column names, in order (the `report_intervals` columns after its key).
    public static var columnNames: [String] { columns }
    static let columns: [String] = Counter.allCases.map(\.column)
        + serviceLevelBounds.map { "answered_within_\($0)" }
        + shortAbandonBounds.map { "abandoned_in_queue_within_\($0)" }
        + shortAbandonBounds.map { "abandoned_ringing_within_\($0)" }
    /// The columns that hold maxima.
    public static var maximumColumnNames: Set<String> { Set(maximumColumns.map { columns[$0] }) }
    static let maximumColumns: Set<Int> = Set(Counter.allCases.filter(\.isMaximum).map(\.rawValue))

    /// The values, one per column.
    var values: [Int64]

    /// All zero.
    public init() { values = Array(repeating: 0, count: Self.columns.count) }

    init(values: [Int64]) { self.values = values }

    /// One fixed counter.
    public subscript(_ counter: Counter) -> Int64 {
        get { values[counter.rawValue] }
        set { values[counter.rawValue] = newValue }
    }

    /// Sessions answered within `seconds` (one of ``serviceLevelBounds``).
    public func answered(within seconds: Int) -> Int64? {
        Self.serviceLevelBounds.firstIndex(of: seconds).map { values[Counter.allCases.count + $0] }
    }

    /// Abandons in queue (or while ringing) within `seconds` (one of ``shortAbandonBounds``).
    public func abandoned(ringing: Bool, within seconds: Int) -> Int64? {
        guard let index = Self.shortAbandonBounds.firstIndex(of: seconds) else { return nil }
        let base = Counter.allCases.count + Self.serviceLevelBounds.count + (ringing ? Self.shortAbandonBounds.count : 0)
        return values[base + index]
    }

    /// Whether every counter is zero (nothing to store).
    public var isZero: Bool { values.allSatisfy { $0 == 0 } }

    /// Adds `other` in: sums, and the larger of two maxima.
    public mutating func add(_ other: ReportCounts) {
        for index in values.indices {
            values[index] = Self.isMaximum[index] ? max(values[index], other.values[index]) : values[index] + other.values[index]
        }
    }

    /// Per column, whether it holds a maximum: an array, as reports add counters per row.
    private static let isMaximum: [Bool] = columns.indices.map { maximumColumns.contains($0) }

    /// Counts one answer after `wait` milliseconds: the count, the wait, the maximum and every
    /// service-level bound it is within.
    mutating func countAnswer(afterWaiting wait: Int64) {
        self[.accepted] += 1
        self[.answerWaitMilliseconds] += wait
        self[.answerWaitMaxMilliseconds] = max(self[.answerWaitMaxMilliseconds], wait)
        for (index, bound) in Self.serviceLevelBounds.enumerated() where wait <= Int64(bound) * 1000 {
            values[Counter.allCases.count + index] += 1
        }
    }

    /// Counts one abandon after `wait` milliseconds, in queue or while ringing.
    mutating func countAbandon(ringing: Bool, afterWaiting wait: Int64) {
        self[ringing ? .abandonedRinging : .abandonedInQueue] += 1
        self[ringing ? .abandonedRingingWaitMilliseconds : .abandonedInQueueWaitMilliseconds] += wait
        self[.abandonWaitMaxMilliseconds] = max(self[.abandonWaitMaxMilliseconds], wait)
        let base = Counter.allCases.count + Self.serviceLevelBounds.count + (ringing ? Self.shortAbandonBounds.count : 0)
        for (index, bound) in Self.shortAbandonBounds.enumerated() where wait < Int64(bound) * 1000 {
            values[base + index] += 1
        }
    }
}

/// What a row of `report_intervals` is about.
public enum ReportDimension: String, CaseIterable, Sendable {
    /// Per skill group, per agent, per session type.
    case skillGroup, agent, sessionType
}

/// Where a 15-minute interval's counters go: `report_intervals`' key.
struct ReportCell: Hashable, Sendable {
    var bucket: Int64
    var dimension: ReportDimension
    var key: String
}

/// Interval arithmetic: reports are kept in 15-minute intervals aligned to UTC, which every time
/// zone's quarter hours, hours and days are unions of (all offsets in use are whole quarter hours).
public enum ReportInterval {
    /// 15 minutes, in milliseconds.
    public static let milliseconds: Int64 = 900_000

    /// The start of the 15-minute interval holding `time`.
    static func bucket(_ time: Int64) -> Int64 {
        time - ((time % milliseconds) + milliseconds) % milliseconds
    }

    /// The parts of the period [`start`, `end`) in each 15-minute interval it touches.
    static func split(from start: Int64, to end: Int64) -> [(bucket: Int64, milliseconds: Int64)] {
        var parts: [(Int64, Int64)] = []
        var cursor = start
        while cursor < end {
            let bucket = bucket(cursor)
            let next = min(end, bucket + milliseconds)
            parts.append((bucket, next - cursor))
            cursor = next
        }
        return parts
    }
}
