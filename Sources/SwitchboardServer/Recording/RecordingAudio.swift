import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// A session's recording as an HTTP answer, for the admin API and for the agent who handled the
/// call alike: the WAV whole or the byte range a browser's audio element asks for while seeking.
enum RecordingAudio {
    /// The audio of `session`'s recording, or the error that says why there is none (yet).
    static func response(of session: SessionID, request: Request, context: ServerRequestContext, server: ServerComponents) throws -> Response {
        guard let entry = server.recordings.entry(of: session) else {
            throw APIError.notFound("noRecording", "session \(session) was not recorded (calls are recorded by their skill group's recordCalls or their number's record)")
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
