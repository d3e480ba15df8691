import HTTPTypes
import SwitchboardStore

/// Which role a signed-in supervisor needs for each admin route: the whole authorization rule
/// in one table, so it can be reviewed at a glance. The admin API key may call every route (it
/// is for provisioning scripts); `admin` may too; `supervisor` may watch (live views, records,
/// transcripts, reports) and intervene (end sessions, set an agent's status, close its
/// connections), but may change no configuration and no credentials.
///
/// A route missing from the table needs `admin`, so a route added without a decision is closed,
/// not open; `AdminAccessTests` fails until the new route is listed, and checks every
/// `admin` route refuses a supervisor.
enum AdminAccess {
    /// One route and the least role that may call it.
    struct Rule: Sendable {
        var method: HTTPRequest.Method
        /// The route's path as the router writes it, captures as `{name}`.
        var path: String
        var role: SupervisorRole
        /// Why this role, for the reviewer.
        var why: String

        init(_ method: HTTPRequest.Method, _ path: String, _ role: SupervisorRole, _ why: String) {
            (self.method, self.path, self.role, self.why) = (method, path, role, why)
        }
    }

    static let rules: [Rule] = [
        // Live views and reports: what a supervisor is there to watch.
        Rule(.get, "/api/v1/queues", .supervisor, "live view"),
        Rule(.get, "/api/v1/status-board", .supervisor, "live view"),
        Rule(.get, "/api/v1/skill-groups", .supervisor, "read"),
        Rule(.get, "/api/v1/skill-groups/{id}", .supervisor, "read"),
        Rule(.get, "/api/v1/agents", .supervisor, "read"),
        Rule(.get, "/api/v1/agents/{id}", .supervisor, "read"),
        Rule(.get, "/api/v1/agents/{id}/status-history", .supervisor, "report"),
        Rule(.get, "/api/v1/agents/{id}/login-lock", .supervisor, "read: why an agent cannot log in"),
        Rule(.get, "/api/v1/sessions", .supervisor, "records"),
        Rule(.get, "/api/v1/sessions/{id}", .supervisor, "record and history"),
        Rule(.get, "/api/v1/sessions/{id}/messages", .supervisor, "transcript"),
        Rule(.get, "/api/v1/sessions/{id}/attachments/{attachmentId}", .supervisor, "transcript (a file sent in it)"),
        Rule(.get, "/api/v1/sessions/{id}/media", .supervisor, "live call quality"),
        Rule(.get, "/api/v1/sessions/{id}/recording", .supervisor, "call recording"),
        Rule(.get, "/api/v1/sessions.csv", .supervisor, "records (export)"),
        Rule(.get, "/api/v1/recordings", .supervisor, "call recordings"),
        Rule(.get, "/api/v1/phone-numbers", .supervisor, "read"),
        Rule(.get, "/api/v1/phone-numbers/{number}", .supervisor, "read"),
        Rule(.get, "/api/v1/ivr-flows", .supervisor, "read"),
        Rule(.get, "/api/v1/ivr-flows/{id}", .supervisor, "read"),
        Rule(.get, "/api/v1/ivr-prompts", .supervisor, "read"),
        Rule(.get, "/api/v1/configuration", .supervisor, "read"),
        Rule(.get, "/api/v1/canned-replies", .supervisor, "read"),
        Rule(.get, "/api/v1/canned-replies/{id}", .supervisor, "read"),
        Rule(.get, "/api/v1/metrics/live", .supervisor, "live view"),
        Rule(.get, "/api/v1/reports/skill-groups", .supervisor, "report"),
        Rule(.get, "/api/v1/reports/skill-groups.csv", .supervisor, "report (export)"),
        Rule(.get, "/api/v1/reports/agents", .supervisor, "report"),
        Rule(.get, "/api/v1/reports/agents.csv", .supervisor, "report (export)"),
        Rule(.get, "/api/v1/reports/session-types", .supervisor, "report"),
        Rule(.get, "/api/v1/reports/session-types.csv", .supervisor, "report (export)"),
        Rule(.post, "/api/v1/reports/rebuild", .admin, "maintenance: rewrites every aggregate"),

        // Intervening in the live contact centre.
        Rule(.post, "/api/v1/sessions/{id}/end", .supervisor, "end a session"),
        Rule(.post, "/api/v1/sessions/{id}/assign", .supervisor, "assign a waiting session to an agent"),
        Rule(.post, "/api/v1/sessions/{id}/monitors", .supervisor, "listen in on a call"),
        Rule(.get, "/api/v1/monitors/{monitorId}/events", .supervisor, "listen in on a call"),
        Rule(.post, "/api/v1/monitors/{monitorId}/signals", .supervisor, "listen in on a call"),
        Rule(.put, "/api/v1/monitors/{monitorId}", .supervisor, "listen in on a call"),
        Rule(.delete, "/api/v1/monitors/{monitorId}", .supervisor, "listen in on a call"),
        Rule(.put, "/api/v1/agents/{id}/status", .supervisor, "force an agent's status"),
        Rule(.post, "/api/v1/agents/{id}/disconnect", .supervisor, "force an agent's logout (it may log in again)"),

        // Configuration: admins only.
        Rule(.post, "/api/v1/skill-groups", .admin, "configuration"),
        Rule(.put, "/api/v1/skill-groups/{id}", .admin, "configuration"),
        Rule(.delete, "/api/v1/skill-groups/{id}", .admin, "configuration"),
        Rule(.post, "/api/v1/agents", .admin, "configuration (and may set a password)"),
        Rule(.put, "/api/v1/agents/{id}", .admin, "configuration"),
        Rule(.delete, "/api/v1/agents/{id}", .admin, "configuration"),
        Rule(.put, "/api/v1/agents/{id}/memberships/{skillGroupId}", .admin, "configuration"),
        Rule(.delete, "/api/v1/agents/{id}/memberships/{skillGroupId}", .admin, "configuration"),
        Rule(.put, "/api/v1/phone-numbers/{number}", .admin, "configuration"),
        Rule(.delete, "/api/v1/phone-numbers/{number}", .admin, "configuration"),
        Rule(.put, "/api/v1/ivr-flows/{id}", .admin, "configuration"),
        Rule(.delete, "/api/v1/ivr-flows/{id}", .admin, "configuration"),
        Rule(.put, "/api/v1/ivr-prompts/{name}", .admin, "configuration"),
        Rule(.delete, "/api/v1/ivr-prompts/{name}", .admin, "configuration"),
        Rule(.put, "/api/v1/configuration", .admin, "configuration"),
        Rule(.post, "/api/v1/canned-replies", .admin, "configuration: what agents send customers"),
        Rule(.put, "/api/v1/canned-replies/{id}", .admin, "configuration: what agents send customers"),
        Rule(.delete, "/api/v1/canned-replies/{id}", .admin, "configuration: what agents send customers"),
        Rule(.post, "/api/v1/sessions", .admin, "channel integrations and load tests create sessions, with the key"),

        // Credentials: admins only. An agent's token or password lets its holder act as the agent.
        Rule(.put, "/api/v1/agents/{id}/password", .admin, "credentials"),
        Rule(.post, "/api/v1/agents/{id}/tokens", .admin, "credentials: a token logs in as the agent"),
        Rule(.post, "/api/v1/agents/{id}/tokens/revoke", .admin, "credentials"),
        Rule(.delete, "/api/v1/agents/{id}/login-lock", .admin, "credentials: lifting a lock reopens password guessing"),

        // The TCCC server API's key pairs: a key acts for the whole tenant, as the admin key does.
        Rule(.get, "/api/v1/api-keys", .admin, "credentials: who may sign TCCC API requests"),
        Rule(.post, "/api/v1/api-keys", .admin, "credentials: a key pair manages the whole tenant"),
        Rule(.delete, "/api/v1/api-keys/{secretId}", .admin, "credentials"),

        // Webhooks: admins only. A subscription sends every event (customers' messages included)
        // to a URL of its creator's choosing, and its log holds those events.
        Rule(.get, "/api/v1/webhooks", .admin, "integrations: where events go"),
        Rule(.post, "/api/v1/webhooks", .admin, "integrations: sends every event it names to its URL"),
        Rule(.get, "/api/v1/webhooks/{id}", .admin, "integrations"),
        Rule(.patch, "/api/v1/webhooks/{id}", .admin, "integrations (and may set the signing secret)"),
        Rule(.delete, "/api/v1/webhooks/{id}", .admin, "integrations"),
        Rule(.get, "/api/v1/webhooks/{id}/deliveries", .admin, "integrations: the log holds the events' data"),
        Rule(.post, "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", .admin, "integrations"),

        // Supervisor accounts: admins only, reads included (who may do what is configuration).
        Rule(.get, "/api/v1/supervisors", .admin, "accounts"),
        Rule(.get, "/api/v1/supervisors/{id}", .admin, "accounts"),
        Rule(.put, "/api/v1/supervisors/{id}", .admin, "accounts"),
        Rule(.delete, "/api/v1/supervisors/{id}", .admin, "accounts"),
        Rule(.put, "/api/v1/supervisors/{id}/password", .admin, "credentials"),
        Rule(.get, "/api/v1/supervisors/{id}/login-lock", .admin, "accounts"),
        Rule(.delete, "/api/v1/supervisors/{id}/login-lock", .admin, "credentials"),
    ]

    private static let byRoute: [String: Rule] = Dictionary(
        rules.map { ("\($0.method.rawValue) \($0.path)", $0) }, uniquingKeysWith: { first, _ in first })

    /// The rule for a route (method and path pattern); one needing `admin` for a route the table lacks.
    static func rule(for method: HTTPRequest.Method, path: String) -> Rule {
        // HEAD reads what GET reads.
        let method = method == .head ? .get : method
        return byRoute["\(method.rawValue) \(path)"] ?? Rule(method, path, .admin, "not in the access table: admins only")
    }

    /// Whether the method changes state, and so needs the CSRF token with a cookie session.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }
}
