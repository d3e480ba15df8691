import Foundation
import Hummingbird
import SwitchboardCore

/// Call recordings: `GET /api/v1/recordings` lists them, `GET /api/v1/sessions/{id}/recording`
/// serves one as `audio/wav`, with byte ranges so a browser's audio element can seek.
extension AdminRoutes {
    static func registerRecordings(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/recordings") { request, _ -> Page<RecordingRepresentation> in
            let query = try QueryParameters(request, accepted: PageRequest.names + ["status"])
            let page = try query.page()
            let status = try query.choice("status", RecordingLibrary.Entry.Status.allCases.map(\.rawValue))
            let entries = server.recordings.all().filter { status == nil || $0.status.rawValue == status }
            return page.slice(entries.map(RecordingRepresentation.init))
        }

        api.get("/sessions/{id}/recording") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let session = SessionID(try RequestInput.pathId("id", context))
            _ = try await sessionRepresentation(session, server: server)
            return try RecordingAudio.response(of: session, request: request, context: context, server: server)
        }
    }
}

/// A call recording as the API shows it (also the `recording` of a phone session's record).
struct RecordingRepresentation: ResponseEncodable, Sendable {
    var sessionId: String
    /// `recording` (the call goes on), `ready`, or `failed` (`reason` says why).
    var status: String
    @Nullable var reason: String?
    var startedAt: Int64
    @Nullable var endedAt: Int64?
    @Nullable var durationSeconds: Double?
    @Nullable var bytes: Int?
    /// Where the audio is, once ready.
    @Nullable var url: String?

    init(_ entry: RecordingLibrary.Entry) {
        sessionId = entry.sessionId
        status = entry.status.rawValue
        reason = entry.reason
        startedAt = entry.startedAt
        endedAt = entry.endedAt
        durationSeconds = entry.durationSeconds
        bytes = entry.bytes
        url = entry.status == .ready ? Self.url(of: entry.sessionId) : nil
    }

    static func url(of session: String) -> String { "/api/v1/sessions/\(session)/recording" }

    /// The same recording where the agent who handled the call fetches it.
    func forAgent() -> RecordingRepresentation {
        var copy = self
        copy.url = url.map { _ in "/api/v1/agent/sessions/\(sessionId)/recording" }
        return copy
    }
}
