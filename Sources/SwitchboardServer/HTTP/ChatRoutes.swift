import HTTPTypes
import Hummingbird
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// The customer chat REST fallback under `/api/v1/chat`, for networks that block WebSockets:
/// start, poll, send and leave, carrying the objects of the customer socket (docs/protocol.md §3).
///
/// There is no admin key here: the customer is anonymous and the session's secret (from the
/// start answer, sent back in `X-Session-Secret`) is its only credential. A wrong id and a wrong
/// secret get the same 404, so session ids cannot be probed.
enum ChatRoutes {
    static var secretHeader: HTTPField.Name { HTTPField.Name("X-Session-Secret")! }

    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        let chat = router.group("/api/v1/chat")

        chat.post("/sessions") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(ChatStartBody.self, from: request)
            switch await CustomerChannel(server: server).start(body.start, from: context.clientAddress) {
            case .success(let id):
                let started = ChatStartedRepresentation(sessionId: id.rawValue, secret: server.authenticator.customerSecret(for: id))
                var response = try AdminRoutes.created(started, at: "/api/v1/chat/sessions/\(id)", request: request, context: context)
                response.headers[.cacheControl] = "no-store"
                return response
            case .failure(let error) where error.code == .internalError:
                throw APIError(.serviceUnavailable, code: error.code.rawValue, error.message)
            case .failure(let error) where error.code == .rateLimited:
                throw APIError(.tooManyRequests, code: error.code.rawValue, error.message, retryAfter: error.retryAfter)
            case .failure(let error) where error.code == .queueFull || error.code == .serverBusy:
                throw APIError(.serviceUnavailable, code: error.code.rawValue, error.message, retryAfter: error.retryAfter)
            case .failure(let error) where error.code == .noSeatOnline || error.code == .notWorkTime:
                // The group's own state, not an overloaded server: retrying soon will not help.
                throw APIError(.conflict, code: error.code.rawValue, error.message)
            case .failure(let error):
                throw APIError(.badRequest, code: error.code.rawValue, error.message)
            }
        }

        chat.get("/sessions/{id}") { request, context -> ChatSessionRepresentation in
            let query = try QueryParameters(request, accepted: ["after", "limit"])
            let id = try await authorize(request, context, server: server)
            let state = try await ChatStateRepresentation.of(id, server: server)
            let page = try await AdminRoutes.transcriptPage(of: id, query: query, server: server)
            return ChatSessionRepresentation(state: state, page: page)
        }

        chat.post("/sessions/{id}/messages") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try await authorize(request, context, server: server)
            let body = try await RequestInput.body(ChatMessageBody.self, from: request)
            if body.clientMessageId?.isEmpty == true { throw APIError.invalid("field 'clientMessageId' must not be empty") }
            if await server.routing.read({ $0.sessions[id] == nil }) {
                throw APIError(.conflict, code: "sessionEnded", "session \(id) has ended; start a new chat")
            }
            let stored: StoredMessage, duplicate: Bool
            do throws(ChatMessaging.Refusal) {
                (stored, duplicate) = try await server.messaging.sendFromCustomer(session: id, text: body.text, clientMessageId: body.clientMessageId)
            } catch {
                if let retryAfter = error.retryAfter {
                    throw APIError(.tooManyRequests, code: ProtocolError.Code.rateLimited.rawValue, error.description, retryAfter: retryAfter)
                }
                throw error.retryable ? APIError(.serviceUnavailable, code: "unavailable", error.description) : APIError.invalid(error.description)
            }
            // A retry of a stored message answers 200 with the first answer's ids: nothing new was created.
            var response = try ChatSentRepresentation(messageId: ChatMessaging.wireId(stored.id), clientMessageId: body.clientMessageId)
                .response(from: request, context: context)
            response.status = duplicate ? .ok : .created
            return response
        }

        chat.post("/sessions/{id}/leave") { request, context -> ChatStateRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = try await authorize(request, context, server: server)
            // Leaving twice is not an error: a retry after a lost answer must not look like a failure.
            do throws(RoutingService.Failure) { try await server.routing.execute(.customerLeft(id)) } catch {
                if case .unavailable = error { throw APIError(error) }
            }
            return try await ChatStateRepresentation.of(id, server: server)
        }
    }

    /// The session named by the path, if the secret is its secret and the session exists.
    static func authorize(_ request: Request, _ context: ServerRequestContext, server: ServerComponents) async throws -> SessionID {
        let id = SessionID(try RequestInput.pathId("id", context))
        let notFound = APIError(.notFound, code: ProtocolError.Code.sessionNotFound.rawValue, "no session matches that id and secret")
        guard let secret = request.headers[secretHeader] else { throw notFound }
        let authorized: Bool
        do { authorized = try await CustomerChannel(server: server).isAuthorized(id, secret: secret) } catch {
            throw APIError.storeFailed(error)
        }
        guard authorized else { throw notFound }
        return id
    }
}

/// `start`'s fields, decoded (and checked: skillGroupId and nickname not empty) by `ChatStart`.
struct ChatStartBody: JSONRequestBody {
    var start: ChatStart
    static let fields = ["skillGroupId", "nickname", "avatar", "remark", "peerSource", "channelName", "clientData", "userId"]

    init(from decoder: any Decoder) throws { start = try ChatStart(from: decoder) }
}

/// The `message` frame's fields.
struct ChatMessageBody: JSONRequestBody {
    var text: String
    var clientMessageId: String?
    static let fields = ["text", "clientMessageId"]
}
