import Foundation

/// A historical report as CSV (RFC 4180, like `sessions.csv`): the interval rows, one per line,
/// with the figures' JSON names as column names. Totals are left out: a spreadsheet sums.
enum ReportCSV {
    static let metricColumns = [
        "offered", "transferredIn", "overflowedIn", "accepted", "abandonedInQueue", "abandonedWhileRinging", "shortAbandons",
        "timedOut", "overflowedOut", "adminEnded", "turnedAway", "missedOffers", "offersRung", "transferredOut", "outbound",
        "handled", "serviceLevelSeconds", "serviceLevel", "abandonmentRate", "averageWaitSeconds", "maxWaitSeconds",
        "averageAbandonWaitSeconds", "averageTalkSeconds", "averageHoldSeconds", "holds", "averageWrapUpSeconds",
        "averageHandleSeconds", "imSessionsEnded", "messages", "messagesPerImSession",
    ]
    static let agentColumns = ["free", "busy", "arrange", "notReady", "rest"].map { "\($0)Seconds" } + ["restReasonSeconds", "occupancy", "utilisation"]

    static func document(_ report: HistoricalReport) -> String {
        let agents = report.dimension == "agent"
        let header = ["start", "end", report.dimension, "name"] + metricColumns + (agents ? agentColumns : [])
        let rows = report.rows.map { row in
            [row.start, row.end, row.subject, row.name] + values(row.metrics) + (agents ? agentValues(row.metrics) : [])
        }
        return SessionCSV.table([header] + rows)
    }

    private static func values(_ m: ReportMetrics) -> [String] {
        let counts = [m.offered, m.transferredIn, m.overflowedIn, m.accepted, m.abandonedInQueue, m.abandonedWhileRinging, m.shortAbandons,
                      m.timedOut, m.overflowedOut, m.adminEnded, m.turnedAway, m.missedOffers, m.offersRung, m.transferredOut, m.outbound, m.handled]
        return counts.map(String.init) + [String(m.serviceLevelSeconds)]
            + [m.serviceLevel, m.abandonmentRate, m.averageWaitSeconds, m.maxWaitSeconds, m.averageAbandonWaitSeconds,
               m.averageTalkSeconds, m.averageHoldSeconds].map(text)
            + [String(m.holds), text(m.averageWrapUpSeconds), text(m.averageHandleSeconds), String(m.imSessionsEnded), String(m.messages),
               text(m.messagesPerImSession)]
    }

    private static func agentValues(_ m: ReportMetrics) -> [String] {
        let status = m.statusSeconds ?? [:]
        let reasons = (m.restReasonSeconds ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\(text($0.value))" }.joined(separator: ";")
        return ["free", "busy", "arrange", "notReady", "rest"].map { text(status[$0] ?? 0) } + [reasons, text(m.occupancy), text(m.utilisation)]
    }

    private static func text(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
