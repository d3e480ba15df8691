import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// `/api/v1/webhooks`: subscriptions to routing events (docs/webhooks.md), their delivery log and
/// the redeliver action. A subscription's secret is shown once, in the answer that created it
/// (or rotated it), as API keys' are; lists and reads never show it.
extension AdminRoutes {
    static func registerWebhooks(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        let policy = WebhookURLPolicy(allowPrivateAddresses: server.configuration.webhooks.allowPrivateAddresses)

        api.get("/webhooks") { request, _ -> Page<WebhookRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            do { return page.slice(try await server.webhooks.list().map { WebhookRepresentation($0) }) } catch {
                throw APIError.storeFailed(error)
            }
        }

        api.post("/webhooks") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(WebhookBody.self, from: request)
            guard let url = body.url else { throw APIError(.badRequest, code: "invalidBody", "field 'url' is required: where to POST the events") }
            guard let kinds = body.kinds else {
                throw APIError(.badRequest, code: "invalidBody", "field 'kinds' is required: one or more of \(WebhookEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if body.rotateSecret != nil { throw APIError.invalid("field 'rotateSecret' is for changing a webhook; a new one gets a secret anyway") }
            let checked = try body.checked(url: url, kinds: kinds, policy: policy)
            let issued: WebhookSubscriptions.Issued
            do {
                issued = try await server.webhooks.create(
                    url: checked.url!, kinds: checked.kinds!, secret: body.secret, description: body.description, paused: body.paused ?? false)
            } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not save the webhook (\(error)); nothing was created, try again")
            }
            // The host only: a receiver's URL may carry a token in its path or query.
            server.logger.notice("webhook created", metadata: [
                "webhook": "\(issued.stored.id)", "host": "\(URLComponents(string: issued.stored.url)?.host ?? "?")",
            ])
            var response = try created(
                WebhookRepresentation(issued.stored, secret: issued.secret), at: "/api/v1/webhooks/\(issued.stored.id)", request: request,
                context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }

        api.get("/webhooks/{id}") { request, context -> WebhookRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return WebhookRepresentation(try await webhook(try RequestInput.pathId("id", context), server: server))
        }

        api.patch("/webhooks/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            let body = try await RequestInput.body(WebhookBody.self, from: request)
            let checked = try body.checked(url: body.url, kinds: body.kinds, policy: policy)
            if body.secret != nil && body.rotateSecret == true {
                throw APIError.invalid("give either field 'secret' (your own) or 'rotateSecret' (a new one drawn for you), not both")
            }
            let updated: WebhookSubscriptions.Issued?
            do {
                updated = try await server.webhooks.update(
                    id, url: checked.url, kinds: checked.kinds, secret: body.secret, rotate: body.rotateSecret == true,
                    description: body.description.map { Optional($0) }, paused: body.paused)
            } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not save the webhook (\(error)); nothing changed, try again")
            }
            guard let updated else { throw unknownWebhook(id) }
            // Resumed: what waited goes out now, not at the worker's next look.
            if body.paused == false { server.webhookDelivery.nudge() }
            var response = try WebhookRepresentation(updated.stored, secret: updated.secret).response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }

        api.delete("/webhooks/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            let deleted: Bool
            do { deleted = try await server.webhooks.delete(id) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not delete the webhook (\(error)); it is still there, try again")
            }
            guard deleted else { throw unknownWebhook(id) }
            server.logger.notice("webhook deleted", metadata: ["webhook": "\(id)"])
            return noContent
        }

        api.get("/webhooks/{id}/deliveries") { request, context -> Page<WebhookDeliveryRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["status"])
            let page = try query.page()
            let status = try query.choice("status", WebhookDeliveryStatus.allCases.map(\.rawValue)).flatMap(WebhookDeliveryStatus.init)
            let id = try RequestInput.pathId("id", context)
            _ = try await webhook(id, server: server)
            // One more than asked says whether there is a next page without counting them all.
            let found: [WebhookDelivery]
            do {
                found = try await server.store.webhookDeliveries(
                    of: id, status: status, limit: min(page.limit + 1, PageRequest.maximumLimit), offset: page.offset)
            } catch {
                throw APIError.storeFailed(error)
            }
            let items = found.prefix(page.limit).map(WebhookDeliveryRepresentation.init)
            let hasMore = found.count > page.limit
            return Page(items: Array(items), total: hasMore ? nil : page.offset + items.count, limit: page.limit, offset: page.offset, hasMore: hasMore)
        }

        api.post("/webhooks/{id}/deliveries/{deliveryId}/redeliver") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            let deliveryText = try RequestInput.pathId("deliveryId", context)
            _ = try await webhook(id, server: server)
            guard let deliveryId = Int64(deliveryText), deliveryId > 0 else {
                throw APIError.notFound("unknownDelivery", "webhook \(id) has no delivery '\(deliveryText)'; delivery ids are the numbers its log lists")
            }
            let queued: WebhookDelivery?
            do { queued = try await server.store.redeliverWebhook(deliveryId, of: id, at: Timestamp.now()) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not queue the redelivery (\(error)); nothing changed, try again")
            }
            guard let queued else { throw APIError.notFound("unknownDelivery", "webhook \(id) has no delivery \(deliveryId)") }
            server.webhookDelivery.nudge()
            var response = try WebhookDeliveryRepresentation(queued).response(from: request, context: context)
            response.status = .accepted
            return response
        }
    }

    private static func webhook(_ id: String, server: ServerComponents) async throws -> StoredWebhook {
        let found: StoredWebhook?
        do { found = try await server.webhooks.find(id) } catch { throw APIError.storeFailed(error) }
        guard let found else { throw unknownWebhook(id) }
        return found
    }

    private static func unknownWebhook(_ id: String) -> APIError {
        APIError.notFound("unknownWebhook", "webhook \(id) does not exist (or was deleted); GET /api/v1/webhooks lists them")
    }
}

/// The body of `POST /api/v1/webhooks` (url and kinds required) and `PATCH /api/v1/webhooks/{id}`
/// (only what changes).
struct WebhookBody: JSONRequestBody {
    var url: String?
    var kinds: [String]?
    var secret: String?
    var rotateSecret: Bool?
    var description: String?
    /// Pausing keeps queueing the events and sends none; resuming (false) sends them, in order.
    var paused: Bool?

    static let fields = ["url", "kinds", "secret", "rotateSecret", "description", "paused"]

    /// The URL and kinds given, checked; a change that gives neither keeps both.
    func checked(url: String?, kinds: [String]?, policy: WebhookURLPolicy) throws(APIError) -> (url: String?, kinds: [WebhookEventKind]?) {
        if let url, let problem = policy.problem(with: url) { throw APIError.invalid("field 'url' cannot be delivered to: \(problem)") }
        var parsed: [WebhookEventKind]?
        if let kinds {
            let allowed = WebhookEventKind.allCases.map(\.rawValue).joined(separator: ", ")
            if kinds.isEmpty { throw APIError.invalid("field 'kinds' must name at least one of \(allowed)") }
            parsed = []
            for kind in kinds {
                guard let known = WebhookEventKind(rawValue: kind) else {
                    throw APIError.invalid("field 'kinds' holds '\(kind)', which is not an event kind; the kinds are \(allowed)")
                }
                if parsed!.contains(known) { throw APIError.invalid("field 'kinds' names '\(kind)' twice") }
                parsed!.append(known)
            }
        }
        if let secret, !(16...256).contains(secret.count) || secret.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw APIError.invalid("field 'secret' must be 16 to 256 characters without spaces (or leave it out to have one drawn)")
        }
        try RequestInput.checkName(description, field: "description")
        return (url, parsed)
    }
}

/// A subscription as the API shows it; `secret` only in the answer that set it.
struct WebhookRepresentation: ResponseEncodable, Sendable {
    var id: String
    var url: String
    var kinds: [String]
    @Nullable var description: String?
    var createdAt: Int64
    var updatedAt: Int64
    var paused: Bool
    /// Shown this once, in the answer that created or rotated it; null otherwise.
    @Nullable var secret: String?

    init(_ webhook: StoredWebhook, secret: String? = nil) {
        id = webhook.id
        url = webhook.url
        kinds = webhook.kinds.map(\.rawValue)
        description = webhook.description
        createdAt = webhook.createdAt.milliseconds
        updatedAt = webhook.updatedAt.milliseconds
        paused = webhook.paused
        self.secret = secret
    }
}

/// One delivery as the log shows it, with the event's `data`.
struct WebhookDeliveryRepresentation: ResponseEncodable, Sendable {
    var id: Int64
    var eventId: String
    var kind: String
    var orderingKey: String
    var status: String
    var attempts: Int
    var occurredAt: Int64
    var createdAt: Int64
    @Nullable var nextAttemptAt: Int64?
    @Nullable var lastAttemptAt: Int64?
    @Nullable var lastError: String?
    @Nullable var lastStatusCode: Int?
    @Nullable var finishedAt: Int64?
    @Nullable var redeliveryOf: Int64?
    var data: JSONValue

    init(_ delivery: WebhookDelivery) {
        id = delivery.id
        eventId = delivery.eventId
        kind = delivery.kind.rawValue
        orderingKey = delivery.orderingKey
        status = delivery.status.rawValue
        attempts = delivery.attempts
        occurredAt = delivery.occurredAt.milliseconds
        createdAt = delivery.createdAt.milliseconds
        nextAttemptAt = delivery.nextAttemptAt?.milliseconds
        lastAttemptAt = delivery.lastAttemptAt?.milliseconds
        lastError = delivery.lastError
        lastStatusCode = delivery.lastStatusCode
        finishedAt = delivery.finishedAt?.milliseconds
        redeliveryOf = delivery.redeliveryOf
        data = (try? JSONParser.parse(delivery.data)) ?? .string(delivery.data)
    }
}
