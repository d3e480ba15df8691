/// The highest event `seq` the SDK has processed, and what to do with the next one (docs/protocol.md §2.2).
struct EventCursor: Sendable, Equatable {
    /// The last `seq` processed; nil before the first `welcome`.
    private(set) var position: Int?

    /// What to do with an event numbered `seq`.
    enum Admission: Equatable {
        /// `ready` or `tokenExpired` (seq 0): deliver, without moving the cursor.
        case connectionScoped
        /// The next event: the cursor has moved to it; deliver it.
        case next
        /// At or below the cursor, seen before (a replay overlapping what arrived live): skip.
        case duplicate
        /// Above cursor + 1: events were missed; reconnect and resume from the cursor.
        case gap(expected: Int)
    }

    /// Decides about an event and, for the next one, moves the cursor to it.
    mutating func admit(seq: Int) -> Admission {
        if seq == 0 { return .connectionScoped }
        guard let position else {
            self.position = seq
            return .next
        }
        if seq <= position { return .duplicate }
        if seq > position + 1 { return .gap(expected: position + 1) }
        self.position = seq
        return .next
    }

    /// Sets the cursor to a snapshot's `lastSeq` after a `welcome` that did not resume.
    mutating func reset(to lastSeq: Int) {
        position = lastSeq
    }
}
