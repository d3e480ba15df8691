/// A response status: a code from 100 to 699 and its reason phrase.
public struct SIPStatus: Hashable, Sendable, CustomStringConvertible {
    /// The status code, 100...699.
    public var code: Int
    /// The reason phrase; may be empty or any UTF-8 text.
    public var reason: String

    /// Creates a status; without a reason, the RFC's phrase for the code is used.
    public init(code: Int, reason: String? = nil) {
        self.code = code
        self.reason = reason ?? SIPStatus.standardReason(for: code)
    }

    /// Whether this is a provisional (1xx) status.
    public var isProvisional: Bool { code < 200 }
    /// Whether this is a 2xx status.
    public var isSuccess: Bool { (200..<300).contains(code) }
    /// Whether this is a final (200...699) status.
    public var isFinal: Bool { code >= 200 }

    public var description: String { "\(code) \(reason)" }

    /// 100 Trying.
    public static let trying = SIPStatus(code: 100)
    /// 180 Ringing.
    public static let ringing = SIPStatus(code: 180)
    /// 183 Session Progress (early media).
    public static let sessionProgress = SIPStatus(code: 183)
    /// 200 OK.
    public static let ok = SIPStatus(code: 200)
    /// 400 Bad Request.
    public static let badRequest = SIPStatus(code: 400)
    /// 401 Unauthorized.
    public static let unauthorized = SIPStatus(code: 401)
    /// 403 Forbidden.
    public static let forbidden = SIPStatus(code: 403)
    /// 404 Not Found.
    public static let notFound = SIPStatus(code: 404)
    /// 405 Method Not Allowed.
    public static let methodNotAllowed = SIPStatus(code: 405)
    /// 407 Proxy Authentication Required.
    public static let proxyAuthenticationRequired = SIPStatus(code: 407)
    /// 408 Request Timeout.
    public static let requestTimeout = SIPStatus(code: 408)
    /// 415 Unsupported Media Type.
    public static let unsupportedMediaType = SIPStatus(code: 415)
    /// 416 Unsupported URI Scheme.
    public static let unsupportedURIScheme = SIPStatus(code: 416)
    /// 420 Bad Extension.
    public static let badExtension = SIPStatus(code: 420)
    /// 422 Session Interval Too Small (RFC 4028).
    public static let sessionIntervalTooSmall = SIPStatus(code: 422)
    /// 480 Temporarily Unavailable.
    public static let temporarilyUnavailable = SIPStatus(code: 480)
    /// 481 Call/Transaction Does Not Exist.
    public static let callDoesNotExist = SIPStatus(code: 481)
    /// 486 Busy Here.
    public static let busyHere = SIPStatus(code: 486)
    /// 487 Request Terminated.
    public static let requestTerminated = SIPStatus(code: 487)
    /// 488 Not Acceptable Here.
    public static let notAcceptableHere = SIPStatus(code: 488)
    /// 491 Request Pending.
    public static let requestPending = SIPStatus(code: 491)
    /// 500 Server Internal Error.
    public static let serverInternalError = SIPStatus(code: 500)
    /// 501 Not Implemented.
    public static let notImplemented = SIPStatus(code: 501)
    /// 503 Service Unavailable.
    public static let serviceUnavailable = SIPStatus(code: 503)
    /// 505 Version Not Supported.
    public static let versionNotSupported = SIPStatus(code: 505)
    /// 603 Decline.
    public static let decline = SIPStatus(code: 603)

    /// The RFC 3261 §21 reason phrase for a code, or a generic one for its class.
    public static func standardReason(for code: Int) -> String {
        switch code {
        case 100: "Trying"
        case 180: "Ringing"
        case 181: "Call Is Being Forwarded"
        case 182: "Queued"
        case 183: "Session Progress"
        case 200: "OK"
        case 202: "Accepted"
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Moved Temporarily"
        case 305: "Use Proxy"
        case 380: "Alternative Service"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 413: "Request Entity Too Large"
        case 414: "Request-URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Unsupported URI Scheme"
        case 420: "Bad Extension"
        case 421: "Extension Required"
        case 422: "Session Interval Too Small"
        case 423: "Interval Too Brief"
        case 480: "Temporarily Unavailable"
        case 481: "Call/Transaction Does Not Exist"
        case 482: "Loop Detected"
        case 483: "Too Many Hops"
        case 484: "Address Incomplete"
        case 485: "Ambiguous"
        case 486: "Busy Here"
        case 487: "Request Terminated"
        case 488: "Not Acceptable Here"
        case 491: "Request Pending"
        case 493: "Undecipherable"
        case 500: "Server Internal Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Server Time-out"
        case 505: "Version Not Supported"
        case 513: "Message Too Large"
        case 600: "Busy Everywhere"
        case 603: "Decline"
        case 604: "Does Not Exist Anywhere"
        case 606: "Not Acceptable"
        case 100..<200: "Provisional"
        case 200..<300: "Success"
        case 300..<400: "Redirection"
        case 400..<500: "Client Error"
        case 500..<600: "Server Error"
        default: "Global Failure"
        }
    }
}
