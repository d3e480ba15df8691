import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardStore

/// Builds a historical report as the admin API does, without the HTTP around it: for tools
/// that measure or export reports in-process (`report-benchmark`).
public enum HistoricalReports {
    /// The report `GET /api/v1/reports/...?<query>` would answer, encoded as JSON; returns its
    /// row count and size.
    public static func json(
        _ dimension: ReportDimension, query: String, store: any RoutingStore, now: Int64, timeZone: TimeZone = .gmt
    ) async throws -> (rows: Int, bytes: Int) {
        let request = Request(head: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/report?\(query)"), body: .init(buffer: ByteBuffer()))
        let parsed = try ReportRequest(dimension, request: request, defaultTimeZone: timeZone, now: now)
        let report = try await HistoricalReport.build(parsed, store: store, names: [:], now: now)
        return (report.rows.count, try JSONEncoder().encode(report).count)
    }
}
