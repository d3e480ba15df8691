extension RoutingStateMachine {
    mutating func schedule(_ timer: RoutingTimer) {
        timers.insert(timer)
    }

    /// Fires every timer due by `now`, each at its own deadline, dispatching after each so offers
    /// are made at the time they would have been made by a punctual owner.
    mutating func fireTimers(upTo now: Timestamp) {
        while let next = timers.min, next.deadline <= now {
            clock = max(clock, next.deadline)
            fireDueTimers(at: clock)
            dispatch()
        }
    }

    /// Fires the timers due at `time` (the current clock), skipping stale ones.
    mutating func fireDueTimers(at time: Timestamp) {
        while let timer = timers.min, timer.deadline <= time {
            timers.removeMin()
            fire(timer)
        }
    }

    private mutating func fire(_ timer: RoutingTimer) {
        switch timer.kind {
        case .offerTimeout:
            let id = SessionID(timer.subject)
            guard let session = sessions[id], case .ringing(_, let deadline) = session.state, deadline == timer.deadline else { return }
            offerTimedOut(id)
        case .queueTimeout:
            let id = SessionID(timer.subject)
            guard let session = sessions[id], session.state == .queued, session.queueDeadline == timer.deadline else { return }
            queueTimedOut(id)
        case .imInactivity:
            let id = SessionID(timer.subject)
            guard let session = sessions[id], case .accepted = session.state, session.inactivityDeadline == timer.deadline else { return }
            let quiet = (timer.deadline.milliseconds - session.lastActivity.milliseconds) / 1000
            endSession(id, closeBy: .timer, why: "no message for \(quiet) s")
        case .maxDuration:
            let id = SessionID(timer.subject)
            guard let session = sessions[id], let acceptedAt = session.acceptedAt,
                  let limit = skillGroups[session.skillGroupId]?.maxSessionSeconds, limit > 0,
                  acceptedAt.adding(seconds: limit) == timer.deadline
            else { return }
            endSession(id, closeBy: .timer, why: "the skill group's maximum session duration (\(limit) s) ran out")
        case .wrapUp:
            let id = AgentID(timer.subject)
            guard let agent = agents[id], agent.status == .arrange, agent.wrapUpUntil == timer.deadline else { return }
            finishWrapUp(id, cause: .wrapUpTimer)
        case .reconnectGrace:
            let id = AgentID(timer.subject)
            guard let agent = agents[id], agent.status != .offline, agent.reachable, let since = agent.disconnectedSince,
                  since.adding(seconds: configuration.reconnectGraceSeconds) == timer.deadline
            else { return }
            reconnectGraceExpired(id)
        case .imHold:
            let id = AgentID(timer.subject)
            guard let agent = agents[id], agent.status != .offline, let since = agent.disconnectedSince,
                  since.adding(seconds: configuration.imHoldSeconds) == timer.deadline
            else { return }
            imHoldExpired(id)
        }
    }

    /// Every timer the current state implies; used when a state is rebuilt from a snapshot.
    func impliedTimers() -> [RoutingTimer] {
        var result: [RoutingTimer] = []
        for session in sessions.values {
            if let acceptedAt = session.acceptedAt, let limit = skillGroups[session.skillGroupId]?.maxSessionSeconds, limit > 0 {
                result.append(RoutingTimer(deadline: acceptedAt.adding(seconds: limit), kind: .maxDuration, subject: session.id.rawValue))
            }
            switch session.state {
            case .queued:
                if let deadline = session.queueDeadline {
                    result.append(RoutingTimer(deadline: deadline, kind: .queueTimeout, subject: session.id.rawValue))
                }
            case .ringing(_, let deadline):
                if let deadline { result.append(RoutingTimer(deadline: deadline, kind: .offerTimeout, subject: session.id.rawValue)) }
            case .accepted:
                if let deadline = session.inactivityDeadline {
                    result.append(RoutingTimer(deadline: deadline, kind: .imInactivity, subject: session.id.rawValue))
                }
            }
        }
        for agent in agents.values {
            if let deadline = agent.wrapUpUntil, agent.status == .arrange {
                result.append(RoutingTimer(deadline: deadline, kind: .wrapUp, subject: agent.id.rawValue))
            }
            if let since = agent.disconnectedSince, agent.status != .offline {
                result.append(RoutingTimer(deadline: since.adding(seconds: configuration.reconnectGraceSeconds), kind: .reconnectGrace, subject: agent.id.rawValue))
                result.append(RoutingTimer(deadline: since.adding(seconds: configuration.imHoldSeconds), kind: .imHold, subject: agent.id.rawValue))
            }
        }
        return result
    }

    /// The server was down from `downSince` until now. Nobody's fault: a ringing offer whose
    /// timeout fell in that time rings again for the time it had left (at least the reconnect
    /// grace) and its agent is not put in the missed-offer status; queue timeouts and im
    /// inactivity timers fire no earlier than the reconnect grace after the restart, so
    /// reconnecting clients are not ended for an outage they did not cause.
    mutating func resumeAfterDowntime(downSince: Timestamp) {
        let earliest = clock.adding(seconds: configuration.reconnectGraceSeconds)
        for id in sessions.keys.sorted() {
            let session = sessions[id]!
            switch session.state {
            case .ringing(let agent, let deadline?) where deadline < earliest:
                let left = max(0, deadline.milliseconds - downSince.milliseconds)
                let again = max(Timestamp(milliseconds: clock.milliseconds + left), earliest)
                setState(of: id, to: .ringing(agent: agent, deadline: again))
                schedule(RoutingTimer(deadline: again, kind: .offerTimeout, subject: id.rawValue))
            case .queued:
                if let deadline = session.queueDeadline, deadline < earliest {
                    sessions[existing: id].queueDeadline = earliest
                    schedule(RoutingTimer(deadline: earliest, kind: .queueTimeout, subject: id.rawValue))
                }
            case .accepted:
                if let deadline = session.inactivityDeadline, deadline < earliest {
                    sessions[existing: id].inactivityDeadline = earliest
                    schedule(RoutingTimer(deadline: earliest, kind: .imInactivity, subject: id.rawValue))
                }
            default:
                break
            }
        }
    }
}
