/// What went wrong reading or using a SIP message, in words a person can act on.
///
/// Parsing never traps: malformed or hostile input becomes one of these. For a request that could
/// be framed but is not valid, ``status`` says what the receiver must answer (400, 416, 505) and
/// ``request`` holds the request as far as it was read, enough to build that answer.
public struct SIPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem, for programs.
    public enum Code: String, Hashable, Sendable {
        /// The datagram held only whitespace (a CRLF keep-alive).
        case empty
        /// The start line is not a SIP request or status line.
        case malformedStartLine
        /// The SIP version is not 2.0.
        case unsupportedVersion
        /// A header line has no name or no colon.
        case malformedHeader
        /// A header the message needs is absent.
        case missingHeader
        /// A header value does not follow its grammar.
        case malformedHeaderValue
        /// Content-Length is invalid or disagrees with the body.
        case contentLength
        /// The CSeq method differs from the request method.
        case methodMismatch
        /// A URI is not a valid SIP URI.
        case malformedURI
        /// A URI scheme other than sip/sips.
        case unsupportedURIScheme
        /// A digest challenge cannot be answered.
        case authentication
    }

    /// The kind of problem.
    public var code: Code
    /// The explanation, e.g. "CSeq method 'BYE' does not match request method 'INVITE'".
    public var message: String
    /// The status a receiver must answer an invalid request with; nil for responses and unframed data.
    public var status: SIPStatus?
    /// The invalid request as far as it could be read, to answer it with ``status``; its Request-URI
    /// is the placeholder `sip:invalid` when the request line itself was malformed.
    public var request: SIPMessage?

    /// Creates an error.
    public init(_ code: Code, _ message: String, status: SIPStatus? = nil, request: SIPMessage? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.request = request
    }

    public var description: String { message }
}
