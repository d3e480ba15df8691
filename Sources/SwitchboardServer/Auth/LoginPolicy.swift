/// How password logins are paced: how many bcrypt checks run at once, how many may wait, and when
/// failed attempts earn a wait or a lock. See docs/security.md.
public struct LoginPolicy: Sendable, Equatable {
    /// bcrypt checks running at once, each on its own thread outside Swift's cooperative pool
    /// (`--login-concurrency`).
    public var concurrentChecks: Int = 2
    /// Checks that may wait for a thread; a login beyond them is refused at once with "too many
    /// logins in progress" (`--login-queue`).
    public var waitingChecks: Int = 32
    /// Failed logins of one user id within `failureWindowSeconds` before each further attempt
    /// waits: 1 s after this many, then 2 s, 4 s, ... up to `longestDelaySeconds`
    /// (`--login-delay-after`).
    public var accountDelayAfter: Int = 5
    /// Failed logins of one user id that lock its password logins until an admin unlocks them;
    /// 0 never locks (`--login-lock-after`).
    public var accountLockAfter: Int = 20
    /// Failed logins from one client address within the window before its attempts wait the
    /// same way. Higher than the account's, since a call centre's agents often share one address;
    /// an address is never locked (`--login-address-delay-after`).
    public var addressDelayAfter: Int = 20
    /// A user id or address with no failed login for this long starts counting afresh (locks stay).
    public var failureWindowSeconds: Int = 15 * 60
    /// The longest wait between attempts.
    public var longestDelaySeconds: Int = 60
    /// User ids and addresses tracked at most, each; the quietest are forgotten first.
    public var trackedKeys: Int = 10_000
    /// Seconds a password login lasts without a connection (`--login-session-lifetime`). The
    /// server hands the SDK a login token instead of keeping the password, renews it every half
    /// lifetime while connected, and a page away for longer must sign in again.
    public var sessionLifetimeSeconds: Int = 12 * 3600

    /// The defaults.
    public init() {}

    /// Checks the settings, naming the first one that is wrong.
    public func validate() throws(ConfigurationError) {
        if !(1...64).contains(concurrentChecks) {
            throw ConfigurationError("login concurrency must be 1 to 64 bcrypt checks, not \(concurrentChecks)")
        }
        if !(0...10_000).contains(waitingChecks) {
            throw ConfigurationError("login queue must be 0 to 10000 waiting checks, not \(waitingChecks)")
        }
        if !(1...1000).contains(accountDelayAfter) {
            throw ConfigurationError("login delay must start after 1 to 1000 failures, not \(accountDelayAfter)")
        }
        if !(0...1000).contains(accountLockAfter) {
            throw ConfigurationError("login lock must come after 1 to 1000 failures, or 0 for never, not \(accountLockAfter)")
        }
        if !(1...100_000).contains(addressDelayAfter) {
            throw ConfigurationError("address login delay must start after 1 to 100000 failures, not \(addressDelayAfter)")
        }
        if !(60...30 * 24 * 3600).contains(sessionLifetimeSeconds) {
            throw ConfigurationError("the login session lifetime must be 60 s to 30 days, not \(sessionLifetimeSeconds) s")
        }
        if failureWindowSeconds < 1 || longestDelaySeconds < 1 || trackedKeys < 1 {
            throw ConfigurationError("the login failure window, longest delay and tracked keys must be above 0")
        }
    }
}
