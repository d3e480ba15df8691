import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import SwitchboardCore
import SwitchboardStore

/// `GET /api/v1/metrics/live`: the floor (``LiveFloor``) as server-sent events (for
/// `Accept: text/event-stream`, as `EventSource` sends; otherwise once, as JSON). The server looks
/// once a second and sends a `floor` event only when something changed, so a quiet floor costs
/// nothing on the wire; a comment every 15 s keeps proxies from closing the stream. Signed-in
/// supervisors use it through their cookie (`EventSource` sends it), scripts with the API key.
extension AdminRoutes {
    /// How often the floor is looked at, at most.
    static let liveInterval: Duration = .seconds(1)
    /// Seconds of silence before a keep-alive comment.
    static let keepAliveSeconds = 15
    /// A stream ends after this long and the browser's `EventSource` reconnects: no connection
    /// outlives a signed-out session by more than this.
    static let liveStreamLifetimeSeconds = 600

    static func registerLiveMetrics(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/metrics/live") { request, _ -> Response in
            let thresholds = try ReportThresholds(QueryParameters(request, accepted: ReportThresholds.parameters))
            // Every stream with these thresholds shares one floor a second.
            @Sendable func floor(fresh: Bool = false) async throws -> String {
                try await server.liveFloors.floor(thresholds, maxAge: liveInterval, fresh: fresh) {
                    try await liveFloorJSON(server, thresholds: thresholds)
                }
            }
            // Refuse before the stream starts if the store cannot be read.
            let first: String
            do { first = try await floor(fresh: true) } catch { throw APIError.storeFailed(error) }
            // A client that does not ask for a stream (a script, a JSON client) gets the floor once.
            guard request.headers[.accept]?.contains("text/event-stream") == true else {
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: first)))
            }
            return Response(
                status: .ok,
                headers: eventStreamHeaders,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "retry: 2000\n\n" + event(first)))
                    var last = first
                    var quiet = 0
                    for _ in 0..<liveStreamLifetimeSeconds {
                        if Task.isShuttingDownGracefully || Task.isCancelled { break }
                        try? await Task.sleep(for: liveInterval)
                        let next = (try? await floor()) ?? last
                        if next != last {
                            try await writer.write(ByteBuffer(string: event(next)))
                            last = next
                            quiet = 0
                        } else {
                            quiet += 1
                            if quiet >= keepAliveSeconds {
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                                quiet = 0
                            }
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }

    private static func event(_ json: String) -> String { "event: floor\ndata: \(json)\n\n" }

    /// A server-sent event stream's headers: never cached, never buffered by a proxy (nginx).
    static var eventStreamHeaders: HTTPFields {
        [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"]
    }

    /// The floor now, as one line of JSON.
    static func liveFloorJSON(_ server: ServerComponents, thresholds: ReportThresholds) async throws -> String {
        let zone = TimeZone(identifier: server.configuration.reportTimeZone) ?? .gmt
        let now = Timestamp.now().milliseconds
        let calendar = ReportCalendar(timeZone: zone, unit: .day)
        let from = calendar.startOfDay(containing: now)
        let to = ReportInterval.milliseconds * (now / ReportInterval.milliseconds + 1)
        let whole = ReportSlots(offset: -from, length: ReportInterval.milliseconds * ((to - from) / ReportInterval.milliseconds))
        let groups = try await server.store.reportCounts(.skillGroup, from: .init(milliseconds: from), to: .init(milliseconds: to), slots: whole)
        let types = try await server.store.reportCounts(.sessionType, from: .init(milliseconds: from), to: .init(milliseconds: to), slots: whole)
        var overall = ReportCounts()
        for type in types { overall.add(type.counts) }
        let today = Dictionary(groups.map { ($0.subject, $0.counts) }, uniquingKeysWith: { first, _ in first })
        let since = Dictionary(try await server.store.openStatusPeriods().map { ($0.agent, $0.since) }, uniquingKeysWith: { $1 })
        let floor = await server.routing.read { machine in
            LiveFloor(machine: machine, statusSince: since, today: today, todayOverall: overall, timeZone: server.configuration.reportTimeZone, todayFrom: from, thresholds: thresholds)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(floor), as: UTF8.self)
    }
}
