import Foundation
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
            let body = (try? JSONEncoder().encode(Readiness(status: running ? "ready" : "starting", phone: phone))) ?? Data()
            return Response(
                status: running ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            let text = await server.routing.read { machine in
                server.metrics.render(
                    machine: machine, now: max(Timestamp.now(), machine.clock),
                    agentConnections: server.agentHub.connectionCount, customerConnections: server.customerHub.connectionCount)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

/// The `/readyz` answer.
private struct Readiness: Encodable {
    var status: String
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
