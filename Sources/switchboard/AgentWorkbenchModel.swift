import Foundation
import TCCC

/// What the terminal workbench shows and what each key does: a plain value, fed keys, SDK events
/// and results, and asked for the SDK calls to make. Drawing is ``AgentWorkbenchView``'s job.
struct AgentWorkbenchModel {
    var userId = ""
    var name = ""
    var status: AgentStatus = .offline
    var restReason: String?
    var connection: ConnectionState = .connecting
    /// Ringing and held sessions, as the SDK lists them.
    var sessions: [LiveSession] = []
    var selectedSessionId: String?
    /// The im messages of each held session, oldest first.
    var transcripts: [String: [ChatMessage]] = [:]
    /// The question the input line is asking, if any.
    var prompt: Prompt?
    /// The last thing that happened, for the line under the header.
    var notice: Notice?
    /// When the customer of each session was last told the agent is typing.
    var typingSentAt: [String: Date] = [:]
    var quitting = false

    /// What the input line is collecting.
    enum Prompt: Equatable {
        case message(sessionId: String, text: String)
        case restReason(text: String)
        case transfer(sessionId: String, text: String)

        var text: String {
            switch self {
            case .message(_, let text), .restReason(let text), .transfer(_, let text): text
            }
        }

        /// The session the prompt is about, if any.
        var sessionId: String? {
            switch self {
            case .message(let id, _), .transfer(let id, _): id
            case .restReason: nil
            }
        }

        func replacingText(with text: String) -> Prompt {
            switch self {
            case .message(let id, _): .message(sessionId: id, text: text)
            case .restReason: .restReason(text: text)
            case .transfer(let id, _): .transfer(sessionId: id, text: text)
            }
        }
    }

    /// A line of news: an offer, an end, a refusal.
    struct Notice: Equatable {
        var text: String
        var isError: Bool
    }

    /// An SDK call the workbench should make.
    enum Action: Equatable {
        case online
        case offline
        case setStatus(TCCC.RequestedStatus, restReason: String?)
        case accept(sessionId: String)
        case end(sessionId: String)
        case transfer(sessionId: String, skillGroupId: String?, userId: String?)
        case send(sessionId: String, text: String)
        case typing(sessionId: String)
        case loadTranscript(sessionId: String)

        /// What a person would call it, for notices: "accept s-3".
        var summary: String {
            switch self {
            case .online: "online"
            case .offline: "offline"
            case .setStatus(let status, _): "status \(status)"
            case .accept(let id): "accept \(id)"
            case .end(let id): "end \(id)"
            case .transfer(let id, let group, let user): "transfer \(id) to \(user.map { "agent \($0)" } ?? "group \(group ?? "")")"
            case .send: "send"
            case .typing: "typing"
            case .loadTranscript(let id): "load the transcript of \(id)"
            }
        }
    }

    var ringing: [LiveSession] { sessions.filter(\.isRinging) }
    var held: [LiveSession] { sessions.filter { !$0.isRinging } }
    var selectedSession: LiveSession? { sessions.first { $0.id == selectedSessionId } }

    // MARK: The SDK

    /// Takes the SDK's current state; keeps the selection on a live session.
    mutating func sync(from tccc: TCCC) {
        userId = tccc.userId ?? userId
        name = tccc.name ?? name
        status = tccc.Agent.getStatus()
        restReason = tccc.Agent.restReason
        connection = tccc.connectionState
        sessions = tccc.sessions
        if selectedSession == nil { selectedSessionId = sessions.first?.id }
        transcripts = transcripts.filter { id, _ in sessions.contains { $0.id == id } }
        if let id = prompt?.sessionId, !held.contains(where: { $0.id == id }) { prompt = nil }
    }

    /// Notes an event; returns the calls it calls for (loading a transcript after an accept).
    mutating func apply(_ event: AgentEvent) -> [Action] {
        switch event {
        case .callIn(let callIn):
            let who = callIn.nickname ?? callIn.callerPhoneNumber ?? callIn.userId ?? callIn.sessionId
            notice = Notice(text: "\(who) is calling (\(callIn.type.rawValue), \(callIn.sessionId)) — press a to accept", isError: false)
            if selectedSessionId == nil || selectedSession.map({ !$0.isRinging && $0.type != .im }) == true {
                selectedSessionId = callIn.sessionId
            }
        case .userAccessed(let id):
            selectedSessionId = id
            notice = Notice(text: "Accepted \(id)", isError: false)
            return [.loadTranscript(sessionId: id)]
        case .autoTransfer(let id):
            notice = Notice(text: "\(id) rang out and moved on", isError: true)
        case .sessionEnded(let ended):
            let who = switch ended.closeBy {
            case .client: "the customer"
            case .seat: "you"
            case .admin: "a supervisor"
            case .timer: "a timer"
            }
            notice = Notice(text: "\(ended.sessionId) was ended by \(who)\(ended.mainReason.map { " (\($0))" } ?? "")", isError: false)
        case .transfer(let id, let group, let user):
            notice = Notice(text: "\(id) transferred to \(user.map { "agent \($0)" } ?? "group \(group ?? "?")")", isError: false)
        case .message(let message):
            var transcript = transcripts[message.sessionId] ?? []
            if !transcript.contains(where: { $0.messageId == message.messageId }) { transcript.append(message.message) }
            transcripts[message.sessionId] = transcript
        case .sessionCompleted(let id):
            notice = Notice(text: "Wrap-up of \(id) done", isError: false)
        case .callOuted(let placed):
            notice = Notice(text: "Calling \(placed.calleeUserId.map { "agent \($0)" } ?? "group \(placed.skillGroupId ?? "?")") (\(placed.sessionId))", isError: false)
        case .calloutAccepted(let id):
            notice = Notice(text: "\(id) was answered", isError: false)
        case .tokenExpired:
            notice = Notice(text: "The login token expired; start the workbench again with a new token", isError: true)
        case .statusChanged, .ready:
            break
        }
        return []
    }

    /// Merges a loaded page of history into a transcript.
    mutating func mergeTranscript(_ messages: [ChatMessage], for sessionId: String) {
        var merged = transcripts[sessionId] ?? []
        let known = Set(merged.map(\.messageId))
        merged.append(contentsOf: messages.filter { !known.contains($0.messageId) })
        merged.sort { ($0.sentAt, $0.messageId) < ($1.sentAt, $1.messageId) }
        transcripts[sessionId] = merged
    }

    // MARK: Keys

    /// Handles a key pressed at `now`; returns the SDK call it asks for, if any.
    mutating func handle(_ key: KeyPress, now: Date = Date()) -> Action? {
        if key == .interrupt {
            quitting = true
            return nil
        }
        if let prompt { return handle(key, prompting: prompt, now: now) }
        switch key {
        case .character("q"), .character("Q"):
            quitting = true
        case .character("o"):
            return .online
        case .character("x"):
            return .offline
        case .character("f"):
            return .setStatus(.free, restReason: nil)
        case .character("n"):
            return .setStatus(.notReady, restReason: nil)
        case .character("r"):
            prompt = .restReason(text: "")
        case .character("a"):
            guard let offer = selectedSession.flatMap({ $0.isRinging ? $0 : nil }) ?? ringing.first else {
                notice = Notice(text: "Nothing is ringing", isError: true)
                return nil
            }
            return .accept(sessionId: offer.id)
        case .character("e"):
            guard let session = selectedHeldSession() else { return nil }
            return .end(sessionId: session.id)
        case .character("t"):
            guard let session = selectedHeldSession() else { return nil }
            prompt = .transfer(sessionId: session.id, text: "")
        case .enter:
            guard let session = selectedHeldSession() else { return nil }
            guard session.type == .im else {
                notice = Notice(text: "\(session.id) is a \(session.type.rawValue) session; messages are for im", isError: true)
                return nil
            }
            prompt = .message(sessionId: session.id, text: "")
        case .tab, .down, .right:
            moveSelection(by: 1)
        case .backTab, .up, .left:
            moveSelection(by: -1)
        default:
            break
        }
        return nil
    }

    private mutating func handle(_ key: KeyPress, prompting current: Prompt, now: Date) -> Action? {
        switch key {
        case .escape:
            prompt = nil
        case .backspace:
            prompt = current.replacingText(with: String(current.text.dropLast()))
        case .character(let character):
            prompt = current.replacingText(with: current.text + String(character))
            // The customer sees "typing…"; telling them every three seconds is enough.
            if case .message(let id, _) = current, typingSentAt[id].map({ now.timeIntervalSince($0) >= 3 }) ?? true {
                typingSentAt[id] = now
                return .typing(sessionId: id)
            }
        case .enter:
            let text = current.text.trimmingCharacters(in: .whitespaces)
            switch current {
            case .message(let id, _):
                // Back to command keys after each message, so a stray letter is never sent.
                prompt = nil
                typingSentAt[id] = nil
                return text.isEmpty ? nil : .send(sessionId: id, text: text)
            case .restReason:
                prompt = nil
                return .setStatus(.rest, restReason: text.isEmpty ? nil : text)
            case .transfer(let id, _):
                prompt = nil
                guard !text.isEmpty else { return nil }
                // "@bob" is an agent; anything else names a skill group.
                if text.hasPrefix("@") { return .transfer(sessionId: id, skillGroupId: nil, userId: String(text.dropFirst())) }
                return .transfer(sessionId: id, skillGroupId: text, userId: nil)
            }
        default:
            break
        }
        return nil
    }

    private mutating func selectedHeldSession() -> LiveSession? {
        guard let session = selectedSession, !session.isRinging else {
            notice = Notice(text: "Select an accepted session first (Tab)", isError: true)
            return nil
        }
        return session
    }

    private mutating func moveSelection(by step: Int) {
        guard !sessions.isEmpty else { return }
        let current = sessions.firstIndex { $0.id == selectedSessionId } ?? 0
        selectedSessionId = sessions[(current + step + sessions.count) % sessions.count].id
    }
}
