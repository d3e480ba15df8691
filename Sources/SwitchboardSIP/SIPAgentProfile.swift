/// What this user agent says about itself: where it is reached (Via and Contact), what it allows and
/// supports. Used to build requests and to answer OPTIONS, unknown extensions and refreshes.
public struct SIPAgentProfile: Hashable, Sendable {
    /// The host put in Via sent-by (our public IP or name).
    public var viaHost: String
    /// The port put in Via sent-by; nil for the default 5060.
    public var viaPort: Int?
    /// The Contact URI for dialogs we take part in.
    public var contact: SIPURI
    /// The User-Agent / Server header value; nil to send none.
    public var userAgent: String?
    /// The methods we accept, for Allow.
    public var allow: [SIPMethod]
    /// The extensions we implement, for Supported. Only `timer` (RFC 4028 refreshes are answered).
    public var supported: [String]
    /// The body types we accept, for Accept.
    public var accept: [String]
    /// The smallest session interval we accept, in seconds (RFC 4028 Min-SE; at least 90).
    public var minimumSessionExpires: Int

    /// Creates a profile with the methods and extensions this library implements.
    public init(
        viaHost: String,
        viaPort: Int? = nil,
        contact: SIPURI,
        userAgent: String? = "Switchboard",
        allow: [SIPMethod] = [.invite, .ack, .bye, .cancel, .options, .info, .update],
        supported: [String] = ["timer"],
        accept: [String] = ["application/sdp", "application/dtmf-relay"],
        minimumSessionExpires: Int = 90
    ) {
        self.viaHost = viaHost
        self.viaPort = viaPort
        self.contact = contact
        self.userAgent = userAgent
        self.allow = allow
        self.supported = supported
        self.accept = accept
        self.minimumSessionExpires = minimumSessionExpires
    }

    /// A Via for a new request, asking for `rport`.
    public func via(branch: String) -> SIPVia {
        SIPVia(transport: "UDP", host: viaHost, port: viaPort, branch: branch, rport: true)
    }

    /// The Allow header value.
    public var allowValue: String { allow.map(\.rawValue).joined(separator: ", ") }

    /// The 200 answer to an OPTIONS request (RFC 3261 §11.2): Allow, Accept and Supported.
    public func answerOptions(_ request: SIPMessage, toTag: String = SIPIdentifiers.tag()) -> SIPMessage {
        var response = request.makeResponse(.ok, toTag: toTag, contact: contact)
        response.headers.add(.allow, allowValue)
        response.headers.add(.accept, accept.joined(separator: ", "))
        response.headers.add(.supported, supported.joined(separator: ", "))
        if let userAgent { response.headers.add(.server, userAgent) }
        return response
    }

    /// The option tags in the request's Require that we do not support.
    public func unsupportedExtensions(in request: SIPMessage) -> [String] {
        let known = Set(supported.map { $0.lowercased() })
        return request.require.filter { !known.contains($0.lowercased()) }
    }

    /// A 420 Bad Extension listing the unsupported tags in `Unsupported` (RFC 3261 §8.2.2.3), or nil
    /// when we support everything the request requires. Never for ACK or CANCEL, which cannot be refused.
    public func rejectUnsupportedExtensions(_ request: SIPMessage, toTag: String = SIPIdentifiers.tag()) -> SIPMessage? {
        guard request.method != .ack, request.method != .cancel else { return nil }
        let missing = unsupportedExtensions(in: request)
        guard !missing.isEmpty else { return nil }
        var response = request.makeResponse(.badExtension, toTag: toTag)
        response.headers.add(.unsupported, missing.joined(separator: ", "))
        return response
    }

    /// A 405 for a method we do not allow, with our Allow list (RFC 3261 §8.2.1), or nil when allowed.
    public func rejectDisallowedMethod(_ request: SIPMessage, toTag: String = SIPIdentifiers.tag()) -> SIPMessage? {
        guard let method = request.method, !allow.contains(method), method != .ack else { return nil }
        var response = request.makeResponse(.methodNotAllowed, toTag: toTag)
        response.headers.add(.allow, allowValue)
        return response
    }
}
