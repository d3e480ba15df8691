import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore
import SwitchboardProtocol

/// Listening in on calls (``CallMonitors``, docs/calls.md "Listening in"), for supervisors:
///
/// - `POST /api/v1/sessions/{id}/monitors {mode}` registers a monitor of an answered call;
/// - `GET /api/v1/monitors/{monitorId}/events` is its life: server-sent events `signal` (the
///   agent page's WebRTC offer and candidates) and `ended` (why); opening it tells the agent's
///   page, closing it ends the monitor;
/// - `POST /api/v1/monitors/{monitorId}/signals` sends the supervisor page's answer and candidates;
/// - `PUT /api/v1/monitors/{monitorId} {mode}` switches between listen, whisper and barge;
/// - `DELETE /api/v1/monitors/{monitorId}` stops.
extension AdminRoutes {
    /// How often an open monitor checks that its call is still held by the same agent.
    static let monitorCheckInterval: Duration = .seconds(1)
    /// Checks between keep-alive comments (a page that went away is noticed when one fails).
    static let monitorKeepAliveChecks = 5

    static func registerMonitors(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        let monitors = server.calls.monitors

        api.post("/sessions/{id}/monitors") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let session = SessionID(try RequestInput.pathId("id", context))
            let body = try await RequestInput.body(MonitorModeBody.self, from: request)
            let mode = try RequestInput.enumValue(CallMonitor.Mode.self, body.mode ?? "listen", field: "mode", allowed: [.listen, .whisper, .barge])
            let made: (id: String, agent: AgentID)
            do throws(CallMonitors.Refusal) { made = try await monitors.create(session: session, mode: mode) } catch {
                throw error.notFound ? APIError.notFound("unknownSession", error.description) : APIError(.conflict, code: "notAnsweredCall", error.description)
            }
            let answer = MonitorRepresentation(monitorId: made.id, sessionId: session.rawValue, agentId: made.agent.rawValue, mode: mode.rawValue)
            return try created(answer, at: "/api/v1/monitors/\(made.id)", request: request, context: context)
        }

        api.get("/monitors/{monitorId}/events") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("monitorId", context)
            guard monitors.canOpen(id) else {
                throw APIError.notFound("unknownMonitor", "monitor \(id) does not exist, ended, or has its event stream open already")
            }
            return Response(
                status: .ok,
                headers: eventStreamHeaders,
                body: ResponseBody { writer in
                    // Opened here, not before the answer: a page gone before the body runs
                    // leaves no monitor the agent was told of.
                    guard let stream = monitors.open(id) else {
                        try await writer.write(ByteBuffer(string: CallMonitors.event("ended", CallMonitors.json(["why": "the monitor ended"]))))
                        try await writer.finish(nil)
                        return
                    }
                    // The call ending or moving to another agent ends the monitor; so does the
                    // page going away, noticed when a keep-alive cannot be written.
                    let watcher = Task {
                        var checks = 0
                        while !Task.isCancelled {
                            try? await Task.sleep(for: monitorCheckInterval)
                            if Task.isCancelled { break }
                            if await !monitors.isCurrent(id) {
                                monitors.close(id, why: "the call ended or moved to another agent")
                                break
                            }
                            checks += 1
                            if checks % monitorKeepAliveChecks == 0 { monitors.keepAlive(id) }
                        }
                    }
                    defer {
                        watcher.cancel()
                        monitors.close(id, why: "the supervisor left")
                    }
                    try await writer.write(ByteBuffer(string: "retry: 60000\n\n"))
                    for await chunk in stream {
                        try await writer.write(ByteBuffer(string: chunk))
                    }
                    try await writer.finish(nil)
                })
        }

        api.post("/monitors/{monitorId}/signals") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("monitorId", context)
            guard monitors.exists(id) else {
                throw APIError.notFound("unknownMonitor", "monitor \(id) does not exist or has ended")
            }
            let signal = try await monitorSignal(from: request)
            do throws(CallMonitors.Refusal) { try monitors.fromSupervisor(id, signal) } catch {
                throw APIError.notFound("unknownMonitor", error.description)
            }
            return Response(status: .noContent)
        }

        api.put("/monitors/{monitorId}") { request, context -> MonitorRepresentation in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("monitorId", context)
            let body = try await RequestInput.body(MonitorModeBody.self, from: request)
            guard let text = body.mode else { throw APIError.invalid("field 'mode' is required: listen, whisper or barge") }
            let mode = try RequestInput.enumValue(CallMonitor.Mode.self, text, field: "mode", allowed: [.listen, .whisper, .barge])
            let changed: (notice: CallMonitor, agent: AgentID)
            do throws(CallMonitors.Refusal) { changed = try monitors.setMode(id, mode) } catch {
                throw APIError.notFound("unknownMonitor", error.description)
            }
            return MonitorRepresentation(monitorId: id, sessionId: changed.notice.sessionId, agentId: changed.agent.rawValue, mode: mode.rawValue)
        }

        api.delete("/monitors/{monitorId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("monitorId", context)
            guard monitors.close(id, why: "the supervisor stopped") else {
                throw APIError.notFound("unknownMonitor", "monitor \(id) does not exist or has ended")
            }
            return Response(status: .noContent)
        }
    }

    /// The supervisor page's offer, answer or ICE candidate, as the agent socket takes them.
    private static func monitorSignal(from request: Request) async throws -> CallSignal {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let signal: CallSignal
        do {
            signal = try JSONDecoder().decode(CallSignal.self, from: Data(buffer: buffer))
        } catch let error as ProtocolError {
            throw APIError.invalid(error.message)
        } catch {
            throw APIError(.badRequest, code: "invalidBody", "the body must be a signal: {\"kind\": \"answer\", \"sdp\": \"...\"} or {\"kind\": \"candidate\", \"candidate\": {...}}")
        }
        guard [.offer, .answer, .candidate].contains(signal.kind) else {
            throw APIError.invalid("field 'kind': a monitor carries offer, answer and candidate signals, not '\(signal.kind.rawValue)'")
        }
        return signal
    }
}

/// `POST /api/v1/sessions/{id}/monitors` and `PUT /api/v1/monitors/{monitorId}`.
struct MonitorModeBody: JSONRequestBody {
    var mode: String?

    static let fields = ["mode"]
    static let emptyMeansEmptyObject = true
}

/// A monitor, as the routes answer it.
struct MonitorRepresentation: ResponseEncodable, Sendable {
    var monitorId: String
    var sessionId: String
    var agentId: String
    var mode: String
}
