import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardStore

/// Builds a historical report as the admin API does, without the HTTP around it: for tools
/// that measure or export reports in-process (`report-benchmark`).
public enum HistoricalReports {
    /// The report `GET /api/v1/reports/...?<query>` would answer, encoded as JSON; returns its
    /// row count and size, and the seconds spent building it (store reads and figures) and
    /// encoding it, to say where a report's time goes.
    public static func json(
        _ dimension: ReportDimension, query: String, store: any RoutingStore, now: Int64, timeZone: TimeZone = .gmt
    ) async throws -> (rows: Int, bytes: Int, buildSeconds: Double, encodeSeconds: Double) {
        let parsed = try parse(dimension, query: query, timeZone: timeZone, now: now)
        let start = ContinuousClock.now
        let report = try await HistoricalReport.build(parsed, store: store, names: [:], now: now)
        let built = ContinuousClock.now
        let bytes = try JSONEncoder().encode(report).count
        return (report.rows.count, bytes, seconds(built - start), seconds(ContinuousClock.now - built))
    }

    /// The JSON body `GET /api/v1/reports/...?<query>` would answer at `now`: for checking the
    /// figures of traffic scripted on a store with a clock of its own, where a server's real
    /// clock would make them unknowable in advance.
    public static func body(
        _ dimension: ReportDimension, query: String, store: any RoutingStore, now: Int64, timeZone: TimeZone = .gmt
    ) async throws -> Data {
        let parsed = try parse(dimension, query: query, timeZone: timeZone, now: now)
        return try JSONEncoder().encode(try await HistoricalReport.build(parsed, store: store, names: [:], now: now))
    }

    private static func parse(_ dimension: ReportDimension, query: String, timeZone: TimeZone, now: Int64) throws -> ReportRequest {
        let request = Request(head: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/report?\(query)"), body: .init(buffer: ByteBuffer()))
        return try ReportRequest(dimension, request: request, defaultTimeZone: timeZone, now: now)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
