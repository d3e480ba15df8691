import SwitchboardCore

/// Supervisor accounts, their password hashes, their sign-in sessions and their login locks: the
/// people who sign in to the supervisor page, as opposed to agents (who are routing state and
/// live in the journal). `RoutingStore` refines this protocol, so every backend keeps both and the
/// contract tests in `SupervisorContractTests` run against each.
///
/// A sign-in session is stored by the hash of its secret, never the secret itself: whoever reads
/// the database cannot use what is there to sign in. Every method that writes does so in one
/// transaction and returns after it is committed.
public protocol SupervisorStore: Sendable {
    /// Creates the account or replaces its name and role (an existing account keeps its creation
    /// time and, unless `passwordHash` is given, its password). With `passwordHash`, also sets the
    /// password and ends every sign-in session of the account. Creating an account lifts a login
    /// lock left on its id (guessed at before it existed), as creating an agent does.
    @discardableResult
    func saveSupervisor(
        _ id: SupervisorID, name: String, role: SupervisorRole, passwordHash: String?, at time: Timestamp
    ) async throws -> SavedSupervisor

    /// One account; nil when unknown.
    func supervisor(_ id: SupervisorID) async throws -> SupervisorAccount?

    /// Every account, by id.
    func supervisors() async throws -> [SupervisorAccount]

    /// Deletes the account with its password, its sign-in sessions and its login lock; true if
    /// it existed. An account created later under the id inherits none of them.
    @discardableResult
    func deleteSupervisor(_ id: SupervisorID) async throws -> Bool

    /// Sets the account's password hash and ends every sign-in session of the account; false
    /// (and nothing written) when the account does not exist.
    @discardableResult
    func setSupervisorPasswordHash(_ hash: String, for id: SupervisorID) async throws -> Bool

    /// The account's password hash; nil for an unknown account and for one without a password.
    func supervisorPasswordHash(for id: SupervisorID) async throws -> String?

    /// Stores a new sign-in session, only if its account's password hash is still
    /// `verifiedHash`: a password changed (or an account deleted) while the sign-in was being
    /// checked must not let it in. False (nothing written) otherwise.
    func createSupervisorSession(_ session: NewSupervisorSession, verifiedHash: String) async throws -> Bool

    /// The session with this secret hash and the account it belongs to (as the account is now:
    /// a changed role applies at once); nil when unknown or ended.
    func supervisorSession(tokenHash: String) async throws -> StoredSupervisorSession?

    /// Moves the session's last use forward to `time` (never back).
    func touchSupervisorSession(tokenHash: String, at time: Timestamp) async throws

    /// Ends one session (signing out); true if it existed.
    @discardableResult
    func deleteSupervisorSession(tokenHash: String) async throws -> Bool

    /// Ends every session last used before `lastUsedBefore` or created before `createdBefore`
    /// (the idle and absolute lifetimes ran out); returns how many.
    @discardableResult
    func deleteSupervisorSessions(lastUsedBefore: Timestamp, createdBefore: Timestamp) async throws -> Int

    /// Locks the id's password sign-ins (too many failures) until ``unlockSupervisorLogins(of:)``;
    /// locking again keeps the first time and the larger count. Kept for ids without an account
    /// too, so unknown ids behave like known ones; survives restarts.
    func lockSupervisorLogins(of id: SupervisorID, at time: Timestamp, failures: Int) async throws

    /// The id's login lock, if its password sign-ins are locked.
    func supervisorLoginLock(of id: SupervisorID) async throws -> LoginLock?

    /// Lifts the id's login lock; true if there was one.
    @discardableResult
    func unlockSupervisorLogins(of id: SupervisorID) async throws -> Bool
}

/// Identifies a supervisor account (the `userId` it signs in with).
public struct SupervisorID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// What a supervisor account may do. `admin` may do everything the API key may; `supervisor`
/// watches and intervenes (live views, records, ending sessions, agent statuses) but changes no
/// configuration and no credentials. Ordered: a role includes every role below it.
public enum SupervisorRole: String, Codable, CaseIterable, Comparable, Sendable {
    case supervisor
    case admin

    private var rank: Int { self == .admin ? 1 : 0 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// A supervisor account as stored.
public struct SupervisorAccount: Equatable, Sendable {
    /// The id it signs in with.
    public var id: SupervisorID
    /// The name the page shows.
    public var name: String
    /// What it may do.
    public var role: SupervisorRole
    /// Whether a password is set; an account without one cannot sign in.
    public var hasPassword: Bool
    /// When it was created.
    public var createdAt: Timestamp

    /// Creates an account value.
    public init(id: SupervisorID, name: String, role: SupervisorRole, hasPassword: Bool, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.role = role
        self.hasPassword = hasPassword
        self.createdAt = createdAt
    }
}

/// What ``SupervisorStore/saveSupervisor(_:name:role:passwordHash:at:)`` did.
public struct SavedSupervisor: Equatable, Sendable {
    /// The account as stored now.
    public var account: SupervisorAccount
    /// True when the account did not exist before.
    public var created: Bool

    /// Creates a result.
    public init(account: SupervisorAccount, created: Bool) {
        self.account = account
        self.created = created
    }
}

/// A sign-in session to store.
public struct NewSupervisorSession: Sendable {
    /// The SHA-256 of the session's secret, in hex; the secret itself is only in the cookie.
    public var tokenHash: String
    /// The account it signs in.
    public var supervisorId: SupervisorID
    /// When it was created; with the last use, what its lifetimes count from.
    public var createdAt: Timestamp

    /// Creates a session to store.
    public init(tokenHash: String, supervisorId: SupervisorID, createdAt: Timestamp) {
        self.tokenHash = tokenHash
        self.supervisorId = supervisorId
        self.createdAt = createdAt
    }
}

/// A stored sign-in session with its account.
public struct StoredSupervisorSession: Equatable, Sendable {
    /// The account, as it is now.
    public var account: SupervisorAccount
    /// When the session was created.
    public var createdAt: Timestamp
    /// When it was last used (as last recorded).
    public var lastUsedAt: Timestamp

    /// Creates a stored session value.
    public init(account: SupervisorAccount, createdAt: Timestamp, lastUsedAt: Timestamp) {
        self.account = account
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
