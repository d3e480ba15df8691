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
            guard let entry = server.recordings.entry(of: session) else {
                throw APIError.notFound("noRecording", "session \(session) was not recorded (recording is set per phone number: \"record\": true)")
            }
            switch entry.status {
            case .recording:
                throw APIError(.conflict, code: "recordingInProgress", "session \(session) is still being recorded; its audio is ready when the call ends")
            case .failed:
                throw APIError(.conflict, code: "recordingFailed", "the recording of session \(session) failed: \(entry.reason ?? "no reason was recorded")")
            case .ready:
                break
            }
            guard let path = server.recordings.audioPath(of: session),
                  let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            else {
                throw APIError.notFound("noRecording", "the recording of session \(session) is gone (deleted by the retention setting or by hand)")
            }
            return try audioResponse(path: path, size: size, range: request.headers[.range], request: request, context: context)
        }
    }

    /// The WAV file, whole (200) or the one range asked for (206); 416 for a range past its end.
    private static func audioResponse(path: String, size: Int, range: String?, request: Request, context: ServerRequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "audio/wav", .acceptRanges: "bytes"]
        let bytes: ClosedRange<Int>
        let status: HTTPResponse.Status
        switch ByteRange(header: range, size: size) {
        case .whole:
            (bytes, status) = (0...max(0, size - 1), .ok)
        case .partial(let asked):
            (bytes, status) = (asked, .partialContent)
            headers[.contentRange] = "bytes \(asked.lowerBound)-\(asked.upperBound)/\(size)"
        case .unsatisfiable:
            var response = try APIError(.rangeNotSatisfiable, code: "rangeNotSatisfiable", "the range '\(range ?? "")' starts past the end of the \(size)-byte recording")
                .response(from: request, context: context)
            response.headers[.contentRange] = "bytes */\(size)"
            return response
        }
        let length = size == 0 ? 0 : bytes.count
        let offset = UInt64(bytes.lowerBound)
        // Streamed in pieces: an hour of call is over 100 MB.
        let body = ResponseBody(contentLength: length) { writer in
            guard let file = FileHandle(forReadingAtPath: path) else { throw APIError.notFound("noRecording", "the recording file is gone") }
            defer { try? file.close() }
            try file.seek(toOffset: offset)
            var left = length
            while left > 0 {
                let piece = try file.read(upToCount: min(left, 256 * 1024)) ?? Data()
                guard !piece.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: piece))
                left -= piece.count
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
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
}
