import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Sending and fetching files in im sessions over HTTP (the sockets carry JSON frames only):
///
/// - the customer, with its session secret in `X-Session-Secret`, under `/api/v1/chat/sessions/{id}/attachments`;
/// - an agent, with its login token (the SDK's, renewed while connected) as `Authorization: Bearer`,
///   under `/api/v1/agent/sessions/{id}/attachments`: it may send while it holds the session and
///   fetch from sessions it holds, rings for, or once accepted (the transcript rule);
/// - supervisors and the admin key through the admin API (`AdminRoutes+Attachments`).
///
/// An upload is the raw file as the body; the answer comes once the file and its message are
/// stored, and the message reaches the customer and the agent like any other.
enum AttachmentRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        let policy = server.configuration.attachments
        let chat = router.group("/api/v1/chat")

        chat.get("/attachment-policy") { request, _ -> AttachmentPolicyRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return AttachmentPolicyRepresentation(
                maximumBytes: policy.maximumBytes, contentTypes: policy.contentTypes, imageTypes: ChatAttachment.imageTypes.sorted())
        }

        chat.post("/sessions/{id}/attachments") { request, context -> Response in
            let query = try QueryParameters(request, accepted: ["name", "clientMessageId"])
            let session = try await ChatRoutes.authorize(request, context, server: server)
            if await server.routing.read({ $0.sessions[session] == nil }) {
                throw APIError(.conflict, code: "sessionEnded", "session \(session) has ended; start a new chat")
            }
            let upload = try await AttachmentTransfer.receive(request, name: try query.string("name"), policy: policy)
            let clientMessageId = try query.string("clientMessageId")
            let stored: StoredMessage, duplicate: Bool
            do throws(ChatMessaging.Refusal) {
                (stored, duplicate) = try await server.messaging.sendAttachment(upload, from: .customer(clientMessageId: clientMessageId), in: session)
            } catch {
                throw AttachmentTransfer.apiError(error)
            }
            return try AttachmentTransfer.sent(
                stored, duplicate: duplicate, location: "/api/v1/chat/sessions/\(session)/attachments/\(stored.attachment?.id ?? "")",
                request: request, context: context)
        }

        chat.get("/sessions/{id}/attachments/{attachmentId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let session = try await ChatRoutes.authorize(request, context, server: server)
            return AttachmentTransfer.response(for: try await AttachmentTransfer.find(try RequestInput.pathId("attachmentId", context), of: session, server: server))
        }

        let agent = router.group("/api/v1/agent")

        agent.post("/sessions/{id}/attachments") { request, context -> Response in
            let query = try QueryParameters(request, accepted: ["name"])
            let agent = try await AgentBearer.authenticate(request, server: server)
            let session = SessionID(try RequestInput.pathId("id", context))
            // Refused before the body is read: an agent not holding the session sends nothing.
            do throws(ChatMessaging.Refusal) { try await server.messaging.checkAgentMayWrite(agent, in: session) } catch {
                throw AttachmentTransfer.apiError(error, conflict: true)
            }
            let upload = try await AttachmentTransfer.receive(request, name: try query.string("name"), policy: policy)
            let stored: StoredMessage, duplicate: Bool
            do throws(ChatMessaging.Refusal) {
                (stored, duplicate) = try await server.messaging.sendAttachment(upload, from: .agent(agent), in: session)
            } catch {
                throw AttachmentTransfer.apiError(error, conflict: true)
            }
            let name = await server.routing.read { $0.agents[agent]?.profile.name } ?? agent.rawValue
            return try AttachmentTransfer.sent(
                stored, duplicate: duplicate, authors: [agent: name],
                location: "/api/v1/agent/sessions/\(session)/attachments/\(stored.attachment?.id ?? "")", request: request, context: context)
        }

        agent.get("/sessions/{id}/attachments/{attachmentId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let agent = try await AgentBearer.authenticate(request, server: server)
            let session = SessionID(try RequestInput.pathId("id", context))
            do throws(ChatMessaging.Refusal) { try await server.messaging.checkAgentMayRead(agent, session) } catch {
                if error.retryable { throw APIError(.serviceUnavailable, code: "unavailable", error.description) }
                // Not the agent's session, or none at all: the same answer, so ids cannot be probed.
                throw APIError.notFound("attachmentNotFound", "session \(session) has no attachment you may read")
            }
            return AttachmentTransfer.response(for: try await AttachmentTransfer.find(try RequestInput.pathId("attachmentId", context), of: session, server: server))
        }
    }
}

/// An agent's login token as an HTTP credential: `Authorization: Bearer <token>`, the same
/// token the agent socket accepts (signature, expiry, revocation), except single-use tokens,
/// which are spent by the login they were issued for.
enum AgentBearer {
    static func authenticate(_ request: Request, server: ServerComponents) async throws -> AgentID {
        func refuse(_ message: String) -> APIError { APIError(.unauthorized, code: ProtocolError.Code.notAuthenticated.rawValue, message) }
        guard let header = request.headers[.authorization] else {
            throw refuse("send the agent's login token as 'Authorization: Bearer <token>'")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw refuse("send the agent's login token as 'Authorization: Bearer <token>'")
        }
        let verified: (agent: AgentID, expiresAt: Date, isSession: Bool, singleUseId: String?)
        do throws(AuthenticationFailure) { verified = try await server.authenticator.verify(token: String(parts[1])) } catch {
            throw refuse(error.description)
        }
        if verified.singleUseId != nil {
            throw refuse("a single-use token only logs in; use the session token the agent socket sends after login")
        }
        guard await server.routing.read({ $0.agents[verified.agent] != nil }) else {
            throw refuse("agent '\(verified.agent)' does not exist (it may have been removed)")
        }
        return verified.agent
    }
}
