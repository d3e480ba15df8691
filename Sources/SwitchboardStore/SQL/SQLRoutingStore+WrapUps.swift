import SwitchboardCore

extension SQLRoutingStore {
    /// One update of the session's row: the projection never writes these columns, so a wrap-up
    /// and the routing events of the same session cannot overwrite each other.
    public func saveWrapUp(_ wrapUp: SessionWrapUp, of session: SessionID) async throws -> Bool {
        try await write("saving the wrap-up of session \(session)") { db in
            try !db.rows("""
                UPDATE sessions SET wrap_up_agent_id = ?, disposition_code = ?, wrap_up_note = ?, wrapped_up_at = ?
                WHERE id = ? RETURNING id
                """, [
                    SQLValue(wrapUp.agentId.rawValue), SQLValue(wrapUp.dispositionCode), SQLValue(wrapUp.note), SQLValue(wrapUp.at),
                    SQLValue(session.rawValue),
                ]).isEmpty
        }
    }

    /// The wrap-up columns of a sessions row; nil when it was never wrapped up.
    static func wrapUp(from row: SQLRow) throws(StoreError) -> SessionWrapUp? {
        guard let agent = try row.optionalIdentifier(AgentID.self, "wrap_up_agent_id"), let at = try row.optionalTimestamp("wrapped_up_at") else {
            return nil
        }
        return SessionWrapUp(agentId: agent, dispositionCode: try row.optionalString("disposition_code"), note: try row.optionalString("wrap_up_note"), at: at)
    }
}
