/// A header field name: compared case-insensitively, with compact forms (`v`, `i`, `f`...) expanded
/// to their full names (RFC 3261 §7.3.3).
public struct SIPHeaderName: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as it is written: the canonical spelling for known headers, else as received.
    public let description: String
    /// The lowercased full name, used for comparison.
    public let lowercased: String

    /// Creates a name, expanding compact forms and canonicalizing the spelling of known headers.
    public init(_ name: String) {
        let lower = name.lowercased()
        let full = SIPHeaderName.compactForms[lower] ?? lower
        lowercased = full
        description = SIPHeaderName.canonicalSpellings[full] ?? name
    }

    /// Creates a name from a literal such as `"Call-ID"`.
    public init(stringLiteral value: String) { self.init(value) }

    public static func == (lhs: SIPHeaderName, rhs: SIPHeaderName) -> Bool { lhs.lowercased == rhs.lowercased }
    public func hash(into hasher: inout Hasher) { hasher.combine(lowercased) }

    /// Whether values of this header are comma-separated lists (RFC 3261 §7.3.1), so that several
    /// values may share one line or be spread over several.
    public var isList: Bool { SIPHeaderName.listHeaders.contains(lowercased) }

    // Authorization and WWW-Authenticate contain commas inside one value; they are not lists.
    static let listHeaders: Set<String> = [
        "via", "contact", "route", "record-route", "allow", "supported", "require", "proxy-require",
        "unsupported", "accept", "accept-encoding", "accept-language", "allow-events", "content-encoding",
        "content-language", "in-reply-to", "alert-info", "call-info", "error-info", "warning", "path",
        "service-route", "p-asserted-identity", "reason",
    ]

    static let compactForms: [String: String] = [
        "i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length", "c": "content-type",
        "f": "from", "s": "subject", "k": "supported", "t": "to", "v": "via", "o": "event", "r": "refer-to",
        "u": "allow-events", "x": "session-expires", "b": "referred-by",
    ]

    static let canonicalSpellings: [String: String] = [
        "via": "Via", "from": "From", "to": "To", "call-id": "Call-ID", "cseq": "CSeq", "contact": "Contact",
        "max-forwards": "Max-Forwards", "route": "Route", "record-route": "Record-Route",
        "content-length": "Content-Length", "content-type": "Content-Type", "content-encoding": "Content-Encoding",
        "subject": "Subject", "supported": "Supported", "require": "Require", "proxy-require": "Proxy-Require",
        "unsupported": "Unsupported", "allow": "Allow", "accept": "Accept", "retry-after": "Retry-After",
        "user-agent": "User-Agent", "server": "Server", "www-authenticate": "WWW-Authenticate",
        "proxy-authenticate": "Proxy-Authenticate", "authorization": "Authorization",
        "proxy-authorization": "Proxy-Authorization", "expires": "Expires", "session-expires": "Session-Expires",
        "min-se": "Min-SE", "event": "Event", "refer-to": "Refer-To", "allow-events": "Allow-Events",
        "referred-by": "Referred-By", "timestamp": "Timestamp", "warning": "Warning", "reason": "Reason",
    ]

    /// Via.
    public static let via: SIPHeaderName = "Via"
    /// From.
    public static let from: SIPHeaderName = "From"
    /// To.
    public static let to: SIPHeaderName = "To"
    /// Call-ID.
    public static let callID: SIPHeaderName = "Call-ID"
    /// CSeq.
    public static let cseq: SIPHeaderName = "CSeq"
    /// Contact.
    public static let contact: SIPHeaderName = "Contact"
    /// Max-Forwards.
    public static let maxForwards: SIPHeaderName = "Max-Forwards"
    /// Route.
    public static let route: SIPHeaderName = "Route"
    /// Record-Route.
    public static let recordRoute: SIPHeaderName = "Record-Route"
    /// Content-Length.
    public static let contentLength: SIPHeaderName = "Content-Length"
    /// Content-Type.
    public static let contentType: SIPHeaderName = "Content-Type"
    /// Supported.
    public static let supported: SIPHeaderName = "Supported"
    /// Require.
    public static let require: SIPHeaderName = "Require"
    /// Proxy-Require.
    public static let proxyRequire: SIPHeaderName = "Proxy-Require"
    /// Unsupported.
    public static let unsupported: SIPHeaderName = "Unsupported"
    /// Allow.
    public static let allow: SIPHeaderName = "Allow"
    /// Accept.
    public static let accept: SIPHeaderName = "Accept"
    /// Retry-After.
    public static let retryAfter: SIPHeaderName = "Retry-After"
    /// User-Agent.
    public static let userAgent: SIPHeaderName = "User-Agent"
    /// Server.
    public static let server: SIPHeaderName = "Server"
    /// WWW-Authenticate.
    public static let wwwAuthenticate: SIPHeaderName = "WWW-Authenticate"
    /// Proxy-Authenticate.
    public static let proxyAuthenticate: SIPHeaderName = "Proxy-Authenticate"
    /// Authorization.
    public static let authorization: SIPHeaderName = "Authorization"
    /// Proxy-Authorization.
    public static let proxyAuthorization: SIPHeaderName = "Proxy-Authorization"
    /// Session-Expires (RFC 4028).
    public static let sessionExpires: SIPHeaderName = "Session-Expires"
    /// Min-SE (RFC 4028).
    public static let minSE: SIPHeaderName = "Min-SE"
}

/// One header line: a name and its (unfolded) value.
public struct SIPHeaderField: Hashable, Sendable, CustomStringConvertible {
    /// The header name.
    public var name: SIPHeaderName
    /// The value, with folding replaced by single spaces and outer whitespace trimmed.
    public var value: String

    /// Creates a field.
    public init(_ name: SIPHeaderName, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }
}
