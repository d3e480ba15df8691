import Foundation
import SwitchboardCore
import SwitchboardStore

/// The phone record as CSV (RFC 4180, CRLF, UTF-8), one row a session, with the column names of
/// TCCC's call records (`DescribeTelCdr`'s `TelCdrInfo`) where one fits.
///
/// Cells a spreadsheet would take as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) get a leading `'`: caller numbers and customer-chosen labels are untrusted
/// text, and `+4930…` would otherwise be evaluated.
enum SessionCSV {
    static let columns = [
        "SessionId", "Type", "Direction", "Caller", "Callee", "IVRKeyPressed", "IVRKeyLabels", "Digits",
        "SkillGroupId", "SkillGroup", "SeatUserIds", "StartTimestamp", "QueuedTimestamp", "RingTimestamp",
        "AcceptTimestamp", "EndedTimestamp", "QueueSeconds", "RingSeconds", "Duration", "HungUpSide", "CloseBy",
        "EndStatusString", "RecordingStatus", "RecordURL", "DispositionCode", "WrapUpNote", "WrapUpTimestamp", "WrapUpUserId",
        // Added later, at the end, so readers that go by position keep working.
        "HoldSeconds", "TalkSeconds",
    ]

    /// One session's row: `agents` are those who accepted it, in order (a transfer adds the next).
    static func row(_ session: SessionRepresentation, agents: [String], groupName: String?) -> [String] {
        let customer = session.customer
        let path = customer.ivrPath ?? []
        // Arrived: when the contact came in (a flow's call: when it was answered, before the
        // menu). Queued: when it reached a skill group's queue; empty if it never did.
        let queued = session.queuedAt
        return [
            session.id, session.type, session.direction ?? "", customer.callerPhoneNumber ?? "", customer.calleePhoneNumber ?? "",
            path.map(\.key).joined(separator: ";"), path.map(\.label).joined(separator: ";"), session.digits ?? "",
            session.skillGroupId, groupName ?? "", agents.joined(separator: ";"),
            seconds(session.createdAt), seconds(queued), seconds(session.firstRingAt), seconds(session.acceptedAt), seconds(session.endedAt),
            text(session.waitSeconds), text(session.ringSeconds), text(session.durationSeconds), session.hangUpSide ?? "",
            session.closeBy ?? "", session.endStatus ?? "", session.recording?.status ?? "", session.recording?.url ?? "",
            session.dispositionCode ?? "", session.wrapUpNote ?? "", seconds(session.wrappedUpAt), session.wrappedUpBy ?? "",
            text(session.holdSeconds), text(session.talkSeconds),
        ]
    }

    /// The document: a header line and the rows.
    static func document(_ rows: [[String]]) -> String {
        table([columns] + rows)
    }

    /// Any table (its first row the header) in the same CSV form, cells defused.
    static func table(_ rows: [[String]]) -> String {
        rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A cell, defused and quoted as needed.
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// TCCC's call records count time in whole seconds since 1970.
    private static func seconds(_ milliseconds: Int64?) -> String { milliseconds.map { String($0 / 1000) } ?? "" }
    private static func text(_ value: Int?) -> String { value.map(String.init) ?? "" }

    /// Agents who accepted the session, in order, from its history.
    static func agents(in history: [HistoryRecord]) -> [String] {
        var agents: [String] = []
        for line in history where line.kind == "accepted" {
            if let agent = line.agentId?.rawValue, agents.last != agent { agents.append(agent) }
        }
        return agents
    }

    /// A `from` / `to` parameter: milliseconds since 1970, or an ISO 8601 date (`2026-11-30`, UTC
    /// midnight) or date and time (`2026-11-30T08:00:00Z`).
    static func time(_ text: String) -> Timestamp? {
        if let milliseconds = Int64(text), milliseconds >= 0 { return Timestamp(milliseconds: milliseconds) }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Timestamp(milliseconds: Int64(date.timeIntervalSince1970 * 1000)) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return Timestamp(milliseconds: Int64(date.timeIntervalSince1970 * 1000)) }
        return nil
    }
}
