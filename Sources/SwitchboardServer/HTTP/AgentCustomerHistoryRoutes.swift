import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// The earlier sessions of the customer an agent is serving, for the workbench's customer panel,
/// with the agent's login token as `Authorization: Bearer` (`AgentBearer`):
///
/// - `GET /api/v1/agent/sessions/{id}/customer-sessions?limit=&offset=`: the other sessions of
///   session `{id}`'s customer, newest first, whichever agent handled them;
/// - `GET /api/v1/agent/sessions/{id}/customer-sessions/{earlierId}/messages`: one of those
///   sessions' transcript (the paging of `/api/v1/sessions/{id}/messages`);
/// - `GET /api/v1/agent/sessions/{id}/customer-sessions/{earlierId}/attachments/{attachmentId}`:
///   a picture or file sent in it (served as every attachment is: never as a page).
///
/// The customer is who `usingLastSeat` knows them as (`ReturningCustomer`): the site's user id
/// or a phone call's customer number (not the page's clientData, which pages share). Session
/// `{id}` must be ringing at or held by the agent, or one it answered; only sessions of the
/// agent's own skill groups are shown, since the identity is the customer side's word. A
/// customer who gave nothing that identifies them has no earlier sessions. Recordings are left
/// out: an agent plays only the calls it answered.
enum AgentCustomerHistoryRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        let agent = router.group("/api/v1/agent")

        agent.get("/sessions/{id}/customer-sessions") { request, context -> Page<SessionRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names)
            let page = try query.page()
            let agent = try await AgentBearer.authenticate(request, server: server)
            let session = SessionID(try RequestInput.pathId("id", context))
            guard let customer = try await customer(of: session, servedBy: agent, server: server) else {
                return Page(items: [], total: 0, limit: page.limit, offset: page.offset, hasMore: false)
            }
            let groups = await agentGroups(agent, server: server)
            let storeQuery = SessionListQuery(limit: page.limit, offset: page.offset, customer: customer, excluding: session, skillGroupIds: groups)
            let (records, hasMore) = try await AdminRoutes.sessionRecords(storeQuery, server: server)
            let live = await LiveSessionState.of(records.map(\.id), server: server)
            let total = !hasMore && (!records.isEmpty || page.offset == 0) ? page.offset + records.count : nil
            let items = records.map { SessionRepresentation($0, live: live[$0.id]) }
            return Page(items: items, total: total, limit: page.limit, offset: page.offset, hasMore: hasMore)
        }

        agent.get("/sessions/{id}/customer-sessions/{earlierId}/messages") { request, context -> MessagePageRepresentation in
            let query = try QueryParameters(request, accepted: ["order", "limit", "before", "after"])
            let earlier = try await earlierSession(request, context, server: server)
            return try await AdminRoutes.transcriptPage(of: earlier, query: query, server: server)
        }

        agent.get("/sessions/{id}/customer-sessions/{earlierId}/attachments/{attachmentId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let earlier = try await earlierSession(request, context, server: server)
            let attachmentId = try RequestInput.pathId("attachmentId", context)
            return AttachmentTransfer.response(for: try await AttachmentTransfer.find(attachmentId, of: earlier, server: server))
        }
    }

    /// The `{earlierId}` of a request, once the agent with the request's token may read it: an
    /// earlier session of the customer of session `{id}`, which the agent serves.
    private static func earlierSession(_ request: Request, _ context: ServerRequestContext, server: ServerComponents) async throws -> SessionID {
        let agent = try await AgentBearer.authenticate(request, server: server)
        let session = SessionID(try RequestInput.pathId("id", context))
        let earlier = SessionID(try RequestInput.pathId("earlierId", context))
        let customer = try await customer(of: session, servedBy: agent, server: server)
        // Another customer's session, or none: the same answer, so ids cannot be probed.
        let earlierRecord = earlier == session ? nil : try await record(earlier, server: server)
        let groups = await agentGroups(agent, server: server)
        guard let customer, let earlierRecord, groups.contains(earlierRecord.skillGroupId),
              ReturningCustomer.of(type: earlierRecord.type, direction: earlierRecord.direction, customer: earlierRecord.customer) == customer
        else {
            throw APIError.notFound("unknownSession", "session \(earlier) is not an earlier session of session \(session)'s customer")
        }
        return earlier
    }

    /// The customer of `session`, when the agent may look them up: the session rings at or is
    /// held by it, or it answered the session once. Throws `unknownSession` otherwise (also for a
    /// session that does not exist).
    private static func customer(of session: SessionID, servedBy agent: AgentID, server: ServerComponents) async throws -> ReturningCustomer? {
        let refused = APIError.notFound("unknownSession", "session \(session) is not one that rings at you, you hold or you answered")
        guard let record = try await record(session, server: server) else { throw refused }
        if await !server.routing.read({ $0.sessions[session]?.state.agent == agent }) {
            let history: [HistoryRecord]
            do { history = try await server.store.history(of: session) } catch { throw APIError.storeFailed(error) }
            guard history.contains(where: { $0.kind == "accepted" && $0.agentId == agent }) else { throw refused }
        }
        // clientData is free text a page may share among many visitors (a campaign tag): it
        // routes a returning customer (usingLastSeat) but does not open anyone's transcripts.
        let identity = ReturningCustomer.of(type: record.type, direction: record.direction, customer: record.customer)
        if case .clientData = identity { return nil }
        return identity
    }

    /// The skill groups the agent is a member of: the customer's earlier sessions shown are those
    /// of these groups. The site's user id and a caller id are what the customer side says, not
    /// proven; within its own groups an agent may read such sessions anyway.
    private static func agentGroups(_ agent: AgentID, server: ServerComponents) async -> Set<SkillGroupID> {
        await server.routing.read { machine in machine.agents[agent].map { Set($0.profile.memberships.keys) } ?? [] }
    }

    private static func record(_ session: SessionID, server: ServerComponents) async throws(APIError) -> SessionRecord? {
        do { return try await server.store.session(session) } catch { throw APIError.storeFailed(error) }
    }
}
