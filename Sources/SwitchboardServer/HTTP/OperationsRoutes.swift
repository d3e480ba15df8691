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
            let body = running ? #"{"status":"ready"}"# : #"{"status":"starting"}"#
            return Response(
                status: running ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
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
