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
        let account = agent.rawValue
        switch throttle.withLock({ $0.admit(account: account, address: address, now: clock()) }) {
        case .allowed:
            break
        case .wait(let seconds, .account):
            throw AuthenticationFailure("too many failed logins for user '\(agent)'; retry in \(seconds) s", retryAfterSeconds: seconds)
        case .wait(let seconds, .address):
            throw AuthenticationFailure("too many failed logins from this address; retry in \(seconds) s", retryAfterSeconds: seconds)
        case .locked:
            throw Self.lockedFailure(agent)
        }

        // Unknown ids read the same rows and check the dummy hash, so they take as long.
        let hash: String?
        let lock: LoginLock?
        do {
            hash = try await store.passwordHash(for: agent)
            lock = try await store.loginLock(of: agent)
        } catch {
            throttle.withLock { $0.withdraw(account: account, address: address) }
            throw AuthenticationFailure("could not check the password (\(error)); try again")
        }
        if lock != nil {
            throttle.withLock { $0.withdraw(account: account, address: address) }
            throw Self.lockedFailure(agent)
        }
        let usableHash = hash.flatMap { $0.hasPrefix("$2") ? $0 : nil }
        let verifyHash = self.verifyHash
        let matched: Bool
        do {
            matched = try await hashing.run {
                verifyHash(password, usableHash ?? Self.unknownUserHash) && usableHash != nil
            }
        } catch {
            throttle.withLock { $0.withdraw(account: account, address: address) }
            throw AuthenticationFailure("too many logins in progress; retry in \(error.retryAfterSeconds) s", retryAfterSeconds: error.retryAfterSeconds)
        }

        let now = clock()
        switch throttle.withLock({ $0.finish(account: account, address: address, succeeded: matched, now: now) }) {
        case .succeeded:
            return
        case .failed(let retryAfter) where retryAfter > 0:
            throw AuthenticationFailure("wrong user id or password; retry in \(retryAfter) s", retryAfterSeconds: retryAfter)
        case .failed:
            throw AuthenticationFailure("wrong user id or password")
        case .lockedNow(let failures):
            // Stored for unknown ids too: the same write, and the same lock after a restart.
            try? await store.lockLogins(of: agent, at: now, failures: failures)
            throw AuthenticationFailure("wrong user id or password; \(Self.lockedFailure(agent).description)")
        }
    }

    private static func lockedFailure(_ agent: AgentID) -> AuthenticationFailure {
        AuthenticationFailure("too many failed logins for user '\(agent)': its password logins are locked; ask an administrator to unlock them")
    }

    /// Hashes and stores an agent's password. The hashing waits its turn on the bcrypt threads
    /// and is never refused: only an admin sets passwords.
    public func setPassword(_ password: String, for agent: AgentID) async throws {
        let hash = try await hashing.run(bounded: false) { Bcrypt.hash(password, cost: Self.bcryptCost) }
        try await store.setPasswordHash(hash, for: agent)
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
        let stored = try await store.loginLock(of: agent)
        let counted = throttle.withLock { $0.state(of: agent.rawValue, now: clock()) }
        let locked = stored != nil || counted.locked
        return LoginLockState(
            locked: locked, lockedAt: stored?.lockedAt ?? counted.lockedSince,
            recentFailures: max(counted.failures, stored?.failures ?? 0),
            retryAfterSeconds: locked ? nil : counted.retryAfterSeconds)
    }

    /// Forgets failures counted against an id before its agent was created (the store drops a
    /// stored lock with the `createAgent` it journals).
    func forgetLoginFailures(of agent: AgentID) {
        throttle.withLock { $0.reset(account: agent.rawValue) }
    }

    /// Lifts the agent's lock and forgets its failures (its address's failures stay counted).
    public func unlockLogins(of agent: AgentID) async throws {
        try await store.unlockLogins(of: agent)
        throttle.withLock { $0.reset(account: agent.rawValue) }
    }
}
