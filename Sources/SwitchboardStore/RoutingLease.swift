/// A store several server processes share, where one of them at a time holds the routing lease
/// and is the only one whose writes commit (PostgreSQL; SQLite serves one process only).
///
/// The lease is one row: an epoch that grows with every takeover, the holder, the address it is
/// reached at, and an expiry by the database's clock (no two machines' clocks are compared).
/// A node that takes the lease fences the store with its epoch: from then on every write
/// transaction first locks the lease row and checks the epoch is still its own, so once another
/// node has taken over, whatever the old holder still tries to write is rolled back with
/// ``StoreError/Code/fenced`` and never acknowledged, even if the old holder was paused and does
/// not know yet that its lease ran out.
public protocol RoutingLeaseStore: Sendable {
    /// Takes the lease for `node` if it has expired (or was never taken), and fences this store
    /// with the new epoch. Returns the epoch taken, or nil when another node holds a live lease.
    func tryAcquireLease(node: String, address: String?, durationMilliseconds: Int64) async throws -> Int64?

    /// Extends the lease this store holds by `durationMilliseconds` from now (the database's
    /// now). Throws ``StoreError/Code/fenced`` when another node has taken it.
    func renewLease(durationMilliseconds: Int64) async throws

    /// Who holds the lease now, as the database sees it.
    func leaseView() async throws -> RoutingLeaseView

    /// Gives the lease up at once (a graceful shutdown), so a standby need not wait for it to
    /// expire. Writes after it are refused as fenced.
    func releaseLease() async throws

    /// The secrets every node must share (the admin API key, the signing secret of tokens and
    /// customer links): read from the store, or created from `generate` by the first node that
    /// asks, once, whoever asks at the same time. `createdNow` is true for that first caller.
    func sharedSecrets(generate: @Sendable () -> SharedSecrets) async throws -> (secrets: SharedSecrets, createdNow: Bool)
}

/// The secrets kept in a shared store.
public struct SharedSecrets: Sendable, Equatable {
    public var adminAPIKey: String
    public var signingSecret: String

    public init(adminAPIKey: String, signingSecret: String) {
        self.adminAPIKey = adminAPIKey
        self.signingSecret = signingSecret
    }
}

/// The lease row as the database sees it at one moment.
public struct RoutingLeaseView: Sendable, Equatable {
    /// Grows by one with every takeover; 0 before any node took it.
    public var epoch: Int64
    /// The node holding (or that last held) it.
    public var holder: String?
    /// Where that node is reached (`--advertise-url`).
    public var address: String?
    /// Milliseconds until it expires; 0 or less when it has.
    public var expiresInMilliseconds: Int64
    /// The last journal entry committed under it.
    public var lastSequence: Int64

    public init(epoch: Int64, holder: String?, address: String?, expiresInMilliseconds: Int64, lastSequence: Int64) {
        self.epoch = epoch
        self.holder = holder
        self.address = address
        self.expiresInMilliseconds = expiresInMilliseconds
        self.lastSequence = lastSequence
    }

    /// True while the holder's lease runs.
    public var isLive: Bool { expiresInMilliseconds > 0 }
}
