import Foundation
import Hummingbird
import SwitchboardProtocol

/// The OpenAPI 3.1 description of every HTTP route, served at `GET /openapi.json` (no key needed:
/// it describes the API, it holds no data).
///
/// Written by hand next to the routes rather than generated, so it can say what each error
/// means; `OpenAPITests` fails when a route is added without it or a representation drifts from
/// its schema. Operations are in `OpenAPIDocument+Paths.swift`, schemas in `+Schemas.swift`.
enum OpenAPIDocument {
    static func register(on router: Router<ServerRequestContext>) {
        router.get("/openapi.json") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// The document as served, built once.
    static let text: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }()

    static var document: JSONValue {
        var paths: [String: JSONValue] = [:]
        for operation in operations {
            var item: [String: JSONValue] = [:]
            if case .object(let members)? = paths[operation.path] { item = members }
            item[operation.method] = operation.json
            paths[operation.path] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Switchboard API",
                "version": "1.0.0",
                "description": """
                    The admin REST API (`/api/v1`, needs the admin API key, or a supervisor signed in with \
                    `POST /api/v1/auth/session` whose role allows the route), the customer chat REST fallback \
                    (`/api/v1/chat`, needs the session secret) and the operations endpoints of a Switchboard \
                    server. The agent SDK and chat widget WebSockets are described in docs/protocol.md; \
                    docs/admin-api.md explains the admin API with examples.
                    """,
            ],
            "servers": [["url": "/"]],
            "security": [["bearerAuth": []], ["apiKeyHeader": []], ["supervisorSession": []]],
            "tags": .array(tags.map { ["name": .string($0.0), "description": .string($0.1)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "parameters": [
                    "limit": queryParameter("limit", integer(minimum: 1, maximum: 500, default: 50), "At most this many items."),
                    "offset": queryParameter("offset", integer(minimum: 0, default: 0), "Skip this many items."),
                ],
                "responses": .object(errorResponses),
                "securitySchemes": [
                    "bearerAuth": ["type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <admin API key>`"],
                    "apiKeyHeader": ["type": "apiKey", "in": "header", "name": "X-API-Key", "description": "`X-API-Key: <admin API key>`"],
                    "supervisorSession": [
                        "type": "apiKey", "in": "cookie", "name": .string(SupervisorSessions.cookieName),
                        "description": """
                            A supervisor's sign-in cookie (`POST /api/v1/auth/session`). With it, every POST, PUT, PATCH and \
                            DELETE also needs the session's CSRF token in `X-CSRF-Token`, and the account's role must allow \
                            the route: `admin` may use every route; `supervisor` the live views, reads, ending sessions and \
                            agents' statuses and logouts, and no configuration or credentials (403 `forbiddenForRole`).
                            """,
                    ],
                    "metricsToken": ["type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <metrics token>`, when the server has `--metrics-token`."],
                    "tc3Signature": [
                        "type": "apiKey", "in": "header", "name": "Authorization",
                        "description": "`Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<date>/ccc/tc3_request, SignedHeaders=content-type;host, Signature=<hex>` with `X-TC-Timestamp`, signed with a key pair from `POST /api/v1/api-keys` (Tencent Cloud API 3.0).",
                    ],
                    "agentToken": [
                        "type": "http", "scheme": "bearer",
                        "description": "`Authorization: Bearer <agent login token>`: the token the agent SDK logs in with, or the session token the agent socket sends after login (renewed while connected). Single-use tokens only log in.",
                    ],
                    "sessionSecret": [
                        "type": "apiKey", "in": "header", "name": "X-Session-Secret",
                        "description": "The `secret` from starting a chat; it opens that one session only.",
                    ],
                ],
            ],
        ]
    }

    static let tags: [(String, String)] = [
        ("skill groups", "Queues and their routing settings."),
        ("agents", "Agents, memberships, credentials and statuses."),
        ("sessions", "Session records, live state, history and transcripts."),
        ("live", "Supervisor views and tenant-wide settings."),
        ("canned replies", "Replies agents insert with a `/shortcut`: shared by a skill group or an agent's own."),
        ("reports", "Historical reports and the live floor (docs/reports.md)."),
        ("ivr flows", "Phone menus: flows a phone number's calls go through before they queue."),
        ("chat", "The customer chat REST fallback, for networks without WebSockets."),
        ("supervisors", "Supervisor accounts and their sign-in to the supervisor page."),
        ("webhooks", "Subscriptions that POST routing events to your systems, signed, with their delivery log (docs/webhooks.md)."),
        ("tccc api", "TCCC's server API (`POST /`, signed with TC3-HMAC-SHA256) and the key pairs that sign it."),
        ("operations", "Health, readiness, metrics, this document and the WebSocket upgrades."),
    ]

    // MARK: Building blocks

    /// One operation: a method on a path.
    struct Operation {
        var method: String
        var path: String
        var id: String
        var tag: String
        var summary: String
        var description: String?
        var security: JSONValue?
        var parameters: [JSONValue] = []
        var body: JSONValue?
        var responses: [String: JSONValue]

        var json: JSONValue {
            var members: [String: JSONValue] = [
                "operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary), "responses": .object(responses),
            ]
            if let description { members["description"] = .string(description) }
            if let security { members["security"] = security }
            if !parameters.isEmpty { members["parameters"] = .array(parameters) }
            if let body { members["requestBody"] = body }
            return .object(members)
        }
    }

    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }

    static func jsonContent(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }

    static func response(_ description: String, _ schema: String? = nil) -> JSONValue {
        guard let schema else { return ["description": .string(description)] }
        return ["description": .string(description), "content": jsonContent(ref(schema))]
    }

    static func requestBody(_ schema: String, required: Bool = true) -> JSONValue {
        ["required": .bool(required), "content": jsonContent(ref(schema))]
    }

    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": ["type": "string"]]
    }

    static func queryParameter(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    static let pageParameters: [JSONValue] = [
        ["$ref": "#/components/parameters/limit"], ["$ref": "#/components/parameters/offset"],
    ]

    /// The error answers every operation may give, by status.
    static let errorResponses: [String: JSONValue] = [
        "BadRequest": response("A value, field or query parameter is not allowed; the message names it. Nothing changed.", "Error"),
        "Unauthorized": response("The admin API key is missing or wrong, and no supervisor is signed in (or the session ended).", "Error"),
        "Forbidden": response(
            "Signed in as a supervisor, but the change lacks the session's CSRF token (`csrfTokenMissing`, `csrfTokenInvalid`) or the role may not use this route (`forbiddenForRole`, naming the role). Nothing changed.",
            "Error"),
        "NotFound": response("The id in the path names nothing.", "Error"),
        "Conflict": response("The change conflicts with what exists or with the current state (duplicate id, in use, not allowed now). Nothing changed.", "Error"),
        "PayloadTooLarge": response("The body is larger than 64 KiB.", "Error"),
        "Unavailable": response("The store could not read or commit; nothing changed, retry.", "Error"),
        "UnsupportedMediaType": response("The body is not of a type the route takes (`unsupportedMediaType`); nothing changed.", "Error"),
        "TooManyRequests": response("Over a rate limit (`rateLimited`); nothing changed. `Retry-After` and `error.retryAfter` say how many seconds to wait.", "Error"),
    ]

    /// `responses` entries referring to the shared error answers. A route that may answer 401
    /// is an admin route, and every admin route may also answer 403 to a supervisor session.
    static func errors(_ statuses: Int...) -> [String: JSONValue] {
        let names = [
            400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 413: "PayloadTooLarge",
            415: "UnsupportedMediaType", 429: "TooManyRequests", 503: "Unavailable",
        ]
        var result: [String: JSONValue] = [:]
        for status in statuses + (statuses.contains(401) ? [403] : []) {
            result[String(status)] = ["$ref": .string("#/components/responses/\(names[status]!)")]
        }
        return result
    }
}
