import SwitchboardCore

/// The report aggregates a store keeps beside its records (docs/reports.md): read by interval,
/// added to as records land, and rebuilt from the records on demand.
public protocol ReportStore: Sendable {
    /// The counters of `dimension` for the 15-minute intervals in [`from`, `to`), summed per
    /// subject and per slot of `slots`.
    func reportCounts(_ dimension: ReportDimension, from: Timestamp, to: Timestamp, slots: ReportSlots) async throws -> [ReportSlotCounts]
    /// Agents' closed status periods in [`from`, `to`), summed per slot, agent, status and reason.
    func reportStatusTime(from: Timestamp, to: Timestamp, slots: ReportSlots) async throws -> [ReportStatusTime]
    /// Every agent's current (open) status period, which ``reportStatusTime`` does not hold yet.
    func openStatusPeriods() async throws -> [AgentStatusClock]
    /// Records that `agent` put call `session` on hold (`on`) or took it off, in the session's
    /// history and its hold clock, in one transaction.
    func recordHold(_ session: SessionID, agent: AgentID, at: Timestamp, on: Bool) async throws
    /// Recomputes every aggregate from the session history, the status history and the messages,
    /// in one transaction, replacing what was there.
    func rebuildReports() async throws -> ReportRebuild
}

/// How 15-minute intervals are grouped into a report's intervals: interval `(bucket + offset) /
/// length`, which starts at `slot * length - offset`. With the time zone's UTC offset, a length
/// of an hour or a day gives that zone's hours or days while the offset holds; the caller splits
/// a range at the zone's offset changes.
public struct ReportSlots: Equatable, Sendable {
    public var offset: Int64
    public var length: Int64

    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }

    /// The start of the slot holding `time`.
    public func start(of time: Int64) -> Int64 {
        let shifted = time + offset
        let slot = shifted >= 0 ? shifted / length : -((-shifted + length - 1) / length)
        return slot * length - offset
    }
}

/// One subject's counters for one slot.
public struct ReportSlotCounts: Equatable, Sendable {
    public var slotStart: Int64
    public var subject: String
    public var counts: ReportCounts
}

/// Time an agent spent in one status (and rest reason) within one slot.
public struct ReportStatusTime: Equatable, Sendable {
    public var slotStart: Int64
    public var agent: String
    public var status: String
    public var restReason: String?
    public var milliseconds: Int64
}

/// What a rebuild read and wrote.
public struct ReportRebuild: Equatable, Sendable {
    /// Sessions and history lines read.
    public var sessions: Int
    public var historyLines: Int
    /// Status changes read.
    public var statusChanges: Int
    /// Rows of counters and of status time written.
    public var intervalRows: Int
    public var statusRows: Int
}
