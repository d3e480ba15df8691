import Foundation

/// A tenant hosted beside the primary one: its SdkAppId, a name for people, and when it was
/// created. Kept as `tenant.json` in the tenant's own directory (`<data>/tenants/<SdkAppId>/`),
/// written last when the tenant is created, so a directory without it is a creation that did
/// not finish.
public struct TenantRecord: Codable, Sendable, Equatable {
    public var sdkAppId: Int64
    public var name: String
    /// Milliseconds since 1970.
    public var createdAt: Int64

    /// The range TCCC's SdkAppIds come from, as `--sdk-app-id` checks it.
    static let sdkAppIds: ClosedRange<Int64> = 1...Int64(UInt32.max)

    /// Checks a new tenant's fields, naming the one that is wrong.
    static func validate(sdkAppId: Int64, name: String) throws(APIError) {
        guard sdkAppIds.contains(sdkAppId) else {
            throw APIError.invalid("field 'sdkAppId' must be 1 to \(UInt32.max), not \(sdkAppId)")
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, name.count <= 128, trimmed == name else {
            throw APIError.invalid("field 'name' must be 1 to 128 characters without leading or trailing spaces, not '\(name.prefix(140))'")
        }
        guard !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw APIError.invalid("field 'name' must not contain control characters")
        }
    }
}

/// Where hosted tenants live under the primary tenant's data directory.
struct TenantLayout: Sendable {
    /// `<data>/tenants`.
    let root: URL

    init(primaryDataDirectory: String) {
        root = URL(fileURLWithPath: primaryDataDirectory).appendingPathComponent("tenants", isDirectory: true)
    }

    func directory(of sdkAppId: Int64) -> URL { root.appendingPathComponent(String(sdkAppId), isDirectory: true) }
    func recordFile(of sdkAppId: Int64) -> URL { directory(of: sdkAppId).appendingPathComponent("tenant.json") }

    /// The tenants whose creation finished, in SdkAppId order. A directory without `tenant.json`
    /// (a creation cut short) is reported to `skipped` and left alone.
    func records(skipped: (String) -> Void) throws -> [TenantRecord] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else { return [] }
        var records: [TenantRecord] = []
        // Dot names are this layout's own: directories moved aside, files being written.
        for name in try manager.contentsOfDirectory(atPath: root.path).sorted() where !name.hasPrefix(".") {
            guard let id = Int64(name), String(id) == name else {
                skipped("\(root.path)/\(name) is not named by an SdkAppId")
                continue
            }
            guard manager.fileExists(atPath: recordFile(of: id).path) else {
                skipped("\(directory(of: id).path) has no tenant.json: its creation did not finish")
                continue
            }
            // There but unreadable (permissions, a failing disk): the tenant exists and cannot open.
            guard let data = manager.contents(atPath: recordFile(of: id).path) else {
                throw ConfigurationError("\(recordFile(of: id).path) cannot be read; fix its permissions or the disk")
            }
            let record: TenantRecord
            do { record = try JSONDecoder().decode(TenantRecord.self, from: data) } catch {
                throw ConfigurationError("\(recordFile(of: id).path) is not a readable tenant record (\(error)); fix or remove it")
            }
            guard record.sdkAppId == id else {
                throw ConfigurationError("\(recordFile(of: id).path) names SdkAppId \(record.sdkAppId), not \(id), the directory's name")
            }
            records.append(record)
        }
        return records
    }

    /// Writes the record durably: a temporary file, flushed, renamed over, and the directory
    /// flushed, so a crash leaves either no record or the whole one.
    func write(_ record: TenantRecord) throws {
        let file = recordFile(of: record.sdkAppId)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".tenant.json.tmp")
        let data = try JSONEncoder().encode(record)
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("cannot write \(temporary.path)")
        }
        try Self.flush(temporary.path)
        guard rename(temporary.path, file.path) == 0 else {
            throw ConfigurationError("cannot rename \(temporary.path) to \(file.path): errno \(errno)")
        }
        try Self.flush(file.deletingLastPathComponent().path)
        try Self.flush(root.path)
    }

    private static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ConfigurationError("cannot open \(path) to flush it: errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw ConfigurationError("cannot flush \(path): errno \(errno)") }
    }
}
