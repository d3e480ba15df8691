/// A SIP request or response: start line, ordered headers, and body bytes.
///
/// Build one with ``init(method:uri:headers:body:)`` or ``init(status:headers:body:)``, read one with
/// ``parse(_:)``, write one with ``bytes``. Typed accessors (``via``, ``from``, ``cseq``...) read and
/// write the headers; the raw ``headers`` stay the source of truth.
public struct SIPMessage: Hashable, Sendable, CustomStringConvertible {
    /// The first line of a message.
    public enum StartLine: Hashable, Sendable {
        /// `METHOD Request-URI SIP/2.0`.
        case request(SIPMethod, SIPURI)
        /// `SIP/2.0 code reason`.
        case response(SIPStatus)
    }

    /// The request line or status line.
    public var startLine: StartLine
    /// The header fields, in order. Content-Length is rewritten from ``body`` when writing.
    public var headers: SIPHeaders
    /// The body (for example SDP).
    public var body: [UInt8]

    /// Creates a request.
    public init(method: SIPMethod, uri: SIPURI, headers: SIPHeaders = [], body: [UInt8] = []) {
        startLine = .request(method, uri)
        self.headers = headers
        self.body = body
    }

    /// Creates a response.
    public init(status: SIPStatus, headers: SIPHeaders = [], body: [UInt8] = []) {
        startLine = .response(status)
        self.headers = headers
        self.body = body
    }

    /// Whether this is a request.
    public var isRequest: Bool {
        if case .request = startLine { return true }
        return false
    }

    /// The method of a request, or the CSeq method of a response (the request it answers).
    public var method: SIPMethod? {
        switch startLine {
        case .request(let method, _): method
        case .response: cseq?.method
        }
    }

    /// The Request-URI of a request.
    public var requestURI: SIPURI? {
        get {
            if case .request(_, let uri) = startLine { return uri }
            return nil
        }
        set {
            if case .request(let method, _) = startLine, let newValue { startLine = .request(method, newValue) }
        }
    }

    /// The status of a response.
    public var status: SIPStatus? {
        if case .response(let status) = startLine { return status }
        return nil
    }

    /// The status code of a response.
    public var statusCode: Int? { status?.code }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
