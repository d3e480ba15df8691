import Crypto
import Foundation
import SwitchboardCore
import SwitchboardStore

/// Supervisors signed in to the supervisor page: a password checked exactly as agents' are (the
/// same bcrypt threads, waits, locks and dummy hash), then a random 256-bit secret in an
/// HTTP-only, SameSite=Strict cookie. The store keeps only the secret's SHA-256, with the
/// session's creation and last use, so sessions survive a restart and a copy of the database
/// signs nobody in. A session ends when unused for the idle timeout, at the end of its lifetime,
/// on sign-out, and when its account gets a new password or is deleted.
///
/// State-changing requests made with the cookie also need the session's CSRF token: an HMAC of
/// the secret, so it need not be stored, and a page that lost it asks for it again with the
/// cookie (`GET /api/v1/auth/session`).
public final class SupervisorSessions: Sendable {
    /// The cookie's name.
    static let cookieName = "switchboard_supervisor"
    /// The header that carries the CSRF token.
    static let csrfHeader = "X-CSRF-Token"

    /// A signed-in supervisor, as a request sees it.
    struct SignedIn: Sendable {
        /// The account as it is now (a role changed since sign-in applies at once).
        var account: SupervisorAccount
        /// When the session ends unless used again (idle), or at the latest (lifetime).
        var expiresAt: Timestamp
        /// What state-changing requests must send in `X-CSRF-Token`.
        var csrfToken: String
    }

    let store: any RoutingStore
    let passwords: AgentAuthenticator
    let policy: SupervisorSessionPolicy
    /// Whether the cookie is marked `Secure`.
    let secureCookie: Bool
    private let csrfKey: SymmetricKey
    private let clock: @Sendable () -> Timestamp
    /// A hosted tenant's SdkAppId, which its cookies start with; nil for the primary tenant.
    let cookieTenant: Int64?

    init(
        store: any RoutingStore, passwords: AgentAuthenticator, policy: SupervisorSessionPolicy, speaksTLS: Bool,
        signingSecret: String, cookieTenant: Int64? = nil, clock: @escaping @Sendable () -> Timestamp
    ) {
        self.cookieTenant = cookieTenant
        self.store = store
        self.passwords = passwords
        self.policy = policy
        self.secureCookie = policy.secureCookie ?? speaksTLS
        self.csrfKey = SymmetricKey(data: Data("supervisor-csrf:\(signingSecret)".utf8))
        self.clock = clock
    }

    /// The cookie's value for a session's secret. A hosted tenant's start with its SdkAppId and a
    /// dot, so a server hosting several tenants sends the browser's requests to the one it signed
    /// in to (`TenantDispatch`); the secret alone decides whether anyone is signed in.
    func cookieValue(for secret: String) -> String {
        cookieTenant.map { "\($0).\(secret)" } ?? secret
    }

    /// The session secret in a cookie's value: "" when there is none, or when the cookie was set
    /// by another tenant of the server.
    func secret(fromCookie value: String?) -> String {
        guard let value, !value.isEmpty else { return "" }
        let (tenant, secret) = Self.split(cookie: value)
        return tenant == cookieTenant ? secret : ""
    }

    /// The hosted tenant a cookie names, and the secret after it.
    static func split(cookie value: String) -> (tenant: Int64?, secret: String) {
        guard let dot = value.firstIndex(of: "."), let tenant = Int64(value[..<dot]) else { return (nil, value) }
        return (tenant, String(value[value.index(after: dot)...]))
    }

    /// Checks the password and opens a session; returns the cookie's secret and the session.
    /// Refusals are the agents' ones (`AuthenticationFailure`): the same words, waits and locks.
    func signIn(userId: SupervisorID, password: String, from address: String) async throws(AuthenticationFailure) -> (secret: String, session: SignedIn) {
        let verifiedHash = try await passwords.checkPassword(password, of: .supervisor(userId, in: store), from: address)
        let now = clock()
        // Sign-ins are when sessions are created, so sweeping here bounds the table.
        _ = try? await store.deleteSupervisorSessions(
            lastUsedBefore: now.adding(seconds: -policy.idleTimeoutSeconds), createdBefore: now.adding(seconds: -policy.lifetimeSeconds))
        let secret = ServerSecrets.randomToken(bytes: 32)
        let stored: Bool
        let account: SupervisorAccount?
        do {
            stored = try await store.createSupervisorSession(
                NewSupervisorSession(tokenHash: Self.hash(secret), supervisorId: userId, createdAt: now), verifiedHash: verifiedHash)
            account = stored ? try await store.supervisor(userId) : nil
        } catch {
            throw AuthenticationFailure("could not sign in (\(error)); \(storeRetryAdvice(error))", reason: .unavailable)
        }
        // The password changed, or the account went, while it was being checked.
        guard let account else { throw AuthenticationFailure("wrong user id or password", reason: .wrongCredentials) }
        return (secret, SignedIn(account: account, expiresAt: expiry(createdAt: now, lastUsedAt: now), csrfToken: csrfToken(for: secret)))
    }

    /// The session a cookie's secret opens, or nil when it is unknown or has ended. Records the
    /// use, at most once per `lastUseGranularitySeconds`; a store that cannot record it (a full
    /// disk) still lets the request through, as it lets reads through.
    func session(secret: String) async throws -> SignedIn? {
        let tokenHash = Self.hash(secret)
        guard let stored = try await store.supervisorSession(tokenHash: tokenHash) else { return nil }
        let now = clock()
        if now >= expiry(createdAt: stored.createdAt, lastUsedAt: stored.lastUsedAt) {
            _ = try? await store.deleteSupervisorSession(tokenHash: tokenHash)
            return nil
        }
        var lastUsedAt = stored.lastUsedAt
        if now.seconds(since: lastUsedAt) >= policy.lastUseGranularitySeconds,
           (try? await store.touchSupervisorSession(tokenHash: tokenHash, at: now)) != nil {
            lastUsedAt = now
        }
        return SignedIn(
            account: stored.account, expiresAt: expiry(createdAt: stored.createdAt, lastUsedAt: lastUsedAt),
            csrfToken: csrfToken(for: secret))
    }

    /// Ends the session the secret opens, if any.
    func signOut(secret: String) async throws {
        try await store.deleteSupervisorSession(tokenHash: Self.hash(secret))
    }

    /// Whether `presented` is the CSRF token of the session `secret` opens. Both sides are hashed
    /// first, so the comparison's time says nothing about where they differ.
    func isCSRFToken(_ presented: String, for secret: String) -> Bool {
        constantTimeEquals(Self.hash(presented), Self.hash(csrfToken(for: secret)))
    }

    private func csrfToken(for secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: csrfKey)).base64URLEncoded()
    }

    private func expiry(createdAt: Timestamp, lastUsedAt: Timestamp) -> Timestamp {
        min(lastUsedAt.adding(seconds: policy.idleTimeoutSeconds), createdAt.adding(seconds: policy.lifetimeSeconds))
    }

    /// The SHA-256 of a secret, in hex: what the store keeps.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Managing accounts: passwords are hashed on the bcrypt threads, and locks and failures are
/// the same throttle's that agents use.
extension SupervisorSessions {
    /// A bcrypt hash of a new password.
    func hashPassword(_ password: String) async throws -> String {
        try await passwords.hashPassword(password)
    }

    /// Forgets failures counted against an id before its account was created (creating it in
    /// the store lifts a stored lock).
    func forgetLoginFailures(of id: SupervisorID) {
        passwords.forgetLoginFailures(of: .supervisor(id, in: store))
    }

    /// The id's lock and recent failed sign-ins.
    func loginLockState(of id: SupervisorID) async throws -> AgentAuthenticator.LoginLockState {
        try await passwords.loginLockState(of: .supervisor(id, in: store))
    }

    /// Lifts the id's lock and forgets its failures.
    func unlockLogins(of id: SupervisorID) async throws {
        try await passwords.unlockLogins(of: .supervisor(id, in: store))
    }
}
