import Crypto
import Foundation

/// The carrier legs Switchboard has answered or placed and not yet hung up, kept on disk so that a
/// server killed mid-call can hang them up when it starts again: the carrier must never be left
/// holding a call with nobody on it.
///
/// One small file per leg in `<data>/phone-legs/`, written and fsynced before the leg's 200 OK goes
/// out (inbound) or as soon as the callee's 200 OK is ACKed (outbound), and removed once it is
/// hung up. A crash between
/// writing and answering leaves a record of a call the carrier never connected; its BYE is simply
/// refused by the carrier (481), which is harmless.
struct CarrierLegLedger: Sendable {
    /// What it takes to send BYE in a dialog, as RFC 3261 §12 keeps it.
    struct Leg: Codable, Equatable, Sendable {
        var sessionId: String
        var callId: String
        var localURI: String
        var remoteURI: String
        var remoteTarget: String
        var routeSet: [String]
        var localCSeq: UInt32
        /// Where requests go: the trunk address the call came from or went to.
        var peerHost: String
        var peerPort: Int
    }

    let directory: URL

    init(dataDirectory: String) throws {
        directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("phone-legs", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Records a leg durably (write, fsync, rename, fsync the directory).
    func save(_ leg: Leg) throws {
        let data = try JSONEncoder().encode(leg)
        let final = file(for: leg.callId)
        let temporary = final.appendingPathExtension("tmp")
        // The owner's only: a leg names the caller and the called number.
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        if rename(temporary.path, final.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path])
        }
        let directoryHandle = open(directory.path, O_RDONLY)
        if directoryHandle >= 0 {
            fsync(directoryHandle)
            close(directoryHandle)
        }
    }

    /// Forgets a leg once it is hung up.
    func remove(callId: String) {
        try? FileManager.default.removeItem(at: file(for: callId))
    }

    /// Every leg left over from before this start (files that cannot be read are removed: they
    /// were cut short by a crash before their call was answered).
    func leftovers() -> [Leg] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var legs: [Leg] = []
        for name in names.sorted() {
            let url = directory.appendingPathComponent(name)
            guard name.hasSuffix(".json"), let data = try? Data(contentsOf: url), let leg = try? JSONDecoder().decode(Leg.self, from: data) else {
                try? FileManager.default.removeItem(at: url)
                continue
            }
            legs.append(leg)
        }
        return legs
    }

    private func file(for callId: String) -> URL {
        // Call-IDs are chosen by the carrier: the name is their hash, safe and one per call.
        let digest = SHA256.hash(data: Data(callId.utf8)).map { String(format: "%02x", $0) }.joined()
        return directory.appendingPathComponent(digest + ".json")
    }
}
