/// A timer the core keeps; it fires at its deadline and is checked against the state first, so
/// timers made stale by later changes are dropped instead of cancelled.
struct RoutingTimer: Comparable, Sendable {
    enum Kind: Int, Sendable {
        case offerTimeout, queueTimeout, wrapUp, reconnectGrace, imHold, imInactivity, maxDuration
    }

    var deadline: Timestamp
    var kind: Kind
    /// The session or agent the timer is about.
    var subject: String

    // Ordered by deadline, then kind, then subject: never by insertion, so a state rebuilt from a
    // snapshot fires timers in the same order as the one that was saved.
    static func < (lhs: RoutingTimer, rhs: RoutingTimer) -> Bool {
        if lhs.deadline != rhs.deadline { return lhs.deadline < rhs.deadline }
        if lhs.kind != rhs.kind { return lhs.kind.rawValue < rhs.kind.rawValue }
        return lhs.subject < rhs.subject
    }
}
