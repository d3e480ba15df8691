import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Wrap-up: when a session is over, the agent who held it last picks one of the skill group's
/// disposition codes and writes a note, kept on the session's record (the admin session API and
/// `sessions.csv` show them). Only that agent may, only once the session has ended.
public struct SessionWrapUps: Sendable {
    let store: any RoutingStore
    let routing: RoutingService
    let clock: @Sendable () -> Timestamp

    /// The longest note, in characters.
    public static let maximumNoteLength = 2000

    /// Why a wrap-up was not read or saved. Nothing was changed.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// What was wrong, for people.
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// What the wrap-up form offers for a session, and what was saved already.
    public func form(for session: SessionID, agent: AgentID) async throws(Refusal) -> WrapUpForm {
        let record = try await wrappable(session, by: agent)
        let codes = await routing.read { $0.skillGroups[record.skillGroupId]?.dispositionCodes } ?? []
        return WrapUpForm(
            sessionId: session.rawValue, skillGroupId: record.skillGroupId.rawValue, dispositionCodes: codes,
            maximumNoteLength: Self.maximumNoteLength, saved: record.wrapUp.map(Self.wire))
    }

    /// Saves (or replaces) the agent's wrap-up of an ended session it held last.
    public func save(_ session: SessionID, agent: AgentID, dispositionCode: String?, note: String?) async throws(Refusal) -> SavedWrapUp {
        let record = try await wrappable(session, by: agent)
        let group = record.skillGroupId
        let codes = await routing.read { $0.skillGroups[group]?.dispositionCodes } ?? []
        let code = dispositionCode.flatMap { $0.isEmpty ? nil : $0 }
        if let code, !codes.contains(code) {
            throw Refusal(codes.isEmpty
                ? "skill group \(group) has no disposition codes, so '\(code)' cannot be chosen; save the note alone"
                : "disposition code '\(code)' is not one of skill group \(group)'s: \(codes.joined(separator: ", "))")
        }
        if code == nil, !codes.isEmpty {
            throw Refusal("pick a disposition code: skill group \(group)'s are \(codes.joined(separator: ", "))")
        }
        let text = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if let text, text.count > Self.maximumNoteLength {
            throw Refusal("the note is \(text.count) characters; the limit is \(Self.maximumNoteLength)")
        }
        if text?.unicodeScalars.contains("\u{0}") == true { throw Refusal("the note contains a NUL character (\\u0000)") }
        let wrapUp = SessionWrapUp(agentId: agent, dispositionCode: code, note: text, at: clock())
        do {
            guard try await store.saveWrapUp(wrapUp, of: session) else { throw Refusal("session \(session) does not exist") }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal("could not save the wrap-up of session \(session) (\(error)); nothing was saved, try again")
        }
        return Self.wire(wrapUp)
    }

    static func wire(_ wrapUp: SessionWrapUp) -> SavedWrapUp {
        SavedWrapUp(dispositionCode: wrapUp.dispositionCode, note: wrapUp.note, wrappedUpAt: wrapUp.at.milliseconds)
    }

    /// The session's record, if `agent` may wrap it up: it has ended and the agent held it last.
    private func wrappable(_ session: SessionID, by agent: AgentID) async throws(Refusal) -> SessionRecord {
        let record: SessionRecord?
        let history: [HistoryRecord]
        do {
            record = try await store.session(session)
            history = try await store.history(of: session)
        } catch {
            throw Refusal("could not read session \(session) (\(error)); try again")
        }
        guard let record else { throw Refusal("session \(session) does not exist") }
        guard record.endedAt != nil else { throw Refusal("session \(session) has not ended yet; wrap it up once it is over") }
        // Whoever accepted it last held it last: a transfer hands it to the next accept.
        let holder = history.last(where: { $0.kind == "accepted" })?.agentId
        guard holder == agent else {
            throw Refusal("session \(session) is not yours to wrap up: agent \(agent) was not the last to hold it")
        }
        return record
    }
}
