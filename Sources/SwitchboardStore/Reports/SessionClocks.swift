import SwitchboardCore

/// What one session's metrics need to remember between its history lines: the clocks that are
/// running (its wait in the current queue, the current agent's handling and hold). Kept as JSON
/// in `sessions.report_clocks` so that the next line, in a later transaction, can stop them.
///
/// ``apply(_:at:sequence:to:)`` is the one place that turns history into counters; the
/// projection and `reports rebuild` both call it, line by line, in the order the core decided.
struct SessionClocks: Codable, Equatable, Sendable {
    /// The session type.
    var type: String
    /// The skill group the session is in now.
    var group: String
    /// When the current contact (a queue's share of the session: from arriving, being transferred
    /// or overflowing into the group until answered or left) started; nil outside one.
    var contactStart: Int64?
    /// Agents the session rings at now.
    var ringing: [String] = []
    /// The agent holding the session, and since when it talks (nil while an outbound call dials).
    var holder: String?
    var handlingStart: Int64?
    /// The running hold, the hold time so far and the holds, of the current handling.
    var holdStart: Int64?
    var holdMilliseconds: Int64 = 0
    var holds: Int64 = 0
    /// An outbound call: counted as placed, not as offered.
    var outbound = false
    /// The agent who last handled it, for the messages counted when it ends.
    var lastAgent: String?
    /// Hold time over the handlings that ended (every agent's); nil until one ended.
    var releasedHoldMilliseconds: Int64?

    /// The record's hold time now (`sessions.hold_milliseconds`): the handlings that ended and
    /// the current one's ended holds; nil while no agent has handled the session.
    var recordHoldMilliseconds: Int64? {
        handlingStart == nil && releasedHoldMilliseconds == nil ? nil : (releasedHoldMilliseconds ?? 0) + holdMilliseconds
    }

    /// A session recorded outside any queue (a call that ended in its IVR flow) is not counted.
    var isCounted: Bool { !group.isEmpty }

    enum CodingKeys: String, CodingKey {
        case type = "t", group = "g", contactStart = "c", ringing = "r", holder = "h", handlingStart = "hs"
        case holdStart = "os", holdMilliseconds = "om", holds = "on", outbound = "o", lastAgent = "la"
        case releasedHoldMilliseconds = "th"
    }

    init(type: String, group: String) {
        self.type = type
        self.group = group
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        group = try container.decode(String.self, forKey: .group)
        contactStart = try container.decodeIfPresent(Int64.self, forKey: .contactStart)
        ringing = try container.decodeIfPresent([String].self, forKey: .ringing) ?? []
        holder = try container.decodeIfPresent(String.self, forKey: .holder)
        handlingStart = try container.decodeIfPresent(Int64.self, forKey: .handlingStart)
        holdStart = try container.decodeIfPresent(Int64.self, forKey: .holdStart)
        holdMilliseconds = try container.decodeIfPresent(Int64.self, forKey: .holdMilliseconds) ?? 0
        holds = try container.decodeIfPresent(Int64.self, forKey: .holds) ?? 0
        outbound = try container.decodeIfPresent(Bool.self, forKey: .outbound) ?? false
        lastAgent = try container.decodeIfPresent(String.self, forKey: .lastAgent)
        releasedHoldMilliseconds = try container.decodeIfPresent(Int64.self, forKey: .releasedHoldMilliseconds)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(group, forKey: .group)
        try container.encodeIfPresent(contactStart, forKey: .contactStart)
        if !ringing.isEmpty { try container.encode(ringing, forKey: .ringing) }
        try container.encodeIfPresent(holder, forKey: .holder)
        try container.encodeIfPresent(handlingStart, forKey: .handlingStart)
        try container.encodeIfPresent(holdStart, forKey: .holdStart)
        if holdMilliseconds != 0 { try container.encode(holdMilliseconds, forKey: .holdMilliseconds) }
        if holds != 0 { try container.encode(holds, forKey: .holds) }
        if outbound { try container.encode(outbound, forKey: .outbound) }
        try container.encodeIfPresent(lastAgent, forKey: .lastAgent)
        try container.encodeIfPresent(releasedHoldMilliseconds, forKey: .releasedHoldMilliseconds)
    }
}

extension SessionClocks {
    /// Applies one history line at `at` (journal entry `sequence`): updates the clocks and adds
    /// what the line completes to `tally`. Returns the clocks to keep, nil before `created`.
    static func apply(_ event: SessionMetricsEvent, at: Int64, sequence: Int64, to clocks: SessionClocks?, session: String,
                      tally: inout ReportTally) -> SessionClocks? {
        if case .created(let type, let group) = event { return SessionClocks(type: type, group: group) }
        guard var clocks, clocks.isCounted else { return clocks }
        clocks.apply(event, at: at, sequence: sequence, session: session, tally: &tally)
        return clocks
    }

    private mutating func apply(_ event: SessionMetricsEvent, at: Int64, sequence: Int64, session: String, tally: inout ReportTally) {
        switch event {
        case .created, .none:
            break
        case .queued(let newGroup):
            group = newGroup
            ringing = []
            // Back in the queue after a missed or withdrawn offer: the same contact waits on.
            if contactStart == nil { startContact(at: at, tally: &tally) { _ in } }
        case .offered(let agent):
            if !ringing.contains(agent) { ringing.append(agent) }
            tally.add(at: at, agent: agent) { $0[.offersRung] += 1 }
        case .missed(let agent):
            ringing.removeAll { $0 == agent }
            tally.add(at: at, group: group, type: type, agent: agent) { $0[.missed] += 1 }
        case .withdrawn(let agent):
            ringing.removeAll { $0 == agent }
        case .accepted(let agent):
            ringing = []
            if outbound, holder == agent {
                handlingStart = at  // the callee answered: talk starts
            } else {
                let wait = contactStart.map { max(0, at - $0) } ?? 0
                if contactStart != nil {
                    tally.add(at: at, group: group, type: type, agent: agent) { $0.countAnswer(afterWaiting: wait) }
                }
                contactStart = nil
                holder = agent
                handlingStart = at
            }
        case .transferred(let from, let toGroup):
            release(from, at: at, sequence: sequence, tally: &tally) { $0[.transferredOut] += 1 }
            if let toGroup { group = toGroup }
            startContact(at: at, tally: &tally) { $0[.transferredIn] += 1 }
        case .overflowed(let from, let to):
            if contactStart != nil { tally.add(at: at, group: from, type: type) { $0[.overflowedOut] += 1 } }
            group = to
            ringing = []
            startContact(at: at, tally: &tally) { $0[.overflowedIn] += 1 }
        case .returnedToQueue(let agent):
            release(agent, at: at, sequence: sequence, tally: &tally) { _ in }
        case .ended(let closeBy):
            end(closeBy: closeBy, at: at, sequence: sequence, session: session, tally: &tally)
        case .dialled(let agent):
            outbound = true
            holder = agent
            tally.add(at: at, group: group, type: type, agent: agent) { $0[.outbound] += 1 }
        case .hold(let agent, let on):
            guard holder == agent, handlingStart != nil else { return }
            if on, holdStart == nil {
                holdStart = at
                holds += 1
            } else if !on, let start = holdStart {
                holdMilliseconds += max(0, at - start)
                holdStart = nil
            }
        }
    }

    /// A new contact for the current group: offered, plus what brought it (`also`).
    private mutating func startContact(at: Int64, tally: inout ReportTally, also: (inout ReportCounts) -> Void) {
        contactStart = at
        tally.add(at: at, group: group, type: type) {
            $0[.offered] += 1
            also(&$0)
        }
    }

    /// The agent stops handling the session: one handled session, its talk and hold time, and
    /// `also` (a transfer out) for the agent, the group and the type.
    private mutating func release(_ agent: String, at: Int64, sequence: Int64, tally: inout ReportTally, also: (inout ReportCounts) -> Void) {
        guard holder == agent else { return }
        if let start = handlingStart {
            if let holdStart { holdMilliseconds += max(0, at - holdStart) }
            let hold = holdMilliseconds
            releasedHoldMilliseconds = (releasedHoldMilliseconds ?? 0) + hold
            let talk = max(0, at - start - hold)
            let holds = self.holds
            tally.add(at: at, group: group, type: type, agent: agent) {
                $0[.handled] += 1
                $0[.talkMilliseconds] += talk
                $0[.holdMilliseconds] += hold
                $0[.holds] += holds
                also(&$0)
            }
            // The agent's wrap-up that starts in this same journal entry is this session's.
            tally.releases[ReportTally.Release(agent: agent, sequence: sequence)] = (group, type)
        } else {
            tally.add(at: at, group: group, type: type, agent: agent, also)
        }
        lastAgent = agent
        holder = nil
        handlingStart = nil
        holdStart = nil
        holdMilliseconds = 0
        holds = 0
    }

    private mutating func end(closeBy: CloseBy, at: Int64, sequence: Int64, session: String, tally: inout ReportTally) {
        if let holder {
            release(holder, at: at, sequence: sequence, tally: &tally) { _ in }
        } else if let start = contactStart {
            let wait = max(0, at - start)
            switch closeBy {
            case .client, .seat:
                let ringing = !self.ringing.isEmpty
                tally.add(at: at, group: group, type: type) { $0.countAbandon(ringing: ringing, afterWaiting: wait) }
            case .timer:
                tally.add(at: at, group: group, type: type) { $0[.timedOut] += 1 }
            case .admin:
                tally.add(at: at, group: group, type: type) { $0[.adminEnded] += 1 }
            }
        } else if !outbound {
            // Ended without ever queueing: turned away (outside working hours, nobody online, queue full).
            tally.add(at: at, group: group, type: type) { $0[.turnedAway] += 1 }
        }
        contactStart = nil
        ringing = []
        if type == SessionType.im.rawValue {
            tally.add(at: at, group: group, type: type, agent: lastAgent) { $0[.imSessionsEnded] += 1 }
            tally.messageCounts.append(.init(session: session, at: at, group: group, type: type, agent: lastAgent))
        }
    }
}
