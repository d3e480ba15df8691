/// Why an SDK call or the connection failed, with a message a person can act on.
///
/// Calls that return ``CommonSDKResponse`` never throw: they carry this error in
/// ``CommonSDKResponse/error`` and its message in ``CommonSDKResponse/errorMsg``.
/// ``CommonSDKResponse/get()``, ``TCCC/connect()`` and the `async throws` initialisers throw it.
public struct TCCCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, for programs.
    public var code: Code
    /// What went wrong and what to do about it, for people.
    public var message: String
    /// The lower-level failure behind this one, if any (a socket error, a decoding error).
    public var cause: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The code and message, e.g. `refused: session s-41 is not ringing at agent 7`.
    public var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (\(cause))" }
        return text
    }

    /// Two errors are equal when their code and message are; the cause is for logs only.
    public static func == (lhs: TCCCError, rhs: TCCCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
}

extension TCCCError {
    /// A kind of SDK failure; an open set, so later versions can add codes without breaking apps.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name, e.g. `"refused"`.
        public var rawValue: String

        /// Creates a code from its name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The code's name.
        public var description: String { rawValue }

        /// The server answered the call with `status: 'error'`; the message is its `errorMsg`.
        public static let refused = Code(rawValue: "refused")
        /// The server did not answer within the request timeout.
        public static let timedOut = Code(rawValue: "timedOut")
        /// The connection dropped after the request was sent; the call may or may not have taken effect.
        public static let connectionLost = Code(rawValue: "connectionLost")
        /// The server could not be reached, or the WebSocket upgrade failed.
        public static let connectionFailed = Code(rawValue: "connectionFailed")
        /// The server refused the login: wrong user id or password, unknown agent, invalid token.
        public static let notAuthenticated = Code(rawValue: "notAuthenticated")
        /// The login token has run out; ask the server API for a new one and call ``TCCC/restart(token:)``.
        public static let tokenExpired = Code(rawValue: "tokenExpired")
        /// ``TCCC/close()`` was called, or the SDK was never connected.
        public static let closed = Code(rawValue: "closed")
        /// The server's answer could not be read as the call's result.
        public static let invalidResponse = Code(rawValue: "invalidResponse")
        /// The server URL cannot be used (no host, or a scheme other than http, https, ws or wss).
        public static let invalidServerURL = Code(rawValue: "invalidServerURL")
    }
}
