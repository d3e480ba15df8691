import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Where a live session is now, read from the routing core in the same look as the others of a
/// page, so a list never shows a session both queued and accepted.
struct LiveSessionState: Sendable {
    var state: String
    var queuePosition: Int?
    var agentId: AgentID?
    var priority: Int

    init(_ session: Session, machine: RoutingStateMachine) {
        switch session.state {
        case .queued: state = "queued"
        case .ringing: state = "ringing"
        case .accepted: state = "accepted"
        }
        queuePosition = machine.queuePosition(of: session.id)
        agentId = session.state.agent
        priority = session.priority
    }

    /// The live state of each of `ids` that is still live.
    static func of(_ ids: [SessionID], server: ServerComponents) async -> [SessionID: LiveSessionState] {
        await server.routing.read { machine in
            var found: [SessionID: LiveSessionState] = [:]
            for id in ids { if let session = machine.sessions[id] { found[id] = LiveSessionState(session, machine: machine) } }
            return found
        }
    }
}

/// A session: its record (TCCC's record fields) and, while it is live, where it is now.
///
/// `state` is queued, ringing, accepted or ended; `agentId` is the agent it rings at or is held
/// by while live, else the last agent that held it; times are milliseconds since 1970.
struct SessionRepresentation: ResponseEncodable, Sendable {
    var id: String
    var type: String
    var skillGroupId: String
    var priority: Int
    var customer: CustomerDetails
    var state: String
    @Nullable var queuePosition: Int?
    @Nullable var agentId: String?
    /// When the contact arrived (a call in an IVR flow: when it was answered).
    var createdAt: Int64
    /// When it was first queued in a skill group (after the IVR flow); null if it never queued.
    @Nullable var queuedAt: Int64?
    @Nullable var firstRingAt: Int64?
    @Nullable var acceptedAt: Int64?
    @Nullable var endedAt: Int64?
    @Nullable var closeBy: String?
    @Nullable var mainReason: String?
    @Nullable var subReason: String?
    @Nullable var endStatus: String?
    @Nullable var durationSeconds: Int?
    @Nullable var direction: String?
    @Nullable var digits: String?
    @Nullable var hangUpSide: String?
    @Nullable var waitSeconds: Int?
    @Nullable var ringSeconds: Int?
    /// Seconds on hold (every agent's holds); with `talkSeconds` the rest of `durationSeconds`.
    @Nullable var holdSeconds: Int?
    @Nullable var talkSeconds: Int?
    /// A phone call's recording: null when the call was not recorded, else its status (`failed`
    /// says why) and, once ready, where its audio is.
    @Nullable var recording: RecordingRepresentation?
    /// The wrap-up the agent saved once the session was over: its disposition code, note, when and who.
    @Nullable var dispositionCode: String?
    @Nullable var wrapUpNote: String?
    @Nullable var wrappedUpAt: Int64?
    @Nullable var wrappedUpBy: String?

    init(_ record: SessionRecord, live: LiveSessionState?, recording: RecordingLibrary.Entry? = nil) {
        self.recording = recording.map(RecordingRepresentation.init)
        id = record.id.rawValue
        type = record.type.rawValue
        skillGroupId = record.skillGroupId.rawValue
        priority = live?.priority ?? record.priority
        customer = record.customer
        state = live?.state ?? (record.endedAt == nil ? "queued" : "ended")
        queuePosition = live?.queuePosition
        agentId = (live?.agentId ?? record.agentId)?.rawValue
        createdAt = record.createdAt.milliseconds
        queuedAt = record.queuedTime?.milliseconds
        firstRingAt = record.firstRingAt?.milliseconds
        acceptedAt = record.acceptedAt?.milliseconds
        endedAt = record.endedAt?.milliseconds
        closeBy = record.closeBy?.rawValue
        mainReason = record.mainReason
        subReason = record.subReason
        endStatus = record.endStatus
        direction = record.direction?.rawValue
        digits = record.digits
        dispositionCode = record.wrapUp?.dispositionCode
        wrapUpNote = record.wrapUp?.note
        wrappedUpAt = record.wrapUp?.at.milliseconds
        wrappedUpBy = record.wrapUp?.agentId.rawValue
        if let accepted = record.acceptedAt, let ended = record.endedAt {
            durationSeconds = Int((ended.milliseconds - accepted.milliseconds) / 1000)
        }
        holdSeconds = record.holdMilliseconds.map { Int(($0 + 500) / 1000) }
        if let duration = durationSeconds, let hold = holdSeconds { talkSeconds = max(0, duration - hold) }
        // Call-record fields as TCCC reports them, derived from the times above.
        hangUpSide = record.closeBy.map { closeBy in
            switch closeBy {
            case .seat: "seat"
            case .client: "user"
            case .admin, .timer: "system"
            }
        }
        func seconds(_ from: Timestamp?, _ to: Timestamp?) -> Int? {
            guard let from, let to else { return nil }
            return Int((to.milliseconds - from.milliseconds) / 1000)
        }
        if record.skillGroupId == RoutingStateMachine.noSkillGroup {
            // A call that ended in an IVR flow never queued: no wait, no ring (its record spans the flow).
        } else if record.direction != .outbound {
            // Waiting starts when it queued (after any IVR flow) and ends at the first ring (or
            // at the end, for one that never rang).
            waitSeconds = seconds(record.queuedTime ?? record.createdAt, record.firstRingAt ?? record.endedAt)
            ringSeconds = record.firstRingAt.flatMap { seconds($0, record.acceptedAt ?? record.endedAt) }
        } else {
            // An outbound call rings at the callee from the dial until the answer.
            ringSeconds = seconds(record.createdAt, record.acceptedAt ?? record.endedAt)
        }
    }
}

/// A session with its history, for `GET /api/v1/sessions/{id}`.
struct SessionDetailRepresentation: ResponseEncodable, Sendable {
    var session: SessionRepresentation
    var history: [HistoryRepresentation]

    private enum Key: String, CodingKey { case history }

    func encode(to encoder: any Encoder) throws {
        try session.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(history, forKey: .history)
    }
}

/// One line of a session's history; `detail` holds the entry's own fields (the offer's reason:
/// strategy, skill level, idle time, agents passed over; a transfer's target; end reasons).
struct HistoryRepresentation: Encodable, Sendable {
    var at: Int64
    var kind: String
    @Nullable var agentId: String?
    @Nullable var skillGroupId: String?
    var detail: JSONValue

    init(_ record: HistoryRecord) {
        at = record.at.milliseconds
        kind = record.kind
        agentId = record.agentId?.rawValue
        skillGroupId = record.skillGroupId?.rawValue
        detail = (try? JSONParser.parse(record.detail)) ?? .object([:])
    }
}

/// `POST /api/v1/sessions` answers with the new session's id.
struct CreatedSessionRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
}

/// A page of an im transcript, as `Chat.getMessages` returns it to an agent.
struct MessagePageRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
    var messages: [ChatMessage]
    var hasMore: Bool

    init(_ page: MessagePage) {
        sessionId = page.sessionId
        messages = page.messages
        hasMore = page.hasMore
    }
}

extension SessionRecord {
    /// When the session was first queued: kept since IVR flows made it differ from the arrival;
    /// for a record written before, the arrival, as it then was, unless it never queued (a call
    /// that ended in an IVR flow, an outbound call).
    var queuedTime: Timestamp? {
        if let queuedAt { return queuedAt }
        return skillGroupId == RoutingStateMachine.noSkillGroup || direction == .outbound ? nil : createdAt
    }
}
