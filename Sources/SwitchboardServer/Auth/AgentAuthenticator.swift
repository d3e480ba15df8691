import Crypto
import Foundation
import HummingbirdBcrypt
import JWTKit
import SwitchboardStore
import SwitchboardCore
import Synchronization

/// The claims of an agent's SDK login token (TCCC's `data-token`).
struct AgentTokenClaims: JWTPayload {
    /// The agent's user id.
    var sub: SubjectClaim
    /// When the token stops working.
    var exp: ExpirationClaim
    /// When it was issued.
    var iat: IssuedAtClaim
    /// Marks Switchboard agent tokens, so no other token signed with the key passes.
    var aud: AudienceClaim
    /// `session` for the tokens that carry on a password login (renewed while connected), `once`
    /// for single-use tokens (TCCC's `OnlyOnce`); absent for other tokens the admin API issues.
    var kind: String?
    /// The token's own id, by which a single-use token is recorded as spent.
    var jti: IDClaim?
    /// The SdkAppId of the tenant that issued it: on a server hosting several tenants it says
    /// which one an agent's HTTP request is for, before that tenant checks the signature.
    var sdk: String?

    static let sessionKind = "session"
    static let onceKind = "once"

    static let audience = "switchboard-agent"

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Self.audience)
    }
}

/// Why a login failed, worded for the person at the workbench.
public struct AuthenticationFailure: Error, CustomStringConvertible, Sendable {
    /// The kind of refusal, for answers that have a status of their own (the supervisor sign-in's).
    public enum Reason: Sendable {
        /// The user id and password do not match (or the id has no usable password).
        case wrongCredentials
        /// Too many failures (of the id or the address) or checks in progress: try again later.
        case tooManyAttempts
        /// The id's password logins are locked until an admin unlocks them.
        case locked
        /// The store could not be read; nothing was counted.
        case unavailable
        /// A token, or a login frame, that cannot be accepted.
        case invalid
    }

    public var description: String
    /// The kind of refusal.
    public var reason: Reason
    /// True when the token was valid once but has expired (the SDK's `tokenExpired`).
    public var expired: Bool
    /// When the same login may be tried again, in seconds; nil when waiting will not help.
    public var retryAfterSeconds: Int?

    init(_ description: String, reason: Reason = .invalid, expired: Bool = false, retryAfterSeconds: Int? = nil) {
        self.description = description
        self.reason = reason
        self.expired = expired
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// Checks a password against a bcrypt hash; replaceable so tests can count or slow the checks.
public typealias PasswordHashVerifier = @Sendable (_ password: String, _ hash: String) -> Bool

/// Issues and checks agent credentials: signed short-lived tokens and bcrypt password hashes,
/// with password logins paced and locked as `LoginPolicy` says (AgentAuthenticator+Passwords).
public final class AgentAuthenticator: Sendable {
    private let keys: JWTKeyCollection
    let store: any RoutingStore
    private let secret: SymmetricKey
    let tokenLifetime: Int
    /// Seconds a password login's session token lives.
    let sessionLifetime: Int
    /// Where bcrypt runs: off the cooperative pool, with bounded concurrency and queue.
    let hashing: PasswordHashingPool
    /// Failed logins per user id and address; only ever held briefly, never across an await.
    let throttle: Mutex<LoginThrottle>
    let clock: @Sendable () -> Timestamp
    let verifyHash: PasswordHashVerifier
    /// The tenant's SdkAppId, written into the tokens it issues.
    let application: Int64

    /// bcrypt's cost: 2^10 rounds take tens of milliseconds, slow for guessing, fine for logins.
    static let bcryptCost: UInt8 = 10

    /// bcrypt itself.
    public static let bcryptVerifier: PasswordHashVerifier = { password, hash in Bcrypt.verify(password, hash: hash) }

    init(
        signingSecret: String, tokenLifetimeSeconds: Int, store: any RoutingStore, application: Int64, logins: LoginPolicy = LoginPolicy(),
        hashing: PasswordHashingPool? = nil,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() }, verifyHash: @escaping PasswordHashVerifier = bcryptVerifier
    ) async {
        self.keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: signingSecret), digestAlgorithm: .sha256)
        self.secret = SymmetricKey(data: Data(signingSecret.utf8))
        self.tokenLifetime = tokenLifetimeSeconds
        self.application = application
        self.sessionLifetime = logins.sessionLifetimeSeconds
        self.store = store
        self.hashing = hashing ?? PasswordHashingPool(threads: logins.concurrentChecks, waitingLimit: logins.waitingChecks)
        self.throttle = Mutex(LoginThrottle(policy: logins))
        self.clock = clock
        self.verifyHash = verifyHash
    }

    /// A signed token for the agent, valid for `lifetime` seconds (default: the configured one).
    /// A `singleUse` token logs in once (TCCC's `OnlyOnce`): the login records it as spent, and
    /// the connection carries on with session tokens as a password login does.
    public func issueToken(for agent: AgentID, lifetime: Int? = nil, singleUse: Bool = false, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let expiresAt = now.addingTimeInterval(TimeInterval(lifetime ?? tokenLifetime))
        let claims = AgentTokenClaims(
            sub: SubjectClaim(value: agent.rawValue), exp: ExpirationClaim(value: expiresAt),
            iat: IssuedAtClaim(value: now), aud: AudienceClaim(value: [AgentTokenClaims.audience]),
            kind: singleUse ? AgentTokenClaims.onceKind : nil,
            jti: singleUse ? IDClaim(value: UUID().uuidString.lowercased()) : nil, sdk: String(application))
        return (try await keys.sign(claims), expiresAt)
    }

    /// Records a single-use token as used; refuses it when it already was (`tokenExpired`, with
    /// a message saying why). Called once the login is otherwise accepted.
    func spendSingleUseToken(_ id: String, expiresAt: Date) async throws(AuthenticationFailure) {
        let spent: Bool
        do {
            spent = try await store.spendToken(
                id: id, expiresAt: Timestamp(milliseconds: Int64(expiresAt.timeIntervalSince1970 * 1000)), now: clock())
        } catch {
            throw AuthenticationFailure("could not check the token (\(error)); try again", reason: .unavailable)
        }
        guard spent else {
            throw AuthenticationFailure(
                "the token was single-use (OnlyOnce) and has already logged in once; ask the server for a new one", expired: true)
        }
    }

    /// A token that carries on a password login for `sessionLifetime` seconds.
    func issueSessionToken(for agent: AgentID, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let expiresAt = now.addingTimeInterval(TimeInterval(sessionLifetime))
        let claims = AgentTokenClaims(
            sub: SubjectClaim(value: agent.rawValue), exp: ExpirationClaim(value: expiresAt),
            iat: IssuedAtClaim(value: now), aud: AudienceClaim(value: [AgentTokenClaims.audience]), kind: AgentTokenClaims.sessionKind,
            sdk: String(application))
        return (try await keys.sign(claims), expiresAt)
    }

    /// The agent a token was issued for, when it runs out, whether it carries on a password
    /// login (a session token), and the id of a single-use token (to spend at login); or why it
    /// is not accepted. Verifying does not spend a single-use token.
    public func verify(token: String) async throws(AuthenticationFailure) -> (agent: AgentID, expiresAt: Date, isSession: Bool, singleUseId: String?) {
        let claims: AgentTokenClaims
        do {
            claims = try await keys.verify(token, as: AgentTokenClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure && error.reason == "expired" {
            throw AuthenticationFailure("the token has expired; ask the server for a new one", expired: true)
        } catch {
            // Another tenant's token (its own key signed it): say where it belongs.
            if let other = TenantDispatch.agentTokenTenant(token), other != application {
                throw AuthenticationFailure("the token was issued for SdkAppId \(other), not this application (\(application)); connect with ?sdkAppId=\(other)")
            }
            throw AuthenticationFailure("the token is not valid: it is malformed or was not signed by this server")
        }
        // Tenants hosted together sign with secrets of their own, so this only names the mistake.
        if let sdk = claims.sdk, sdk != String(application) {
            throw AuthenticationFailure("the token was issued for SdkAppId \(sdk), not this application (\(application)); connect with ?sdkAppId=\(sdk)")
        }
        let agent = AgentID(claims.sub.value)
        let revokedBefore: Timestamp?
        do { revokedBefore = try await store.tokensRevokedBefore(of: agent) } catch {
            throw AuthenticationFailure("could not check the token (\(error)); try again")
        }
        if let revokedBefore, claims.iat.value.timeIntervalSince1970 * 1000 < Double(revokedBefore.milliseconds) {
            throw AuthenticationFailure("the token was revoked; ask the server for a new one")
        }
        var singleUseId: String?
        if claims.kind == AgentTokenClaims.onceKind {
            guard let id = claims.jti?.value, !id.isEmpty else { throw AuthenticationFailure("the token is not valid: a single-use token without an id") }
            singleUseId = id
        }
        return (agent, claims.exp.value, claims.kind == AgentTokenClaims.sessionKind, singleUseId)
    }

    /// Refuses every token issued to the agent until now.
    public func revokeTokens(of agent: AgentID) async throws {
        try await store.revokeTokens(of: agent, issuedBefore: Timestamp.now())
    }

    /// The secret that binds a customer to its session: an HMAC of the session id, so nothing
    /// needs storing and it survives restarts.
    public func customerSecret(for session: SessionID) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("customer-session:\(session.rawValue)".utf8), using: secret)
        return Data(code).prefix(18).base64URLEncoded()
    }

    /// Whether `secret` is the customer secret of `session`.
    public func isCustomerSecret(_ secret: String, for session: SessionID) -> Bool {
        constantTimeEquals(secret, customerSecret(for: session))
    }
}
