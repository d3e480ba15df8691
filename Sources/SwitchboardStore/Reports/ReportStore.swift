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
    /// Milliseconds added to a 15-minute interval's start before dividing (the zone's UTC offset).
    public var offset: Int64
    /// The slot's length in milliseconds, a whole number of quarter hours.
    public var length: Int64

    /// Slots of `length` milliseconds, shifted by `offset`.
    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }
}

/// One subject's counters for one slot.
public struct ReportSlotCounts: Equatable, Sendable {
    /// Where the slot starts (milliseconds since 1970).
    public var slotStart: Int64
    /// The skill group id, agent id or session type.
    public var subject: String
    /// The counters summed over the slot's 15-minute intervals.
    public var counts: ReportCounts

    public init(slotStart: Int64, subject: String, counts: ReportCounts) {
        self.slotStart = slotStart
        self.subject = subject
        self.counts = counts
    }
}

/// Time an agent spent in one status (and rest reason) within one slot.
public struct ReportStatusTime: Equatable, Sendable {
    /// Where the slot starts (milliseconds since 1970).
    public var slotStart: Int64
    /// The agent, its status and (for rest) the reason.
    public var agent: String
    public var status: String
    public var restReason: String?
    /// The time, in milliseconds.
    public var milliseconds: Int64

    public init(slotStart: Int64, agent: String, status: String, restReason: String?, milliseconds: Int64) {
        self.slotStart = slotStart
        self.agent = agent
        self.status = status
        self.restReason = restReason
        self.milliseconds = milliseconds
    }
}

/// What a rebuild read and wrote.
public struct ReportRebuild: Equatable, Sendable {
    /// Sessions and history lines read.
    public var sessions: Int
    /// History lines read.
    public var historyLines: Int
    /// Status changes read.
    public var statusChanges: Int
    /// Rows of counters written.
    public var intervalRows: Int
    /// Rows of status time written.
    public var statusRows: Int
}
