/// A point in time in milliseconds, on whatever monotonic clock the owner uses.
///
/// The SIP layer never reads a clock: every call carries the time it happens at, so tests drive
/// retransmissions and timeouts by hand.
public struct SIPTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since an origin the owner chooses.
    public var milliseconds: Int64

    /// Creates a time from milliseconds.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The time `milliseconds` later.
    public func adding(milliseconds delta: Int64) -> SIPTime { SIPTime(milliseconds: milliseconds + delta) }

    public static func < (lhs: SIPTime, rhs: SIPTime) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public var description: String { "t+\(milliseconds)ms" }
}
