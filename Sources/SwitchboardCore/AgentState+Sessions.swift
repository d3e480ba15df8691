/// The changes a routed session makes to its agent, each made in one in-place access
/// (`agents[existing: id].ring(...)`): one dictionary lookup where a field-by-field update took
/// three or four, on the path every routed session takes.
extension AgentState {
    /// The session rings at the agent: it takes capacity and restarts the idle time.
    mutating func ring(_ session: SessionID, type: SessionType, at time: Timestamp) {
        ringing.insert(session)
        addLoad(type)
        idleSince = time
    }

    /// The agent accepted a session ringing at it. Returns its name and status (for the
    /// customer's `agentJoined` and whether it becomes busy now).
    mutating func hold(_ session: SessionID) -> (name: String, status: AgentStatus) {
        ringing.remove(session)
        held.insert(session)
        return (profile.name, status)
    }

    /// A held session ended: its capacity is free again.
    mutating func dropHeld(_ session: SessionID, type: SessionType) {
        held.remove(session)
        removeLoad(type)
    }

    /// The agent stopped holding a session: it awaits `sessionCompleted` and the idle time
    /// restarts. Returns whether it was the last one of a busy agent (wrap-up follows).
    mutating func release(_ session: SessionID, at time: Timestamp) -> Bool {
        awaitingCompletion.append(session)
        idleSince = time
        return held.isEmpty && status == .busy
    }

    /// Wrap-up is over: clears it and the pending status, and returns that status and its rest
    /// reason (nil: the agent goes free).
    mutating func endWrapUp() -> (status: RequestedStatus?, restReason: String?) {
        let pending = (pendingStatus, pendingRestReason)
        wrapUpUntil = nil
        pendingStatus = nil
        pendingRestReason = nil
        return pending
    }
}
