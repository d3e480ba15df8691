import Foundation
import Logging
import Synchronization
import SwitchboardCore

/// The call recordings kept under the data directory: `<data>/recordings/<session>/` holds
/// `recording.json` (what became of it), `recording.wav` once it is ready, and while the call
/// lasts the captures rtpengine made (`segment-N.pcap`). Plain files, so they survive restarts
/// and backups need nothing special; the JSON beside each file is the only index.
public final class RecordingLibrary: Sendable {
    /// `<data>/recordings`.
    public let directory: String
    let logger: Logger
    /// Recordings that failed to begin and whose failure could not be written to disk either
    /// (the library's folder unwritable, the disk full): kept here so the session's record still
    /// says the recording failed and why, for as long as this server runs.
    private let unwritten = Mutex<[String: Entry]>([:])

    /// What became of one session's recording, as kept in its `recording.json`.
    public struct Entry: Codable, Sendable, Equatable {
        /// `recording` while the call is captured, `ready` once the WAV is written, `failed`
        /// (with `reason`) when there is no audio to keep.
        public enum Status: String, Codable, Sendable, CaseIterable { case recording, ready, failed }

        public var sessionId: String
        public var callId: String
        public var status: Status
        public var reason: String?
        /// Milliseconds since 1970: when the agent answered (the capture began) and the call ended.
        public var startedAt: Int64
        public var endedAt: Int64?
        public var durationSeconds: Double?
        public var bytes: Int?
        /// rtpengine's carrier-facing port: captured packets sent to it are the caller's.
        public var callerPort: Int
        /// Capture files so far (a hold ends one; the unhold starts the next).
        public var segments: Int
        /// Audio packets heard from each side (a side that stayed silent shows 0).
        public var callerPackets: Int?
        public var agentPackets: Int?
    }

    /// Opens (creating) `<dataDirectory>/recordings`.
    public init(dataDirectory: String, logger: Logger) throws {
        directory = (dataDirectory as NSString).appendingPathComponent("recordings")
        self.logger = logger
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The folder of `session`; nil for an id that could name something outside the library.
    func folder(of session: SessionID) -> String? {
        let id = session.rawValue
        guard !id.isEmpty, !id.hasPrefix("."), id.utf8.count <= 128,
              id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else { return nil }
        return (directory as NSString).appendingPathComponent(id)
    }

    /// The WAV file of a ready recording.
    public func audioPath(of session: SessionID) -> String? {
        folder(of: session).map { ($0 as NSString).appendingPathComponent("recording.wav") }
    }

    /// The recording of `session`, if one was made or attempted.
    public func entry(of session: SessionID) -> Entry? {
        if let folder = folder(of: session),
           let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("recording.json")),
           let entry = try? JSONDecoder().decode(Entry.self, from: data) {
            return entry
        }
        return unwritten.withLock { $0[session.rawValue] }
    }

    /// Every recording, newest first.
    public func all() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var entries = Dictionary(names.compactMap { entry(of: SessionID($0)) }.map { ($0.sessionId, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, entry) in unwritten.withLock({ $0 }) where entries[id] == nil { entries[id] = entry }
        return entries.values.sorted { ($0.startedAt, $0.sessionId) > ($1.startedAt, $1.sessionId) }
    }

    /// Records that `session`'s call is being recorded from now on.
    func begin(_ session: SessionID, callId: String, callerPort: Int, at milliseconds: Int64) throws {
        guard let folder = folder(of: session) else { throw RecordingError("session id \(session) cannot name a recording folder") }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try save(Entry(sessionId: session.rawValue, callId: callId, status: .recording, startedAt: milliseconds, callerPort: callerPort, segments: 0))
    }

    /// Records that `session`'s call should have been recorded but its recording could not begin
    /// (`begin` threw, saying `reason`): a failed entry, written to disk where it still can be,
    /// else kept in memory, so the record never shows the recording silently missing.
    func failedToBegin(_ session: SessionID, callId: String, callerPort: Int, reason: String, at milliseconds: Int64) {
        let entry = Entry(sessionId: session.rawValue, callId: callId, status: .failed, reason: reason, startedAt: milliseconds,
                          endedAt: milliseconds, callerPort: callerPort, segments: 0)
        logger.warning("a call recording could not begin", metadata: ["session": "\(session)", "reason": "\(reason)"])
        if let folder = folder(of: session),
           (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil,
           (try? save(entry)) != nil {
            return
        }
        unwritten.withLock { $0[session.rawValue] = entry }
    }

    /// Marks the recording failed, saying why (it never silently goes missing).
    func fail(_ session: SessionID, reason: String, at milliseconds: Int64) {
        guard var entry = entry(of: session) else { return }
        entry.status = .failed
        entry.reason = reason
        entry.endedAt = entry.endedAt ?? milliseconds
        try? save(entry)
        logger.warning("a call recording failed", metadata: ["session": "\(session)", "reason": "\(reason)"])
    }

    /// Moves the capture files rtpengine closed for `callId` out of its spool into the session's
    /// folder. rtpengine names them `<call-id, URI-escaped>-<16 hex digits>.pcap`.
    func collectCaptures(of session: SessionID, callId: String, spool: String) {
        guard var entry = entry(of: session), let folder = folder(of: session) else { return }
        let prefix = Self.escaped(callId) + "-"
        let fileManager = FileManager.default
        let pcaps = (spool as NSString).appendingPathComponent("pcaps")
        let names = ((try? fileManager.contentsOfDirectory(atPath: pcaps)) ?? []).filter { Self.isCapture($0, prefix: prefix) }
        // Oldest first, so segment numbers follow the call.
        let ordered = names.sorted { modified(pcaps, $0) < modified(pcaps, $1) }
        for name in ordered {
            let target = (folder as NSString).appendingPathComponent("segment-\(entry.segments + 1).pcap")
            do {
                try fileManager.moveItem(atPath: (pcaps as NSString).appendingPathComponent(name), toPath: target)
                entry.segments += 1
            } catch {
                logger.warning("a recording capture could not be moved", metadata: ["session": "\(session)", "error": "\(error)"])
            }
        }
        // rtpengine's metadata files (the SDPs) are not needed: the WAV is made from the captures.
        let metadata = (spool as NSString).appendingPathComponent("metadata")
        for name in (try? fileManager.contentsOfDirectory(atPath: metadata)) ?? [] where name.hasPrefix("rtpengine-meta-" + prefix) {
            try? fileManager.removeItem(atPath: (metadata as NSString).appendingPathComponent(name))
        }
        try? save(entry)
    }

    /// Turns the session's captures into `recording.wav` and marks it ready, or failed saying why.
    /// Streams from the captures into the file (constant memory however long the call); it
    /// takes a moment for a long call, so callers run it on a thread of its own (`finishAside`).
    func finish(_ session: SessionID, at milliseconds: Int64) {
        guard var entry = entry(of: session), entry.status == .recording, let folder = folder(of: session) else { return }
        entry.endedAt = milliseconds
        do {
            let captures = stride(from: 1, through: entry.segments, by: 1)
                .map { (folder as NSString).appendingPathComponent("segment-\($0).pcap") }
                .filter { FileManager.default.fileExists(atPath: $0) }
            guard !captures.isEmpty else { throw RecordingError("rtpengine left no capture of this call") }
            let target = (folder as NSString).appendingPathComponent("recording.wav")
            let result = try RecordingMixer.mix(captures: captures, callerPort: entry.callerPort, into: target)
            entry.status = .ready
            entry.durationSeconds = (result.seconds * 100).rounded() / 100
            entry.bytes = result.bytes
            entry.callerPackets = result.callerPackets
            entry.agentPackets = result.agentPackets
            try save(entry)
            for capture in captures { try? FileManager.default.removeItem(atPath: capture) }
        } catch {
            try? save(entry)
            fail(session, reason: "\(error)", at: milliseconds)
        }
    }

    /// `finish` on the library's own thread: converting an hour of audio must not hold one of
    /// the concurrency pool's few threads (routing and every socket run there). Conversions run
    /// one at a time, so many calls ending together queue rather than start a thread each.
    func finishAside(_ session: SessionID, at milliseconds: Int64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Self.conversions.async { [self] in
                finish(session, at: milliseconds)
                continuation.resume()
            }
        }
    }

    /// Where conversions run.
    private static let conversions = DispatchQueue(label: "switchboard.recordings.conversions", qos: .utility)

    /// Recordings whose call was still being captured when the server stopped.
    func unfinished() -> [Entry] {
        all().filter { $0.status == .recording }
    }

    /// Deletes the recordings of calls that ended before `cutoff` (milliseconds since 1970).
    @discardableResult
    public func removeEnded(before cutoff: Int64) -> [String] {
        var removed: [String] = []
        for entry in all() where entry.status != .recording && (entry.endedAt ?? entry.startedAt) < cutoff {
            guard let folder = folder(of: SessionID(entry.sessionId)) else { continue }
            do {
                try FileManager.default.removeItem(atPath: folder)
                removed.append(entry.sessionId)
            } catch {
                logger.warning("an expired recording could not be deleted", metadata: ["session": "\(entry.sessionId)", "error": "\(error)"])
            }
        }
        if !removed.isEmpty { logger.info("expired recordings deleted", metadata: ["count": "\(removed.count)"]) }
        return removed
    }

    private func save(_ entry: Entry) throws {
        guard let folder = folder(of: SessionID(entry.sessionId)) else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(entry).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("recording.json")), options: .atomic)
    }

    private func modified(_ folder: String, _ name: String) -> Date {
        let attributes = try? FileManager.default.attributesOfItem(atPath: (folder as NSString).appendingPathComponent(name))
        return attributes?[.modificationDate] as? Date ?? .distantPast
    }

    /// `<prefix><16 hex digits>.pcap`: so call-id `a` never takes the captures of call-id `a-b`.
    static func isCapture(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix), name.hasSuffix(".pcap") else { return false }
        let middle = name.dropFirst(prefix.count).dropLast(5)
        return middle.count == 16 && middle.allSatisfy(\.isHexDigit)
    }

    /// The call-id as rtpengine escapes it for file names (glib's `g_uri_escape_string` with no
    /// reserved characters allowed: everything but letters, digits and `-._~` becomes `%XX`).
    static func escaped(_ callId: String) -> String {
        var out = ""
        for byte in callId.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, CharacterSet.alphanumerics.contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
