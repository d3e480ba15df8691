import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/api/v1/canned-replies`: the replies agents insert with a `/shortcut`, shared by a skill
/// group's members (`skillGroupId`) or one agent's own (`agentId`, which agents also manage from
/// the workbench). The checks are `CannedReplyBook`'s, the same agents' saves get.
extension AdminRoutes {
    static func registerCannedReplies(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/canned-replies") { request, _ -> Page<CannedReplyRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["skillGroupId", "agentId"])
            let page = try query.page()
            var owners: [CannedReplyOwner]?
            if let group = try query.string("skillGroupId") { owners = (owners ?? []) + [.skillGroup(SkillGroupID(group))] }
            if let agent = try query.string("agentId") { owners = (owners ?? []) + [.agent(AgentID(agent))] }
            do { return page.slice(try await server.cannedReplies.replies(of: owners).map(CannedReplyRepresentation.init)) } catch let refusal as CannedReplyBook.Refusal {
                throw APIError(refusal)
            }
        }

        api.post("/canned-replies") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(CannedReplyBody.self, from: request)
            let owner: CannedReplyOwner
            switch (body.skillGroupId, body.agentId) {
            case (let group?, nil): owner = .skillGroup(SkillGroupID(group))
            case (nil, let agent?): owner = .agent(AgentID(agent))
            case (.some, .some):
                throw APIError.invalid("give 'skillGroupId' (a reply its members share) or 'agentId' (one agent's own), not both")
            case (nil, nil):
                throw APIError(.badRequest, code: "missingField", "field 'skillGroupId' or 'agentId' is required: whose reply it is")
            }
            do {
                let reply = try await server.cannedReplies.create(
                    try CannedReplyBook.draft(shortcut: body.shortcut, title: body.title, text: body.text), for: owner)
                return try created(CannedReplyRepresentation(reply), at: "/api/v1/canned-replies/\(reply.id)", request: request, context: context)
            } catch let refusal as CannedReplyBook.Refusal {
                throw APIError(refusal)
            }
        }

        api.get("/canned-replies/{id}") { request, context -> CannedReplyRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            do { return CannedReplyRepresentation(try await server.cannedReplies.reply(id: id)) } catch let refusal as CannedReplyBook.Refusal {
                throw APIError(refusal)
            }
        }

        api.put("/canned-replies/{id}") { request, context -> CannedReplyRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            let body = try await RequestInput.body(CannedReplyBody.self, from: request)
            do {
                let existing = try await server.cannedReplies.reply(id: id)
                // Whose it is cannot change: a shared reply becoming one agent's would vanish from
                // a whole team's lists. The owner may be repeated, as a GET shows it.
                if let group = body.skillGroupId, existing.owner != .skillGroup(SkillGroupID(group)) {
                    throw APIError.invalid("field 'skillGroupId' is '\(group)' but canned reply \(id) belongs to \(Self.describe(existing.owner)); whose a reply is cannot be changed (create a new one)")
                }
                if let agent = body.agentId, existing.owner != .agent(AgentID(agent)) {
                    throw APIError.invalid("field 'agentId' is '\(agent)' but canned reply \(id) belongs to \(Self.describe(existing.owner)); whose a reply is cannot be changed (create a new one)")
                }
                let draft = try CannedReplyBook.draft(shortcut: body.shortcut, title: body.title, text: body.text)
                return CannedReplyRepresentation(try await server.cannedReplies.update(id: id, with: draft))
            } catch let refusal as CannedReplyBook.Refusal {
                throw APIError(refusal)
            }
        }

        api.delete("/canned-replies/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            do { try await server.cannedReplies.delete(id: id) } catch let refusal as CannedReplyBook.Refusal { throw APIError(refusal) }
            return noContent
        }
    }

    static func describe(_ owner: CannedReplyOwner) -> String {
        switch owner {
        case .skillGroup(let group): "skill group \(group)"
        case .agent(let agent): "agent \(agent)"
        }
    }
}

extension APIError {
    /// A canned-reply refusal: unknown owners named in the body are 400 (the path named no
    /// owner), an unknown reply 404, a taken shortcut or a full list 409.
    init(_ refusal: CannedReplyBook.Refusal) {
        let status: HTTPResponse.Status = switch refusal.kind {
        case .invalid, .unknownOwner: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        }
        self.init(status, code: refusal.code, refusal.description)
    }
}

/// The body of `POST` and `PUT /api/v1/canned-replies`.
struct CannedReplyBody: JSONRequestBody {
    var skillGroupId: String?
    var agentId: String?
    var shortcut: String?
    var title: String?
    var text: String?
    static let fields = ["skillGroupId", "agentId", "shortcut", "title", "text"]
}

/// A canned reply as the API shows it.
struct CannedReplyRepresentation: ResponseEncodable, Sendable {
    var id: String
    /// `skillGroup` (shared by its members) or `agent` (one agent's own).
    var scope: String
    @Nullable var skillGroupId: String?
    @Nullable var agentId: String?
    /// Without the `/`, lower case.
    var shortcut: String
    var title: String
    var text: String
    var createdAt: Int64
    var updatedAt: Int64

    init(_ reply: CannedReply) {
        id = reply.id
        scope = reply.owner.scope
        switch reply.owner {
        case .skillGroup(let group): skillGroupId = group.rawValue
        case .agent(let agent): agentId = agent.rawValue
        }
        shortcut = reply.shortcut
        title = reply.title
        text = reply.text
        createdAt = reply.createdAt.milliseconds
        updatedAt = reply.updatedAt.milliseconds
    }
}
