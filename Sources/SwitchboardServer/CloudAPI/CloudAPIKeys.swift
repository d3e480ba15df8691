import Crypto
import Foundation
import SwitchboardCore
import SwitchboardStore

/// The TCCC server API's key pairs: created, listed and revoked by the admin API, looked up by
/// the signature check.
///
/// A SecretKey has to be read back to recompute an HMAC, so it cannot be stored hashed like a
/// password. It is sealed (ChaCha20-Poly1305) with a key derived from the server's signing
/// secret, which lives in `secrets.json` (0600) or the configuration and never in the database:
/// a copy of the database alone signs nothing. The SecretId and tenant are the sealed box's
/// authenticated data, so a sealed key moved to another row does not open.
public struct CloudAPIKeys: Sendable {
    /// A key as the admin API shows it; `secretKey` only in the answer that created it.
    public struct Issued: Sendable {
        public var stored: StoredAPIKey
        public var secretKey: String
    }

    private let store: any RoutingStore
    private let sealer: SecretSealer
    private let clock: @Sendable () -> Timestamp

    init(store: any RoutingStore, signingSecret: String, clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.clock = clock
        sealer = SecretSealer(signingSecret: signingSecret, purpose: "switchboard/tccc-api-key-secrets/v1")
    }

    /// A new key pair for the tenant: `AKID` and 32 letters and digits, as Tencent's SecretIds
    /// look (tools that check the shape accept it), and a 32-character SecretKey.
    public func create(sdkAppId: Int64, description: String?) async throws -> Issued {
        for _ in 0..<3 {
            let secretId = "AKID" + Self.randomAlphanumeric(32)
            let secretKey = Self.randomAlphanumeric(32)
            let stored = StoredAPIKey(
                secretId: secretId, sdkAppId: sdkAppId, sealedSecretKey: try seal(secretKey, secretId: secretId, sdkAppId: sdkAppId),
                description: description, createdAt: clock())
            if try await store.createAPIKey(stored) { return Issued(stored: stored, secretKey: secretKey) }
        }
        // 190 bits of randomness colliding three times means the generator is broken.
        throw ConfigurationError("could not draw an unused SecretId")
    }

    /// The tenant's keys, oldest first, without their SecretKeys.
    public func list(sdkAppId: Int64) async throws -> [StoredAPIKey] { try await store.apiKeys(sdkAppId: sdkAppId) }

    /// Revokes one of the tenant's keys; false when the tenant has no such key.
    public func revoke(secretId: String, sdkAppId: Int64) async throws -> Bool {
        try await store.deleteAPIKey(secretId: secretId, sdkAppId: sdkAppId)
    }

    /// The tenant and SecretKey of a SecretId; nil when unknown, revoked, or sealed under another
    /// signing secret (which the error the caller gets cannot tell apart, on purpose).
    func secret(of secretId: String) async throws -> (sdkAppId: Int64, secretKey: String)? {
        guard let stored = try await store.apiKey(secretId: secretId) else { return nil }
        guard let secretKey = open(stored.sealedSecretKey, secretId: stored.secretId, sdkAppId: stored.sdkAppId) else { return nil }
        return (stored.sdkAppId, secretKey)
    }

    private func seal(_ secretKey: String, secretId: String, sdkAppId: Int64) throws -> String {
        try sealer.seal(secretKey, owner: Self.owner(secretId, sdkAppId))
    }

    private func open(_ sealed: String, secretId: String, sdkAppId: Int64) -> String? {
        sealer.open(sealed, owner: Self.owner(secretId, sdkAppId))
    }

    /// The sealed box's authenticated data: the key's tenant and SecretId.
    private static func owner(_ secretId: String, _ sdkAppId: Int64) -> String { "\(sdkAppId)/\(secretId)" }

    private static func randomAlphanumeric(_ count: Int) -> String { SecretSealer.randomAlphanumeric(count) }
}
