import Crypto
import Foundation
import SwitchboardStore

/// The admin API key and the signing secret, from the configuration or, when not given, from
/// `secrets.json` in the data directory (created on first start, readable by its owner only),
/// so tokens and customer links stay valid across restarts.
public struct ServerSecrets: Sendable {
    /// The admin API key (`Authorization: Bearer ...` or `X-API-Key`).
    public var adminAPIKey: String
    /// Signs agent tokens and customer session secrets.
    public var signingSecret: String
    /// True when `secrets.json` was created by this start: its generated admin key has not been
    /// shown to anyone yet (the first start prints it once; later ones point to the file).
    public var createdNow = false

    private struct File: Codable {
        var adminAPIKey: String
        var signingSecret: String
    }

    /// Loads or creates the secrets for a configuration.
    public static func load(for configuration: ServerConfiguration) throws -> ServerSecrets {
        let path = (configuration.dataDirectory as NSString).appendingPathComponent("secrets.json")
        let manager = FileManager.default
        var file: File
        var createdNow = false
        if let data = manager.contents(atPath: path) {
            do {
                file = try JSONDecoder().decode(File.self, from: data)
            } catch {
                throw ConfigurationError("\(path) is not readable JSON with adminAPIKey and signingSecret (\(error)); fix or delete it")
            }
        } else {
            file = File(adminAPIKey: "sbk_" + randomToken(bytes: 24), signingSecret: randomToken(bytes: 48))
            try manager.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let data = try JSONEncoder().encode(file)
            guard manager.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw ConfigurationError("cannot write \(path); is the data directory writable?")
            }
            createdNow = true
        }
        return ServerSecrets(
            adminAPIKey: configuration.adminAPIKey ?? file.adminAPIKey,
            signingSecret: configuration.signingSecret ?? file.signingSecret,
            createdNow: createdNow)
    }

    /// Loads the secrets every node shares from a shared store (several nodes on PostgreSQL:
    /// tokens one node signed must verify on the next leader). The first node to ask creates them:
    /// from `--api-key` / `--signing-secret` when given, else from this data directory's
    /// `secrets.json` (a single server moved onto the shared store keeps its admin key and its
    /// signed tokens valid), else new random ones. A node given a key or secret that differs from
    /// the shared one is refused: after a failover its clients' keys or tokens would stop working.
    public static func load(for configuration: ServerConfiguration, shared store: any RoutingLeaseStore) async throws -> ServerSecrets {
        let path = (configuration.dataDirectory as NSString).appendingPathComponent("secrets.json")
        let existing = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(File.self, from: $0) }
        let (shared, createdNow) = try await store.sharedSecrets {
            SharedSecrets(
                adminAPIKey: configuration.adminAPIKey ?? existing?.adminAPIKey ?? "sbk_" + randomToken(bytes: 24),
                signingSecret: configuration.signingSecret ?? existing?.signingSecret ?? randomToken(bytes: 48))
        }
        if let given = configuration.adminAPIKey, !constantTimeEquals(given, shared.adminAPIKey) {
            throw ConfigurationError("--api-key differs from the admin API key the nodes on this database share: give every node the same one, or none (each then uses the shared one)")
        }
        if let given = configuration.signingSecret, !constantTimeEquals(given, shared.signingSecret) {
            throw ConfigurationError("--signing-secret differs from the one the nodes on this database share (tokens signed by one leader must verify on the next): give every node the same one, or none")
        }
        return ServerSecrets(
            adminAPIKey: shared.adminAPIKey, signingSecret: shared.signingSecret,
            createdNow: createdNow && existing == nil && configuration.adminAPIKey == nil)
    }

    /// Random bytes as URL-safe base64 without padding.
    static func randomToken(bytes: Int) -> String {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: bytes * 8))
        return key.withUnsafeBytes { Data($0) }.base64URLEncoded()
    }
}

extension Data {
    /// URL-safe base64 without padding, for tokens that travel in URLs and headers.
    func base64URLEncoded() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Compares secrets in time independent of where they differ.
func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let a = Array(lhs.utf8), b = Array(rhs.utf8)
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
