/// The `login` frame: a token the client logs in with from now on instead of the password it
/// sent. Sent after `ready` to a connection that logged in with a password (or with such a
/// token), and again before the token runs out, so a connected agent stays logged in and a page
/// away for longer than the login lifetime has to sign in again. The client keeps only the newest
/// and forgets the password.
public struct AgentLogin: Sendable, Codable, Equatable, Hashable {
    /// The token for the next `hello`.
    public var token: String
    /// When it stops working, in Unix milliseconds.
    public var expiresAt: Int64

    /// Creates the frame's content.
    public init(token: String, expiresAt: Int64) {
        self.token = token
        self.expiresAt = expiresAt
    }
}
