import SwitchboardProtocol
import SwitchboardStore

/// Webhook subscriptions (`/api/v1/webhooks`), their delivery log and redeliveries: operations
/// and schemas. docs/webhooks.md describes the deliveries themselves.
extension OpenAPIDocument {
    static var webhookRoutes: [Operation] {
        let id = pathParameter("id", "The webhook's id (`wh_...`).")
        let deliveryId = pathParameter("deliveryId", "The delivery's id, as its log lists it.")
        let status = queryParameter("status", string(oneOf: .array(WebhookDeliveryStatus.allCases.map { .string($0.rawValue) })),
                                    "Only deliveries in this status.")
        return [
            Operation(method: "get", path: "/api/v1/webhooks", id: "listWebhooks", tag: "webhooks",
                      summary: "List webhook subscriptions, oldest first, without their secrets (role admin).", parameters: pageParameters,
                      responses: ["200": response("A page of webhooks.", "WebhookPage")].merging(errors(400, 401, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/webhooks", id: "createWebhook", tag: "webhooks",
                      summary: "Subscribe a URL to event kinds (role admin).",
                      description: "The answer is the only time the secret is shown (one is drawn unless `secret` is given); every delivery is signed with it (`Switchboard-Signature`, docs/webhooks.md). Events committed from now on are delivered; earlier ones are not. Without `--webhooks-allow-private-addresses` the URL must be public.",
                      body: requestBody("WebhookInput"),
                      responses: ["201": response("Created; keep the secret.", "Webhook")].merging(errors(400, 401, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/webhooks/{id}", id: "getWebhook", tag: "webhooks",
                      summary: "One webhook subscription, without its secret (role admin).", parameters: [id],
                      responses: ["200": response("The webhook.", "Webhook")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "patch", path: "/api/v1/webhooks/{id}", id: "updateWebhook", tag: "webhooks",
                      summary: "Change a webhook's URL, kinds, description or secret, or pause or resume it (role admin).",
                      description: "Only the fields given change. New kinds apply to events committed from now on; pending deliveries go to the new URL, signed with the new secret. `rotateSecret: true` draws a new secret and shows it in the answer, once. `paused: true` keeps queueing the webhook's events but sends none; `paused: false` sends what waited, in order.",
                      parameters: [id], body: requestBody("WebhookChange"),
                      responses: ["200": response("Changed.", "Webhook")].merging(errors(400, 401, 404, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/webhooks/{id}", id: "deleteWebhook", tag: "webhooks",
                      summary: "Delete a webhook and its delivery log; pending deliveries are dropped (role admin).", parameters: [id],
                      responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/webhooks/{id}/deliveries", id: "listWebhookDeliveries", tag: "webhooks",
                      summary: "The webhook's delivery log, newest first: status, attempts, last error, next attempt (role admin).",
                      parameters: [id, status] + pageParameters,
                      responses: ["200": response("A page of deliveries.", "WebhookDeliveryPage")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", id: "redeliverWebhook", tag: "webhooks",
                      summary: "Send a delivery again (role admin).",
                      description: "A pending delivery heading its session (or agent) is attempted now; one waiting behind it keeps its place. A delivered or failed one is copied into a new pending delivery with the same event id and body, queued after everything pending for its session or agent; the answer is that copy.",
                      parameters: [id, deliveryId],
                      responses: ["202": response("Queued.", "WebhookDelivery")].merging(errors(400, 401, 404, 503)) { $1 }),
        ]
    }

    static var webhookSchemas: [String: JSONValue] {
        let kinds: JSONValue = [
            "type": "array", "minItems": 1, "uniqueItems": true,
            "items": string(oneOf: .array(WebhookEventKind.allCases.map { .string($0.rawValue) })),
        ]
        let url: JSONValue = [
            "type": "string", "format": "uri", "pattern": "^https?://[^/@\\s#]+(/[^\\s#]*)?$", "maxLength": 2048,
            "description": "http or https, no credentials, at most 2048 characters; public unless the server allows private addresses.",
        ]
        let secret: JSONValue = [
            "type": "string", "minLength": 16, "maxLength": 256, "pattern": "^\\S+$",
            "description": "16–256 characters without spaces; drawn (`whsec_...`) when left out.",
        ]
        let paused: JSONValue = [
            "type": "boolean", "description": "Paused: events are still queued, in order, but none is sent until it is resumed.",
        ]
        return [
            "WebhookInput": input("A new subscription.", [
                ("url", url), ("kinds", kinds), ("secret", secret), ("description", string("At most 256 characters.", maxLength: 256)),
                ("paused", paused),
            ], required: ["url", "kinds"]),
            "WebhookChange": input("What changes; fields left out stay.", [
                ("url", url), ("kinds", kinds), ("secret", secret),
                ("rotateSecret", ["type": "boolean", "description": "Draw a new secret and show it in the answer (not with `secret`)."]),
                ("description", string("At most 256 characters.", maxLength: 256)), ("paused", paused),
            ]),
            "Webhook": representation("A webhook subscription.", [
                ("id", string()), ("url", string()), ("kinds", kinds), ("description", nullable("string")),
                ("createdAt", milliseconds), ("updatedAt", milliseconds), ("paused", paused),
                ("secret", nullable("string", "The signing secret, only in the answer that created or rotated it; null otherwise.")),
            ]),
            "WebhookPage": page(of: "Webhook"),
            "WebhookDelivery": representation("One event for one webhook, and how its delivery went.", [
                ("id", integer()), ("eventId", string("The body's `id`: the same in every attempt and redelivery.")),
                ("kind", string(oneOf: .array(WebhookEventKind.allCases.map { .string($0.rawValue) }))),
                ("orderingKey", string("`session:<id>` or `agent:<id>`: a key's deliveries are sent one at a time, in order.")),
                ("status", string(oneOf: .array(WebhookDeliveryStatus.allCases.map { .string($0.rawValue) }))),
                ("attempts", integer(minimum: 0)), ("occurredAt", milliseconds), ("createdAt", milliseconds),
                ("nextAttemptAt", nullableMilliseconds), ("lastAttemptAt", nullableMilliseconds),
                ("lastError", nullable("string", "Why the last attempt failed.")),
                ("lastStatusCode", nullable("integer", "The receiver's HTTP status in the last attempt.")),
                ("finishedAt", nullableMilliseconds), ("redeliveryOf", nullable("integer", "The delivery this one sends again.")),
                ("data", ["type": "object", "description": "The body's `data` (docs/webhooks.md)."]),
            ]),
            "WebhookDeliveryPage": page(of: "WebhookDelivery"),
        ]
    }
}
