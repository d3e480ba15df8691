import HummingbirdBcrypt
import SwitchboardCore
import SwitchboardStore

/// Password logins a hostile internet cannot abuse: bcrypt on its own threads with a bounded
/// queue, the same work for unknown user ids as for known ones, growing waits per user id and per
/// address, and a durable lock an admin lifts. See docs/security.md.
extension AgentAuthenticator {
    /// A bcrypt hash, of the same cost as real ones, of a password no agent has: checked for user
    /// ids without a usable hash, so they cost what known ones cost and answer as late.
    static let unknownUserHash = "$2b$10$b9iO4WmRG189OkarUWvK7ejHsQ/Os7Q3g05DAZzwGXZxcdyw0BYUi"

    /// Checks an agent's password, from a client at `address`; throws what the person should do
    /// when the login is refused. A refusal before the check (a wait, a lock, a full queue)
    /// changes nothing; a wrong password counts as a failure for the user id and the address.
    public func login(password: String, for agent: AgentID, from address: String) async throws(AuthenticationFailure) {
        _ = try await checkPassword(password, of: .agent(agent, in: store), from: address)
    }

    /// Checks a password of any kind of account (agents, supervisors) with the same rules: the
    /// throttle's waits and locks, bcrypt on the pool, the dummy hash for ids without a usable
    /// one. Returns the hash that matched, so a caller can store what it grants only while that
    /// hash is still the account's.
    func checkPassword(_ password: String, of account: PasswordAccount, from address: String) async throws(AuthenticationFailure) -> String {
        let key = account.throttleKey
        switch throttle.withLock({ $0.admit(account: key, address: address, now: clock()) }) {
        case .allowed:
            break
        case .wait(let seconds, .account):
            throw AuthenticationFailure("too many failed logins for user '\(account.userId)'; retry in \(seconds) s", reason: .tooManyAttempts, retryAfterSeconds: seconds)
        case .wait(let seconds, .address):
            throw AuthenticationFailure("too many failed logins from this address; retry in \(seconds) s", reason: .tooManyAttempts, retryAfterSeconds: seconds)
        case .locked:
            throw Self.lockedFailure(account.userId)
        }

        // Unknown ids read the same rows and check the dummy hash, so they take as long.
        let hash: String?
        let lock: LoginLock?
        do {
            hash = try await account.readHash()
            lock = try await account.readLock()
        } catch {
            throttle.withLock { $0.withdraw(account: key, address: address) }
            throw AuthenticationFailure("could not check the password (\(error)); try again", reason: .unavailable)
        }
        if lock != nil {
            throttle.withLock { $0.withdraw(account: key, address: address) }
            throw Self.lockedFailure(account.userId)
        }
        let usableHash = hash.flatMap { $0.hasPrefix("$2") ? $0 : nil }
        let verifyHash = self.verifyHash
        let matched: Bool
        do {
            matched = try await hashing.run {
                verifyHash(password, usableHash ?? Self.unknownUserHash) && usableHash != nil
            }
        } catch {
            throttle.withLock { $0.withdraw(account: key, address: address) }
            throw AuthenticationFailure(
                "too many logins in progress; retry in \(error.retryAfterSeconds) s", reason: .tooManyAttempts,
                retryAfterSeconds: error.retryAfterSeconds)
        }

        let now = clock()
        switch throttle.withLock({ $0.finish(account: key, address: address, succeeded: matched, now: now) }) {
        case .succeeded:
            guard let usableHash else { throw AuthenticationFailure("wrong user id or password", reason: .wrongCredentials) }
            return usableHash
        case .failed(let retryAfter) where retryAfter > 0:
            throw AuthenticationFailure("wrong user id or password; retry in \(retryAfter) s", reason: .wrongCredentials, retryAfterSeconds: retryAfter)
        case .failed:
            throw AuthenticationFailure("wrong user id or password", reason: .wrongCredentials)
        case .lockedNow(let failures):
            // Stored for unknown ids too: the same write, and the same lock after a restart.
            try? await account.storeLock(now, failures)
            throw AuthenticationFailure("wrong user id or password; \(Self.lockedFailure(account.userId).description)", reason: .locked)
        }
    }

    private static func lockedFailure(_ userId: String) -> AuthenticationFailure {
        AuthenticationFailure(
            "too many failed logins for user '\(userId)': its password logins are locked; ask an administrator to unlock them", reason: .locked)
    }

    /// Hashes and stores an agent's password.
    public func setPassword(_ password: String, for agent: AgentID) async throws {
        try await store.setPasswordHash(try await hashPassword(password), for: agent)
    }

    /// A bcrypt hash of `password`. The hashing waits its turn on the bcrypt threads and is never
    /// refused: only an admin sets passwords.
    func hashPassword(_ password: String) async throws -> String {
        try await hashing.run(bounded: false) { Bcrypt.hash(password, cost: Self.bcryptCost) }
    }

    /// What an admin sees of an agent's password logins.
    public struct LoginLockState: Sendable {
        /// Whether password logins are locked until an admin unlocks them.
        public var locked: Bool
        /// Since when, if locked.
        public var lockedAt: Timestamp?
        /// Failed logins counted now (in the failure window, or up to the lock).
        public var recentFailures: Int
        /// Seconds the next attempt has to wait, if it has to.
        public var retryAfterSeconds: Int?
    }

    /// The agent's lock and recent failures.
    public func loginLockState(of agent: AgentID) async throws -> LoginLockState {
        try await loginLockState(of: .agent(agent, in: store))
    }

    /// An account's lock (stored, or counted and not stored yet) and recent failures.
    func loginLockState(of account: PasswordAccount) async throws -> LoginLockState {
        let stored = try await account.readLock()
        let counted = throttle.withLock { $0.state(of: account.throttleKey, now: clock()) }
        let locked = stored != nil || counted.locked
        return LoginLockState(
            locked: locked, lockedAt: stored?.lockedAt ?? counted.lockedSince,
            recentFailures: max(counted.failures, stored?.failures ?? 0),
            retryAfterSeconds: locked ? nil : counted.retryAfterSeconds)
    }

    /// Forgets failures counted against an id before its agent was created (the store drops a
    /// stored lock with the `createAgent` it journals).
    func forgetLoginFailures(of agent: AgentID) {
        forgetLoginFailures(of: .agent(agent, in: store))
    }

    /// Forgets the failures counted against an account's id (not its address's).
    func forgetLoginFailures(of account: PasswordAccount) {
        throttle.withLock { $0.reset(account: account.throttleKey) }
    }

    /// Lifts the agent's lock and forgets its failures (its address's failures stay counted).
    public func unlockLogins(of agent: AgentID) async throws {
        try await unlockLogins(of: .agent(agent, in: store))
    }

    /// Lifts an account's stored lock and forgets its failures.
    func unlockLogins(of account: PasswordAccount) async throws {
        try await account.removeLock()
        forgetLoginFailures(of: account)
    }
}

/// Whose password a login checks, and where its hash and durable lock are kept. Agents and
/// supervisors share the bcrypt threads, the rules and the per-address counts; each kind keeps
/// its own locks.
struct PasswordAccount: Sendable {
    /// The id as the person typed it, named in refusals.
    var userId: String
    /// The id's key in the throttle.
    var throttleKey: String
    var readHash: @Sendable () async throws -> String?
    var readLock: @Sendable () async throws -> LoginLock?
    var storeLock: @Sendable (_ at: Timestamp, _ failures: Int) async throws -> Void
    var removeLock: @Sendable () async throws -> Void

    /// An agent; its throttle key is its id, as it always was.
    static func agent(_ agent: AgentID, in store: any RoutingStore) -> PasswordAccount {
        PasswordAccount(
            userId: agent.rawValue, throttleKey: agent.rawValue,
            readHash: { try await store.passwordHash(for: agent) },
            readLock: { try await store.loginLock(of: agent) },
            storeLock: { time, failures in try await store.lockLogins(of: agent, at: time, failures: failures) },
            removeLock: { _ = try await store.unlockLogins(of: agent) })
    }

    /// A supervisor account. Its throttle key is prefixed so an agent and a supervisor with the
    /// same id are waited and locked apart. (An agent hello may name any id, "supervisor:x"
    /// too; that lets it count failures against supervisor x, which trying x at the sign-in
    /// route does as well, so nothing is gained.)
    static func supervisor(_ id: SupervisorID, in store: any RoutingStore) -> PasswordAccount {
        PasswordAccount(
            userId: id.rawValue, throttleKey: "supervisor:" + id.rawValue,
            readHash: { try await store.supervisorPasswordHash(for: id) },
            readLock: { try await store.supervisorLoginLock(of: id) },
            storeLock: { time, failures in try await store.lockSupervisorLogins(of: id, at: time, failures: failures) },
            removeLock: { _ = try await store.unlockSupervisorLogins(of: id) })
    }
}
