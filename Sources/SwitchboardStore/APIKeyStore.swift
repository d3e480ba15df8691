import SwitchboardCore

/// The key pairs (SecretId / SecretKey) that sign requests to the TCCC server API
/// (`docs/tccc-migration.md`). Each belongs to one tenant, named by its `SdkAppId`, so a key can
/// only ever be checked against its own tenant's requests.
///
/// The SecretKey must be readable again to verify an HMAC, so it cannot be hashed as passwords
/// are; the store keeps it sealed (encrypted by the server with a key the database does not
/// hold) and never sees it in the clear. Every write is one committed transaction.
public protocol APIKeyStore: Sendable {
    /// Stores a new key; false (nothing written) when its SecretId is already taken.
    func createAPIKey(_ key: StoredAPIKey) async throws -> Bool

    /// The key with this SecretId, whatever its tenant; nil when unknown or revoked.
    func apiKey(secretId: String) async throws -> StoredAPIKey?

    /// The tenant's keys, oldest first.
    func apiKeys(sdkAppId: Int64) async throws -> [StoredAPIKey]

    /// Revokes (deletes) the tenant's key; true if it existed. Requests signed with it are
    /// refused from the moment this returns.
    @discardableResult
    func deleteAPIKey(secretId: String, sdkAppId: Int64) async throws -> Bool
}

/// A key pair as stored: the SecretKey sealed.
public struct StoredAPIKey: Equatable, Sendable {
    /// The public half, sent in every request's `Authorization` header.
    public var secretId: String
    /// The tenant the key acts for.
    public var sdkAppId: Int64
    /// The SecretKey, sealed by the server (opaque here).
    public var sealedSecretKey: String
    /// What the key is for, as its creator said.
    public var description: String?
    /// When it was created.
    public var createdAt: Timestamp

    /// Creates a stored key.
    public init(secretId: String, sdkAppId: Int64, sealedSecretKey: String, description: String?, createdAt: Timestamp) {
        self.secretId = secretId
        self.sdkAppId = sdkAppId
        self.sealedSecretKey = sealedSecretKey
        self.description = description
        self.createdAt = createdAt
    }
}
