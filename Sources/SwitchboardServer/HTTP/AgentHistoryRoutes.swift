import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// An agent's own history over HTTP, with its login token as `Authorization: Bearer` (as for
/// attachments, `AgentBearer`):
///
/// - `GET /api/v1/agent/sessions?q=&limit=&offset=`: the sessions it accepted, newest first,
///   searched by the customer's name, numbers, remark and user id and by the messages' text;
/// - `GET /api/v1/agent/sessions/{id}/recording`: a call's recording, for an agent who accepted
///   the call (the handling agent only: an agent it merely rang at may not listen).
///
/// Transcripts are read with the SDK's `Chat.getMessages`, which allows sessions the agent accepted.
enum AgentHistoryRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        let agent = router.group("/api/v1/agent")

        agent.get("/sessions") { request, _ -> Page<SessionRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["q"])
            let page = try query.page()
            let text = try query.sessionSearch()
            let agent = try await AgentBearer.authenticate(request, server: server)
            let storeQuery = SessionListQuery(
                limit: page.limit, offset: page.offset, acceptedBy: agent, containing: text)
            let (records, hasMore) = try await AdminRoutes.sessionRecords(storeQuery, server: server)
            let live = await LiveSessionState.of(records.map(\.id), server: server)
            let total = !hasMore && (!records.isEmpty || page.offset == 0) ? page.offset + records.count : nil
            let items = records.map { record in
                var item = SessionRepresentation(record, live: live[record.id], recording: AdminRoutes.recording(of: record, server: server))
                item.recording = item.recording?.forAgent()
                return item
            }
            return Page(items: items, total: total, limit: page.limit, offset: page.offset, hasMore: hasMore)
        }

        agent.get("/sessions/{id}/recording") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let agent = try await AgentBearer.authenticate(request, server: server)
            let session = SessionID(try RequestInput.pathId("id", context))
            let history: [HistoryRecord]
            do { history = try await server.store.history(of: session) } catch { throw APIError.storeFailed(error) }
            // Not accepted by this agent, or no such session: the same answer, so ids cannot be probed.
            guard history.contains(where: { $0.kind == "accepted" && $0.agentId == agent }) else {
                throw APIError.notFound("noRecording", "session \(session) has no recording you may play: only an agent who answered the call may")
            }
            return try RecordingAudio.response(of: session, request: request, context: context, server: server)
        }
    }
}
