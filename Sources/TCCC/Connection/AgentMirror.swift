import Foundation

/// The SDK's copy of the agent's state: who it is, its status, and its live sessions.
///
/// A plain value: the connection actor feeds it events and snapshots; it says which events are
/// news and, after a snapshot replaces it, which events describe the difference.
struct AgentMirror: Sendable, Equatable {
    var userId: String?
    var name: String?
    var status: AgentStatus = .offline
    var restReason: String?
    /// A status asked for while busy (by any of the agent's connections), applied by the server
    /// when the last session ends.
    var pendingStatus: AgentStatus?
    var pendingRestReason: String?
    var sessions: [LiveSession] = []

    /// Why the SDK made up a `statusChanged` or `sessionEnded`: it reconnected without a replay
    /// and the server's snapshot differed from what it knew.
    static let resyncReason = "resync"

    /// Applies a server event; returns false for an event that repeats what the mirror already
    /// shows: after a snapshot, the server may still send events whose effect it included (a
    /// `callIn` for a session already ringing here, a `sessionEnded` for one already gone).
    mutating func apply(_ event: AgentEvent, now: Date) -> Bool {
        switch event {
        case .ready, .tokenExpired, .sessionCompleted, .message, .callOuted, .calloutAccepted:
            return true
        case .callIn(let callIn):
            let entry = LiveSession(callIn: callIn, state: .ringing, offerDeadline: Self.deadline(for: callIn, from: now))
            if let index = index(of: callIn.sessionId) {
                if sessions[index].state == .ringing { return false }
                sessions[index] = entry
            } else {
                sessions.append(entry)
            }
            return true
        case .userAccessed(let sessionId):
            guard let index = index(of: sessionId) else { return true }
            if sessions[index].state == .accepted { return false }
            sessions[index].state = .accepted
            sessions[index].acceptedAt = now
            sessions[index].offerDeadline = nil
            return true
        case .autoTransfer(let sessionId), .transfer(let sessionId, _, _):
            return remove(sessionId)
        case .sessionEnded(let ended):
            return remove(ended.sessionId)
        case .statusChanged(let change):
            status = change.status
            restReason = change.restReason
            pendingStatus = nil
            pendingRestReason = nil
            return true
        }
    }

    /// Replaces the mirror with the server's snapshot and returns the events that take an app
    /// from the old state to the new one, in the order an app would have seen them.
    mutating func rebuild(from welcome: AgentWelcome, now: Date) -> [AgentEvent] {
        let old = self
        userId = welcome.userId
        name = welcome.name
        status = welcome.status
        restReason = welcome.restReason
        pendingStatus = welcome.pendingStatus
        pendingRestReason = welcome.pendingRestReason
        sessions = welcome.sessions.map { summary in
            LiveSession(
                callIn: summary.callIn, state: summary.state,
                acceptedAt: summary.acceptedAt.map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) },
                offerDeadline: summary.state == .ringing ? Self.deadline(for: summary.callIn, from: now) : nil)
        }

        var events: [AgentEvent] = []
        for gone in old.sessions where index(of: gone.id) == nil {
            if gone.state == .ringing {
                events.append(.autoTransfer(sessionId: gone.id))
            } else {
                events.append(.sessionEnded(SessionEnded(
                    sessionId: gone.id, closeBy: .admin, mainReason: Self.resyncReason,
                    subReason: "the session was no longer with this agent when the SDK reconnected",
                    type: gone.type)))
            }
        }
        for session in sessions {
            let before = old.sessions.first { $0.id == session.id }
            if before == nil {
                events.append(.callIn(session.callIn))
            }
            if session.state == .accepted && before?.state != .accepted {
                events.append(.userAccessed(sessionId: session.id))
            }
        }
        if status != old.status || restReason != old.restReason {
            events.append(.statusChanged(StatusChanged(status: status, restReason: restReason, cause: .resync)))
        }
        return events
    }

    /// Removes a session; false when it was not here, which after a snapshot means an app
    /// has already been told it is gone.
    private mutating func remove(_ sessionId: String) -> Bool {
        guard let index = index(of: sessionId) else { return false }
        sessions.remove(at: index)
        return true
    }

    private func index(of sessionId: String) -> Int? {
        sessions.firstIndex { $0.id == sessionId }
    }

    private static func deadline(for callIn: CallIn, from now: Date) -> Date? {
        callIn.timeout > 0 ? now.addingTimeInterval(TimeInterval(callIn.timeout)) : nil
    }
}

extension StatusChangeCause {
    /// The SDK reconnected without a replay, and the server's snapshot showed a different status
    /// than the SDK last knew. Only the Swift SDK reports it; the server never sends it.
    public static let resync = StatusChangeCause(rawValue: "resync")
}
