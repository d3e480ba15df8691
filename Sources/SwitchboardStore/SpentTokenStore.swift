import SwitchboardCore

/// The single-use login tokens already used (TCCC's `CreateSDKLoginToken` with `OnlyOnce: true`),
/// by the token's id (its JWT `jti`), kept until the token would have expired anyway so a copy
/// of it can never log in a second time, even after a restart. Spending is one committed write,
/// so two logins racing with the same token cannot both succeed.
public protocol SpentTokenStore: Sendable {
    /// Records the token as spent; false (nothing written) when it already was. Tokens whose
    /// `expiresAt` is before `now` are pruned in the same transaction: an expired token is
    /// refused for its expiry, so its record is no longer needed.
    func spendToken(id: String, expiresAt: Timestamp, now: Timestamp) async throws -> Bool
}
