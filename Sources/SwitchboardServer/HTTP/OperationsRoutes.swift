import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// `/healthz` (the process answers), `/readyz` (routing state loaded and the writer running),
/// and Prometheus `/metrics`.
enum OperationsRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        router.get("/healthz") { _, _ in
            ["status": "ok"]
        }
        router.get("/readyz") { _, _ -> Response in
            let running = await server.routing.isRunning
            // A phone channel that is down does not stop chats: still 200, but the answer says so.
            let phone = server.phone.map { gateway in
                let status = gateway.currentStatus
                return Readiness.Phone(ready: status.ready, calls: status.calls, sipPort: status.sipPort, problem: status.problem)
            }
            // A node of several says whether it leads or follows; a follower is ready while its
            // link to the leader is up (it serves clients then), a leader while it holds the lease.
            let following = await server.routing.isFollowing
            let serves = await server.routing.followerServes
            let linked = await server.routing.isLinkedToLeader
            let role = server.leadership == nil ? nil
                : following ? "follower" : (server.leadership?.lossReason == nil ? "leader" : "steppingDown")
            let ready = running && role != "steppingDown" && (!following || serves)
            let status = if ready {
                // A follower between two links (a failover) keeps its clients: still ready.
                following && !linked ? "relinking" : "ready"
            } else {
                role == "steppingDown" ? "steppingDown" : following && running ? "noLeader" : "starting"
            }
            let body = (try? JSONEncoder().encode(Readiness(status: status, role: role, phone: phone))) ?? Data()
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let metricsToken = server.configuration.metricsToken.map(MetricsToken.init)
        router.get("/metrics") { request, context -> Response in
            if let metricsToken, let refusal = metricsToken.refusal(for: request.headers) {
                var response = try refusal.response(from: request, context: context)
                response.headers[.wwwAuthenticate] = #"Bearer realm="switchboard-metrics""#
                return response
            }
            // The gauges are kept up to date as batches commit: a scrape only formats them.
            let text = server.metrics.render(
                agentConnections: server.agentHub.connectionCount, customerConnections: server.customerHub.connectionCount)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

/// The `--metrics-token` a scraper must send as `Authorization: Bearer <token>`.
///
/// Both sides are hashed before the comparison, so neither where they differ nor the token's
/// length shows in the time taken.
private struct MetricsToken: Sendable {
    private let digest: String

    init(_ token: String) { digest = Self.digest(token) }

    /// Nil when the request carries the token; otherwise the 401 to answer with.
    func refusal(for headers: HTTPFields) -> APIError? {
        guard let authorization = headers[.authorization] else {
            return APIError(.unauthorized, code: "unauthorized", "/metrics needs the metrics token: send 'Authorization: Bearer <token>' (--metrics-token)")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        let presented = parts.count == 2 && parts[0].lowercased() == "bearer" ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard constantTimeEquals(Self.digest(presented), digest) else {
            return APIError(.unauthorized, code: "unauthorized", "the metrics token is not valid")
        }
        return nil
    }

    private static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The `/readyz` answer.
private struct Readiness: Encodable {
    var status: String
    /// `leader` or `follower` on a node of several sharing PostgreSQL (a standby answers
    /// `standby`); absent alone.
    var role: String?
    /// Present when phone calls are configured.
    var phone: Phone?

    struct Phone: Encodable {
        var ready: Bool
        var calls: Int
        /// The SIP port bound (useful with `--sip-listen HOST:0`).
        var sipPort: Int?
        var problem: String?
    }
}
