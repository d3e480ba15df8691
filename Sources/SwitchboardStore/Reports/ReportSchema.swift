import Foundation

/// The report tables' counter columns, shared by both backends' migrations.
public enum ReportSchema {
    /// The counter columns of `report_intervals` as the "report tables" migration made them, in
    /// ``ReportCounts``' order. Frozen: a new counter is a new migration that adds its column.
    public static let counterColumns: [String] = """
        offered, transferred_in, overflowed_in, offers_rung, accepted, answer_wait_milliseconds, answer_wait_max_milliseconds,
        abandoned_in_queue, abandoned_in_queue_wait_milliseconds, abandoned_ringing, abandoned_ringing_wait_milliseconds,
        abandon_wait_max_milliseconds, timed_out, admin_ended, turned_away, overflowed_out, transferred_out,
        missed, outbound, handled, talk_milliseconds, hold_milliseconds, holds, wrap_up_milliseconds,
        wrap_ups, im_sessions_ended, messages, answered_within_5, answered_within_10, answered_within_15,
        answered_within_20, answered_within_30, answered_within_45, answered_within_60, answered_within_90,
        answered_within_120, answered_within_180, answered_within_300, abandoned_in_queue_within_3,
        abandoned_in_queue_within_5, abandoned_in_queue_within_10, abandoned_in_queue_within_15, abandoned_in_queue_within_20,
        abandoned_in_queue_within_30, abandoned_in_queue_within_60, abandoned_ringing_within_3, abandoned_ringing_within_5,
        abandoned_ringing_within_10, abandoned_ringing_within_15, abandoned_ringing_within_20, abandoned_ringing_within_30,
        abandoned_ringing_within_60
        """.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The two counter columns that hold maxima (the rest are sums), for migrations that roll
    /// the counters up. Frozen like ``counterColumns``.
    public static let maximumCounterColumns: Set<String> = ["answer_wait_max_milliseconds", "abandon_wait_max_milliseconds"]

    /// The statements that fill a new roll-up table from the 15-minute rows, for the "report hour
    /// roll-ups" migration of both backends: the counters summed (maxima taken) per UTC hour.
    public static func hourRollUpFill(counters: String, status: String) -> [String] {
        let hour = "bucket - bucket % 3600000"
        let sums = counterColumns.map { maximumCounterColumns.contains($0) ? "MAX(\($0))" : "SUM(\($0))" }
        return [
            """
            INSERT INTO \(counters) (bucket, dimension, subject, \(counterColumns.joined(separator: ", ")))
            SELECT \(hour), dimension, subject, \(sums.joined(separator: ", "))
            FROM report_intervals GROUP BY \(hour), dimension, subject
            """,
            """
            INSERT INTO \(status) (bucket, agent_id, status, rest_reason, milliseconds)
            SELECT \(hour), agent_id, status, rest_reason, SUM(milliseconds)
            FROM report_status_intervals GROUP BY \(hour), agent_id, status, rest_reason
            """,
        ]
    }
}
