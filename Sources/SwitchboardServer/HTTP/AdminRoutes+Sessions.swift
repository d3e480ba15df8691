import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/api/v1/sessions`: records with live state, history and transcripts; creating sessions for
/// channels that have no socket of their own (phone, voip, video, internal; load tests); ending them.
extension AdminRoutes {
    static func registerSessions(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/sessions/{id}/media") { request, context -> PhoneMediaRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let session = SessionID(try RequestInput.pathId("id", context))
            guard let phone = server.phone else {
                throw APIError.notFound("notAPhoneCall", "phone calls are not set up on this server; only they have media counters")
            }
            let counters: [PhoneLegCounters]?
            do { counters = try await phone.mediaCounters(of: session) } catch {
                throw APIError(.serviceUnavailable, code: "mediaRelayUnavailable", "the media relay did not answer: \(error)")
            }
            guard let counters else { throw APIError.notFound("notAPhoneCall", "session \(session) is not a live phone call") }
            return PhoneMediaRepresentation(sessionId: session.rawValue, legs: counters.map(PhoneMediaRepresentation.Leg.init))
        }

        api.get("/sessions") { request, _ -> Page<SessionRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["live", "agentId", "skillGroupId", "from", "to", "type", "q"])
            let page = try query.page()
            let (from, to, types) = try sessionFilters(query)
            let text = try query.sessionSearch()
            let storeQuery = SessionListQuery(
                liveOnly: try query.bool("live") ?? false, agentId: try query.string("agentId").map(AgentID.init),
                skillGroupId: try query.string("skillGroupId").map(SkillGroupID.init), createdFrom: from, createdBefore: to, types: types,
                limit: page.limit, offset: page.offset, containing: text)
            let (records, hasMore) = try await sessionRecords(storeQuery, server: server)
            let live = await LiveSessionState.of(records.map(\.id), server: server)
            // The total is known only when this page reaches the end of the list (and is not past it).
            let total = !hasMore && (!records.isEmpty || page.offset == 0) ? page.offset + records.count : nil
            return Page(items: records.map { SessionRepresentation($0, live: live[$0.id], recording: recording(of: $0, server: server)) }, total: total,
                        limit: page.limit, offset: page.offset, hasMore: hasMore)
        }

        api.post("/sessions") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(NewSessionBody.self, from: request)
            let type = try RequestInput.enumValue(SessionType.self, body.type, field: "type")
            let group = SkillGroupID(body.skillGroupId)
            if await server.routing.read({ $0.skillGroups[group] == nil }) {
                throw APIError(.badRequest, code: "unknownSkillGroup", "field 'skillGroupId': skill group \(group) does not exist")
            }
            // A NUL would be kept in the record, where PostgreSQL's JSON cannot read it (searches fail).
            if let customer = body.customer, let text = try? JSONEncoder().encode(customer), String(decoding: text, as: UTF8.self).contains("\\u0000") {
                throw APIError.invalid("field 'customer' contains a NUL character")
            }
            let newSession = NewSession(type: type, skillGroupId: group, priority: body.priority ?? 0, customer: body.customer ?? .init())
            let id: SessionID
            switch try await execute(.createSession(newSession), on: server) {
            case .sessionCreated(let created): id = created
            case .sessionTurnedAway(_, let endStatus, let reason):
                // A full queue is a passing overload; nobody online or outside working hours is
                // the group's state (a conflict, as an offline agent is).
                throw APIError(endStatus == "queueFull" ? .serviceUnavailable : .conflict, code: endStatus, reason)
            case .done, .sessionRecorded: throw APIError(.internalServerError, code: "internalError", "the session was not created; try again")
            }
            return try created(CreatedSessionRepresentation(sessionId: id.rawValue), at: "/api/v1/sessions/\(id)",
                               request: request, context: context)
        }

        api.get("/sessions/{id}") { request, context -> SessionDetailRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = SessionID(try RequestInput.pathId("id", context))
            let session = try await sessionRepresentation(id, server: server)
            let history: [HistoryRecord]
            do { history = try await server.store.history(of: id) } catch { throw APIError.storeFailed(error) }
            return SessionDetailRepresentation(session: session, history: history.map(HistoryRepresentation.init))
        }

        api.get("/sessions/{id}/messages") { request, context -> MessagePageRepresentation in
            let query = try QueryParameters(request, accepted: ["order", "limit", "before", "after"])
            let id = SessionID(try RequestInput.pathId("id", context))
            _ = try await sessionRepresentation(id, server: server)
            return try await transcriptPage(of: id, query: query, server: server)
        }

        api.post("/sessions/{id}/end") { request, context -> SessionRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = SessionID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(EndSessionBody.self, from: request)
            try refuseIfEnded(try await sessionRepresentation(id, server: server))
            do {
                try await execute(.adminEnd(id, mainReason: body.mainReason, subReason: body.subReason), on: server)
            } catch {
                // Ended by someone else between the look and the command (an agent's Chat.end at
                // the same moment): the same answer as when it had ended before the look.
                try refuseIfEnded(try await sessionRepresentation(id, server: server))
                throw error
            }
            return try await sessionRepresentation(id, server: server)
        }
    }

    /// `POST /api/v1/sessions/{id}/assign`: a waiting session rings at the agent chosen now.
    static func registerAssign(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.post("/sessions/{id}/assign") { request, context -> SessionRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = SessionID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(AssignSessionBody.self, from: request)
            guard !body.agentId.isEmpty, body.agentId.count <= 256 else {
                throw APIError.invalid("agentId must be an agent's id: 1 to 256 characters")
            }
            try refuseIfEnded(try await sessionRepresentation(id, server: server))
            do {
                try await execute(.adminAssign(id, agent: AgentID(body.agentId)), on: server)
            } catch {
                // Ended between the look and the command: the same answer as before the look.
                try refuseIfEnded(try await sessionRepresentation(id, server: server))
                throw error
            }
            return try await sessionRepresentation(id, server: server)
        }
    }

    private static func refuseIfEnded(_ session: SessionRepresentation) throws(APIError) {
        guard session.state == "ended" else { return }
        throw APIError(.conflict, code: "sessionEnded", "session \(session.id) has already ended (closeBy \(session.closeBy ?? "unknown"))")
    }

    /// A page of records newest first, and whether more follow. The store takes at most 500 a
    /// time, so a full 500-record page asks for one more record separately.
    static func sessionRecords(_ query: SessionListQuery, server: ServerComponents) async throws(APIError) -> ([SessionRecord], Bool) {
        do {
            var ask = query
            ask.limit = min(query.limit + 1, PageRequest.maximumLimit)
            var records = try await server.store.sessions(ask)
            var hasMore = records.count > query.limit
            if query.limit == PageRequest.maximumLimit && records.count == query.limit {
                var probe = query
                (probe.limit, probe.offset) = (1, query.offset + query.limit)
                hasMore = try await !server.store.sessions(probe).isEmpty
            }
            records = Array(records.prefix(query.limit))
            return (records, hasMore)
        } catch {
            throw APIError.storeFailed(error)
        }
    }

    /// The session's record with its live state, or 404. A live session always has a record:
    /// the store writes it in the same commit that created the session.
    static func sessionRepresentation(_ id: SessionID, server: ServerComponents) async throws(APIError) -> SessionRepresentation {
        let record: SessionRecord?
        do { record = try await server.store.session(id) } catch { throw APIError.storeFailed(error) }
        guard let record else { throw APIError.notFound("unknownSession", "session \(id) does not exist") }
        return SessionRepresentation(record, live: await LiveSessionState.of([id], server: server)[id], recording: recording(of: record, server: server))
    }

    /// The recording of a phone session, if one was made or attempted (only phone calls are recorded).
    static func recording(of record: SessionRecord, server: ServerComponents) -> RecordingLibrary.Entry? {
        record.type == .phone ? server.recordings.entry(of: record.id) : nil
    }
}

/// The body of `POST /api/v1/sessions`: what a phone system, web call or load test reports.
struct NewSessionBody: JSONRequestBody {
    var type: String
    var skillGroupId: String
    var priority: Int?
    var customer: CustomerDetails?

    static let fields = ["type", "skillGroupId", "priority", "customer"]
    static let nestedFields = [
        "customer": [
            "nickname", "avatar", "remark", "peerSource", "channelName", "clientData", "userId", "callee", "calleeRemark",
            "calleePhoneNumber", "callerPhoneNumber", "callerLocation", "ivrPath", "serverType", "peerUserId",
        ],
    ]
}

/// The body of `POST /api/v1/sessions/{id}/end`; both reasons are optional, and so is the body.
/// `POST /api/v1/sessions/{id}/assign`.
struct AssignSessionBody: JSONRequestBody {
    var agentId: String

    static let fields = ["agentId"]
}

struct EndSessionBody: JSONRequestBody {
    var mainReason: String?
    var subReason: String?

    static let fields = ["mainReason", "subReason"]
    static let emptyMeansEmptyObject = true
}

/// `GET /api/v1/sessions/{id}/media`: rtpengine's counters for a live phone call.
struct PhoneMediaRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
    var legs: [Leg]

    struct Leg: Encodable, Sendable {
        var leg: String
        @Nullable var codec: String?
        @Nullable var transport: String?
        var packetsReceived: Int64
        var bytesReceived: Int64

        init(_ counters: PhoneLegCounters) {
            leg = counters.leg
            codec = counters.codec
            transport = counters.transport
            packetsReceived = counters.packetsReceived
            bytesReceived = counters.bytesReceived
        }
    }
}
