import SwitchboardProtocol
import SwitchboardStore

/// The report routes (`/api/v1/reports/...`) and the live floor (`/api/v1/metrics/live`);
/// docs/reports.md defines every figure.
extension OpenAPIDocument {
    static var reportRoutes: [Operation] {
        let parameters: [JSONValue] = [
            queryParameter("from", ["type": "string"], "Start: a date (`2026-11-01`, midnight in `timeZone`), a date and time with its offset, or milliseconds since 1970; on a quarter hour. Default: midnight today."),
            queryParameter("to", ["type": "string"], "End (not included), in the same forms. Default: midnight tomorrow."),
            queryParameter("interval", string(oneOf: ["15m", "hour", "day"]), "The rows' interval (default `day`), in `timeZone`."),
            queryParameter("timeZone", ["type": "string"], "An IANA time zone, e.g. `Asia/Kolkata`. Default: the server's `--report-time-zone`."),
            queryParameter("serviceLevelSeconds", ["type": "integer", "enum": .array(ReportCounts.serviceLevelBounds.map { .number(Double($0)) })], "The service level's N: answered within N seconds (default 20)."),
            queryParameter("serviceLevelByGroup", ["type": "string"], "Per-group N, e.g. `sales:30,support:60`; other groups use `serviceLevelSeconds`."),
            queryParameter("shortAbandonSeconds", ["type": "integer", "enum": .array(ReportCounts.shortAbandonBounds.map { .number(Double($0)) })], "Abandons after less than this are short abandons, counted apart (default 5)."),
            queryParameter("subject", ["type": "string"], "Only this skill group id, agent id or session type (with rows even when it has no data)."),
        ]
        let csv: JSONValue = ["description": "RFC 4180 CSV (UTF-8, CRLF): the interval rows, columns named as the JSON fields.", "content": ["text/csv": ["schema": ["type": "string"]]]]
        var operations: [Operation] = []
        for (path, name, what) in [("skill-groups", "SkillGroup", "skill group"), ("agents", "Agent", "agent"), ("session-types", "SessionType", "session type")] {
            operations.append(Operation(
                method: "get", path: "/api/v1/reports/\(path)", id: "report\(name)s", tag: "reports",
                summary: "Historical figures per \(what) and interval: contacts, service level, waits, handle times\(what == "agent" ? ", status time, occupancy" : "").",
                description: "Computed from 15-minute aggregates kept with the records (docs/reports.md). With `Accept: text/csv` the answer is the CSV of `\(path).csv`.",
                parameters: parameters,
                responses: ["200": ["description": "The report.", "content": ["application/json": ["schema": ref("HistoricalReport")], "text/csv": ["schema": ["type": "string"]]]]]
                    .merging(errors(400, 401, 403, 503)) { $1 }))
            operations.append(Operation(
                method: "get", path: "/api/v1/reports/\(path).csv", id: "report\(name)sCSV", tag: "reports",
                summary: "The \(what) report as CSV.", parameters: parameters,
                responses: ["200": csv].merging(errors(400, 401, 403, 503)) { $1 }))
        }
        operations.append(Operation(
            method: "post", path: "/api/v1/reports/rebuild", id: "rebuildReports", tag: "reports",
            summary: "Recompute every report aggregate from the session and status records, in one transaction (admins).",
            responses: ["200": response("What was read and written.", "ReportRebuild")].merging(errors(401, 403, 503)) { $1 }))
        operations.append(Operation(
            method: "get", path: "/api/v1/metrics/live", id: "liveMetrics", tag: "reports",
            summary: "The floor now: with `Accept: text/event-stream`, server-sent `floor` events (JSON) when something changed, at most once a second; otherwise once, as JSON.",
            description: "Each `data:` line is a `LiveFloor`. Waits and status times are sent as the moment they started. Today's service level and short abandons take `serviceLevelSeconds`, `serviceLevelByGroup` and `shortAbandonSeconds` as the historical reports do. A `: keep-alive` comment follows 15 s of quiet; the stream closes after 10 minutes and `EventSource` reconnects (`retry: 2000`).",
            parameters: parameters.filter { parameter in
                guard case .object(let members) = parameter, case .string(let name)? = members["name"] else { return false }
                return ReportThresholds.parameters.contains(name)
            },
            responses: ["200": ["description": "The stream, or the floor once.", "content": ["text/event-stream": ["schema": ["type": "string"]], "application/json": ["schema": ["type": "object"]]]]]
                .merging(errors(400, 401, 403, 503)) { $1 }))
        return operations
    }

    static var reportSchemas: [String: JSONValue] {
        let count: JSONValue = ["type": "integer"]
        let seconds = nullable("number", "Seconds; null when there is nothing to average.")
        let percent = nullable("number", "Percent; null when there is nothing to divide by.")
        let figures: Properties = [
            ("start", string("Interval start, ISO 8601 with the zone's offset.")), ("end", string("Interval end (not included).")),
            ("subject", string("The skill group id, agent id or session type.")), ("name", string()),
            ("offered", count), ("transferredIn", count), ("overflowedIn", count), ("accepted", count), ("abandonedInQueue", count),
            ("abandonedWhileRinging", count), ("shortAbandons", count), ("timedOut", count), ("overflowedOut", count), ("adminEnded", count),
            ("turnedAway", count), ("missedOffers", count), ("offersRung", count), ("transferredOut", count), ("outbound", count),
            ("handled", count), ("serviceLevelSeconds", count), ("serviceLevel", percent), ("abandonmentRate", percent),
            ("averageWaitSeconds", seconds), ("maxWaitSeconds", seconds), ("averageAbandonWaitSeconds", seconds),
            ("averageTalkSeconds", seconds), ("averageHoldSeconds", seconds), ("holds", count), ("averageWrapUpSeconds", seconds),
            ("averageHandleSeconds", seconds), ("imSessionsEnded", count), ("messages", count),
            ("messagesPerImSession", nullable("number")), ("occupancy", percent), ("utilisation", percent),
        ]
        var row = representation("One subject in one interval (or the whole range, in `totals`).", figures)
        if case .object(var members) = row, case .object(var properties)? = members["properties"] {
            properties["statusSeconds"] = ["type": "object", "additionalProperties": ["type": "number"], "description": "Agents only: seconds in each online status."]
            properties["restReasonSeconds"] = ["type": "object", "additionalProperties": ["type": "number"], "description": "Agents only: seconds in rest per reason."]
            members["properties"] = .object(properties)
            row = .object(members)
        }
        return [
            "ReportRow": row,
            "HistoricalReport": representation("A historical report.", [
                ("dimension", string(oneOf: ["skillGroup", "agent", "sessionType"])), ("timeZone", string()),
                ("interval", string(oneOf: ["15m", "hour", "day"])), ("from", string()), ("to", string()),
                ("serviceLevelSeconds", count), ("shortAbandonSeconds", count),
                ("rows", array(ref("ReportRow"))), ("totals", array(ref("ReportRow"))),
            ]),
            "ReportRebuild": representation("What a rebuild read and wrote.", [
                ("sessions", count), ("historyLines", count), ("statusChanges", count), ("intervalRows", count), ("statusRows", count),
                ("seconds", ["type": "number"]),
            ]),
        ]
    }
}
