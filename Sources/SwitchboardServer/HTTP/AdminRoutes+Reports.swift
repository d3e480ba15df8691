import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// Historical reports (docs/reports.md): `GET /api/v1/reports/skill-groups`, `/reports/agents`
/// and `/reports/session-types`, as JSON or, with `.csv` or `Accept: text/csv`, as CSV; and
/// `POST /api/v1/reports/rebuild`, which recomputes the aggregates from the records.
extension AdminRoutes {
    static func registerReports(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        for (path, dimension) in [("skill-groups", ReportDimension.skillGroup), ("agents", .agent), ("session-types", .sessionType)] {
            api.get("/reports/\(path)") { request, context -> Response in
                let csv = request.headers[.accept]?.contains("text/csv") == true
                return try await report(dimension, csv: csv, request: request, context: context, server: server)
            }
            api.get("/reports/\(path).csv") { request, context -> Response in
                try await report(dimension, csv: true, request: request, context: context, server: server)
            }
        }

        api.post("/reports/rebuild") { request, _ -> ReportRebuildRepresentation in
            _ = try QueryParameters(request, accepted: [])
            do {
                let started = ContinuousClock.now
                let summary = try await server.store.rebuildReports()
                return ReportRebuildRepresentation(summary, took: ContinuousClock.now - started)
            } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not rebuild the reports (\(error)); nothing was changed, try again")
            }
        }
    }

    private static func report(
        _ dimension: ReportDimension, csv: Bool, request: Request, context: ServerRequestContext, server: ServerComponents
    ) async throws -> Response {
        let now = Timestamp.now().milliseconds
        let zone = TimeZone(identifier: server.configuration.reportTimeZone) ?? .gmt
        let parsed = try ReportRequest(dimension, request: request, defaultTimeZone: zone, defaultZoneName: server.configuration.reportTimeZone, now: now)
        let names: [String: String] = await server.routing.read { machine in
            switch dimension {
            case .skillGroup: machine.skillGroups.mapValues(\.name).reduce(into: [:]) { $0[$1.key.rawValue] = $1.value }
            case .agent: machine.agents.mapValues(\.profile.name).reduce(into: [:]) { $0[$1.key.rawValue] = $1.value }
            case .sessionType: [:]
            }
        }
        let report: HistoricalReport
        do {
            report = try await HistoricalReport.build(parsed, store: server.store, names: names, now: now)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.storeFailed(error)
        }
        guard csv else { return try report.response(from: request, context: context) }
        let name = "\(dimension.rawValue)-report.csv"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(string: ReportCSV.document(report))))
    }
}

/// What `POST /reports/rebuild` read and wrote.
struct ReportRebuildRepresentation: ResponseEncodable, Sendable {
    var sessions: Int
    var historyLines: Int
    var statusChanges: Int
    var intervalRows: Int
    var statusRows: Int
    var seconds: Double

    init(_ summary: ReportRebuild, took: Duration) {
        sessions = summary.sessions
        historyLines = summary.historyLines
        statusChanges = summary.statusChanges
        intervalRows = summary.intervalRows
        statusRows = summary.statusRows
        seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
    }
}
