/// The tables the report aggregates are kept in, finest first: the 15-minute intervals, and the
/// same figures rolled up per UTC hour, kept in the same transaction. A report whose range and
/// intervals are whole UTC-aligned hours (hourly and daily reports in every zone with a whole-hour
/// offset, which is nearly all of them) reads the hours: a quarter of the rows for the same sums.
/// Reports in a zone with a :30 or :45 offset, and 15-minute reports, read the quarter hours.
struct ReportRollUp: Sendable {
    /// The interval length, in milliseconds.
    var length: Int64
    /// The counters' table (`report_intervals`' columns).
    var countsTable: String
    /// The status time's table (`report_status_intervals`' columns).
    var statusTable: String

    static let quarterHours = ReportRollUp(length: ReportInterval.milliseconds, countsTable: "report_intervals", statusTable: "report_status_intervals")
    static let hours = ReportRollUp(length: 3_600_000, countsTable: "report_hour_intervals", statusTable: "report_status_hours")
    /// Every table a tally is added to.
    static let all = [quarterHours, hours]

    /// The start of this roll-up's interval holding the 15-minute interval `bucket`.
    func interval(of bucket: Int64) -> Int64 {
        bucket - ((bucket % length) + length) % length
    }

    /// The coarsest roll-up whose intervals tile [`from`, `to`) and every slot of `slots`.
    static func coarsest(from: Int64, to: Int64, slots: ReportSlots) -> ReportRollUp {
        all.reversed().first { rollUp in
            [from, to, slots.length, slots.offset].allSatisfy { $0 % rollUp.length == 0 }
        } ?? quarterHours
    }
}
