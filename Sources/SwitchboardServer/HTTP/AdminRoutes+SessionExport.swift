import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `GET /api/v1/sessions.csv?from=&to=&type=`: session records (the phone record's fields) as a
/// spreadsheet, oldest first, for reporting tools that take CSV.
extension AdminRoutes {
    /// Rows one export may hold; a longer period is exported in parts.
    static let maximumExportRows = 100_000

    /// The `from`, `to` and `type` filters the session list and its export share.
    static func sessionFilters(_ query: QueryParameters) throws(APIError) -> (from: Timestamp?, to: Timestamp?, types: [SessionType]?) {
        func time(_ name: String) throws(APIError) -> Timestamp? {
            guard let text = try query.string(name) else { return nil }
            guard let time = SessionCSV.time(text) else {
                throw APIError.invalid("query parameter '\(name)' must be milliseconds since 1970 or an ISO 8601 date or time (2026-11-30, 2026-11-30T08:00:00Z), not '\(text)'")
            }
            return time
        }
        let from = try time("from")
        let to = try time("to")
        if let from, let to, to.milliseconds <= from.milliseconds {
            throw APIError.invalid("query parameter 'to' must be after 'from'")
        }
        var types: [SessionType]?
        if let list = try query.string("type") {
            types = try list.split(separator: ",", omittingEmptySubsequences: false).map { name throws(APIError) in
                guard let type = SessionType(rawValue: String(name)) else {
                    throw APIError.invalid("query parameter 'type' lists '\(name)', which is not a session type; the types are \(SessionType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return type
            }
        }
        return (from, to, types)
    }

    static func registerSessionExport(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/sessions.csv") { request, _ -> Response in
            let query = try QueryParameters(request, accepted: ["from", "to", "type"])
            let (from, to, types) = try sessionFilters(query)
            var records: [SessionRecord] = []
            var storeQuery = SessionListQuery(
                createdFrom: from, createdBefore: to, types: types, limit: PageRequest.maximumLimit, offset: 0, oldestFirst: true)
            do {
                while true {
                    let page = try await server.store.sessions(storeQuery)
                    records += page
                    if records.count > maximumExportRows {
                        throw APIError(.badRequest, code: "tooManyRows", "more than \(maximumExportRows) sessions match; narrow 'from' and 'to' and export in parts")
                    }
                    if page.count < storeQuery.limit { break }
                    storeQuery.offset += page.count
                }
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError.storeFailed(error)
            }
            let live = await LiveSessionState.of(records.map(\.id), server: server)
            let groupNames = await server.routing.read { machine in machine.skillGroups.mapValues(\.name) }
            var rows: [[String]] = []
            rows.reserveCapacity(records.count)
            for record in records {
                let history: [HistoryRecord]
                do { history = try await server.store.history(of: record.id) } catch { throw APIError.storeFailed(error) }
                let session = SessionRepresentation(record, live: live[record.id], recording: recording(of: record, server: server))
                rows.append(SessionCSV.row(session, agents: SessionCSV.agents(in: history), groupName: groupNames[record.skillGroupId]))
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: #"attachment; filename="sessions.csv""#],
                body: .init(byteBuffer: ByteBuffer(string: SessionCSV.document(rows))))
        }
    }
}
