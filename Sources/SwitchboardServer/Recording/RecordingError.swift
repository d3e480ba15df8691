/// Why a recording could not be made or turned into audio, for the session's record and the log.
struct RecordingError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}
