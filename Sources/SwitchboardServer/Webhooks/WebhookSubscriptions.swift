import Crypto
import Foundation
import SwitchboardCore
import SwitchboardStore

/// Webhook subscriptions as the admin API manages them, with their signing secrets sealed.
///
/// The worker must read a secret back to sign with it, so it cannot be hashed; like the TCCC API
/// keys (`CloudAPIKeys`) it is sealed (ChaCha20-Poly1305) with a key derived from the server's
/// signing secret, which is not in the database, and the subscription id is the sealed box's
/// authenticated data. A secret is shown once: in the answer that created (or rotated) it.
public struct WebhookSubscriptions: Sendable {
    /// A subscription and, when it was just made or rotated, its secret in the clear.
    public struct Issued: Sendable {
        public var stored: StoredWebhook
        public var secret: String?
    }

    private let store: any RoutingStore
    private let sealer: SecretSealer
    private let clock: @Sendable () -> Timestamp

    init(store: any RoutingStore, signingSecret: String, clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.clock = clock
        sealer = SecretSealer(signingSecret: signingSecret, purpose: "switchboard/webhook-secrets/v1")
    }

    /// A new subscription; `secret` nil draws one (`whsec_` and 32 letters and digits).
    public func create(url: String, kinds: [WebhookEventKind], secret: String?, description: String?, paused: Bool = false) async throws -> Issued {
        let secret = secret ?? Self.newSecret()
        let now = clock()
        for _ in 0..<3 {
            let id = "wh_" + Self.randomAlphanumeric(20)
            let stored = StoredWebhook(
                id: id, url: url, kinds: kinds, sealedSecret: try seal(secret, id: id), description: description, createdAt: now, updatedAt: now,
                paused: paused)
            if try await store.createWebhook(stored) { return Issued(stored: stored, secret: secret) }
        }
        throw ConfigurationError("could not draw an unused webhook id")
    }

    /// Changes what is given; a new `secret` (or `rotate`, which draws one) replaces the old one
    /// at once: deliveries sent from then on are signed with it. Nil when there is no such subscription.
    public func update(
        _ id: String, url: String?, kinds: [WebhookEventKind]?, secret: String?, rotate: Bool, description: String??, paused: Bool? = nil
    ) async throws -> Issued? {
        guard var stored = try await store.webhook(id: id) else { return nil }
        if let url { stored.url = url }
        if let kinds { stored.kinds = kinds }
        if let description { stored.description = description }
        if let paused { stored.paused = paused }
        let newSecret = secret ?? (rotate ? Self.newSecret() : nil)
        if let newSecret { stored.sealedSecret = try seal(newSecret, id: id) }
        stored.updatedAt = clock()
        guard try await store.updateWebhook(stored) else { return nil }
        return Issued(stored: stored, secret: secret == nil ? newSecret : nil)
    }

    public func list() async throws -> [StoredWebhook] { try await store.webhooks() }

    public func find(_ id: String) async throws -> StoredWebhook? { try await store.webhook(id: id) }

    public func delete(_ id: String) async throws -> Bool { try await store.deleteWebhook(id: id) }

    /// The secret a delivery of subscription `id` is signed with; nil when sealed under another
    /// signing secret (the server's was changed: rotate the webhook's secret).
    func secret(sealed: String, id: String) -> String? { sealer.open(sealed, owner: id) }

    private func seal(_ secret: String, id: String) throws -> String { try sealer.seal(secret, owner: id) }

    static func newSecret() -> String { "whsec_" + randomAlphanumeric(32) }

    private static func randomAlphanumeric(_ count: Int) -> String { SecretSealer.randomAlphanumeric(count) }
}
