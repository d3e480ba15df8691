extension SIPMessage {
    /// The Call-ID.
    public var callID: String? {
        get { headers[.callID] }
        set { if let newValue { headers.set(.callID, newValue) } else { headers.remove(.callID) } }
    }

    /// The CSeq.
    public var cseq: SIPCSeq? {
        get { headers[.cseq].flatMap { try? SIPCSeq(parsing: $0) } }
        set { if let newValue { headers.set(.cseq, newValue.description) } else { headers.remove(.cseq) } }
    }

    /// The From address.
    public var from: SIPNameAddress? {
        get { headers[.from].flatMap { try? SIPNameAddress(parsing: $0, header: "From") } }
        set { if let newValue { headers.set(.from, newValue.description) } else { headers.remove(.from) } }
    }

    /// The To address.
    public var to: SIPNameAddress? {
        get { headers[.to].flatMap { try? SIPNameAddress(parsing: $0, header: "To") } }
        set { if let newValue { headers.set(.to, newValue.description) } else { headers.remove(.to) } }
    }

    /// Every Via, topmost first; setting replaces them all.
    public var via: [SIPVia] {
        get { headers.values(.via).compactMap { try? SIPVia(parsing: $0) } }
        set { headers.setAll(.via, newValue.map(\.description)) }
    }

    /// The topmost Via: the hop that sent this request, or this element for a response.
    public var topVia: SIPVia? { headers.values(.via).first.flatMap { try? SIPVia(parsing: $0) } }

    /// The Contact addresses (empty for `Contact: *`).
    public var contacts: [SIPNameAddress] {
        get { headers.values(.contact).compactMap { try? SIPNameAddress(parsing: $0, header: "Contact") } }
        set { headers.setAll(.contact, newValue.map(\.description)) }
    }

    /// The Route set, topmost first.
    public var routes: [SIPNameAddress] {
        get { headers.values(.route).compactMap { try? SIPNameAddress(parsing: $0, header: "Route") } }
        set { headers.setAll(.route, newValue.map(\.description)) }
    }

    /// The Record-Route entries, topmost first.
    public var recordRoutes: [SIPNameAddress] {
        get { headers.values(.recordRoute).compactMap { try? SIPNameAddress(parsing: $0, header: "Record-Route") } }
        set { headers.setAll(.recordRoute, newValue.map(\.description)) }
    }

    /// Max-Forwards.
    public var maxForwards: Int? {
        get { headers[.maxForwards].flatMap { SIPSyntax.maxForwards($0) } }
        set { if let newValue { headers.set(.maxForwards, String(newValue)) } else { headers.remove(.maxForwards) } }
    }

    /// The option tags in Require.
    public var require: [String] { headers.values(.require) }
    /// The option tags in Supported.
    public var supported: [String] { headers.values(.supported) }
    /// The option tags in Unsupported.
    public var unsupported: [String] { headers.values(.unsupported) }
    /// The methods in Allow.
    public var allow: [SIPMethod] { headers.values(.allow).map { SIPMethod(rawValue: $0) } }

    /// Retry-After in seconds (comments and parameters ignored).
    public var retryAfter: Int? {
        guard let value = headers[.retryAfter] else { return nil }
        let digits = value.prefix { $0.isNumber }
        return SIPSyntax.decimal(digits, maxDigits: 9)
    }

    /// The Content-Type, e.g. `application/sdp`.
    public var contentType: String? {
        get { headers[.contentType] }
        set { if let newValue { headers.set(.contentType, newValue) } else { headers.remove(.contentType) } }
    }

    /// The media type of the body without parameters, lowercased: `application/sdp`.
    public var mediaType: String? {
        contentType.map { String(SIPSyntax.trim($0.split(separator: ";", maxSplits: 1)[0])).lowercased() }
    }

    /// Where to send this request first: the top Route if it is a loose router, else the Request-URI
    /// (RFC 3261 §8.1.2). For a request built for a strict router the Request-URI is the next hop;
    /// use ``SIPDialog/nextHop`` for in-dialog requests. Resolving it to an address is the transport's job.
    public var nextHop: SIPURI? {
        if let first = routes.first, first.uri.isLooseRouter { return first.uri }
        return requestURI
    }

    /// Sets the body and its Content-Type together (nil type removes the header).
    public mutating func setBody(_ body: [UInt8], contentType: String?) {
        self.body = body
        self.contentType = body.isEmpty ? nil : contentType
    }
}
