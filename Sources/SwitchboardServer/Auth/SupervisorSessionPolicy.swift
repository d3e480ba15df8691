/// How long a supervisor's sign-in lasts and how its cookie is marked. See docs/security.md
/// ("Supervisor accounts").
public struct SupervisorSessionPolicy: Sendable, Equatable {
    /// A session unused for this long ends (`--supervisor-idle-timeout`). The supervisor page
    /// refreshes every 2 s, so an open page keeps its session; a forgotten tab's ends.
    public var idleTimeoutSeconds: Int = 30 * 60
    /// A session ends this long after sign-in however much it is used: a shift
    /// (`--supervisor-session-lifetime`).
    public var lifetimeSeconds: Int = 12 * 60 * 60
    /// Marks the cookie `Secure` (sent over HTTPS only). Nil: when the server itself speaks TLS.
    /// Set it behind a proxy that ends TLS, where the server sees plain HTTP
    /// (`--secure-cookies`).
    public var secureCookie: Bool?

    /// The defaults.
    public init() {}

    /// Checks the settings, naming the first one that is wrong.
    public func validate() throws(ConfigurationError) {
        if !(60...86_400).contains(idleTimeoutSeconds) {
            throw ConfigurationError("supervisor idle timeout must be 60 to 86400 seconds, not \(idleTimeoutSeconds)")
        }
        if !(300...2_592_000).contains(lifetimeSeconds) {
            throw ConfigurationError("supervisor session lifetime must be 300 to 2592000 seconds (30 days), not \(lifetimeSeconds)")
        }
    }

    /// How stale the recorded last use may get before a request records it again: a tenth of
    /// the idle timeout, at most a minute. Recording every request would be a disk write per
    /// page refresh; this way a session ends at most that much early.
    var lastUseGranularitySeconds: Int { min(60, idleTimeoutSeconds / 10) }
}
