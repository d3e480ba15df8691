import Foundation
import Logging

/// The data directory: the database, `secrets.json`, the demo logins, the phone ledger and
/// rtpengine's files. Everything in it is for the server's user only.
public enum DataDirectory {
    /// Creates `path` (and missing parents) readable by its owner only (0700). An existing
    /// directory keeps its mode, which is the operator's choice, but one that other users can
    /// enter gets a warning, because it holds password hashes and the signing secret.
    /// - Returns: the directory's mode.
    @discardableResult
    public static func prepare(_ path: String, logger: Logger) throws -> Int {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let mode = (try manager.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            logger.warning(
                "the data directory can be read by other users; it holds password hashes and the signing secret",
                metadata: ["path": "\(path)", "mode": "\(String(mode, radix: 8))", "fix": "chmod 700 \(path)"])
        }
        return mode
    }
}
