/// Counters collected in memory for one transaction (or one rebuild), then written to
/// `report_intervals` and `report_status_intervals`, and to their hourly roll-ups
/// (``ReportRollUp``), by adding to what is there.
struct ReportTally: Sendable {
    /// Per 15-minute interval and group, agent or type.
    var cells: [ReportCell: ReportCounts] = [:]
    /// Status time per 15-minute interval, agent, status and rest reason.
    var statusTime: [StatusCell: Int64] = [:]
    /// Which group and type each handling released in a journal entry belonged to: the wrap-up
    /// that entry starts for that agent is counted there.
    var releases: [Release: (group: String, type: String)] = [:]
    /// Ended im sessions whose messages are counted once the transaction's messages are in.
    var messageCounts: [MessageCount] = []

    struct Release: Hashable, Sendable {
        var agent: String
        var sequence: Int64
    }

    struct StatusCell: Hashable, Sendable {
        var bucket: Int64
        var agent: String
        var status: String
        var restReason: String
    }

    struct MessageCount: Sendable {
        var session: String
        var at: Int64
        var group: String
        var type: String
        var agent: String?
    }

    var isEmpty: Bool { cells.isEmpty && statusTime.isEmpty && messageCounts.isEmpty }

    /// Applies `change` to the interval of `at` for each of the given group, type and agent.
    mutating func add(at: Int64, group: String? = nil, type: String? = nil, agent: String? = nil, _ change: (inout ReportCounts) -> Void) {
        let bucket = ReportInterval.bucket(at)
        for (dimension, key) in [(ReportDimension.skillGroup, group), (.sessionType, type), (.agent, agent)] {
            guard let key else { continue }
            change(&cells[ReportCell(bucket: bucket, dimension: dimension, key: key), default: ReportCounts()])
        }
    }

    /// Adds the period [`start`, `end`) an agent spent in `status`, split by interval.
    mutating func addStatusTime(agent: String, status: String, restReason: String?, from start: Int64, to end: Int64) {
        for (bucket, milliseconds) in ReportInterval.split(from: start, to: end) {
            statusTime[StatusCell(bucket: bucket, agent: agent, status: status, restReason: restReason ?? ""), default: 0] += milliseconds
        }
    }

    /// Adds everything in `other` (a later part of the same transaction).
    mutating func merge(_ other: ReportTally) {
        for (cell, counts) in other.cells { cells[cell, default: ReportCounts()].add(counts) }
        for (cell, time) in other.statusTime { statusTime[cell, default: 0] += time }
        releases.merge(other.releases) { _, new in new }
        messageCounts += other.messageCounts
    }
}
