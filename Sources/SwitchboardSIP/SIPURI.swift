/// A `sip:` or `sips:` URI (RFC 3261 §19.1): user, host (IPv6 in brackets), port, parameters and
/// headers. Escapes (`%41`) are kept as written, so a URI is written back exactly as it was read.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    /// Whether the scheme is `sips`.
    public var isSecure: Bool
    /// The user part as written (still %-escaped), if any.
    public var user: String?
    /// The password part as written, if any (deprecated but legal).
    public var password: String?
    /// The host: a name, an IPv4 address, or an IPv6 reference in brackets.
    public var host: String
    /// The port, when given.
    public var port: Int?
    /// URI parameters such as `transport=udp` or `lr`.
    public var parameters: SIPParameters
    /// URI headers (`?name=value&...`), as written.
    public var headers: [SIPParameter]

    /// Creates a URI.
    public init(user: String? = nil, host: String, port: Int? = nil, parameters: SIPParameters = [], isSecure: Bool = false) {
        self.isSecure = isSecure
        self.user = user
        self.password = nil
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = []
    }

    /// Whether the URI names a loose router (`;lr`, RFC 3261 §16.12).
    public var isLooseRouter: Bool { parameters.contains("lr") }

    /// The host without IPv6 brackets, for a socket address.
    public var bareHost: String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// Where to send to reach this URI when no DNS SRV is involved: host and port (default 5060, 5061 for sips).
    public var transportAddress: SIPTransportAddress {
        SIPTransportAddress(host: bareHost, port: port ?? (isSecure ? 5061 : 5060))
    }

    public var description: String {
        var text = isSecure ? "sips:" : "sip:"
        if let user {
            text += user
            if let password { text += ":" + password }
            text += "@"
        }
        text += host
        if let port { text += ":\(port)" }
        text += parameters.description
        if !headers.isEmpty {
            text += "?" + headers.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&")
        }
        return text
    }

    /// Parses a URI; throws ``SIPError/Code/unsupportedURIScheme`` for schemes other than sip/sips.
    public init(parsing text: String) throws(SIPError) {
        try self.init(parsing: text[...])
    }

    init(parsing text: Substring) throws(SIPError) {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            throw SIPError(.malformedURI, "'\(text)' is not a URI: it has no scheme")
        }
        let scheme = text[..<colon].lowercased()
        switch scheme {
        case "sip": isSecure = false
        case "sips": isSecure = true
        default:
            guard !scheme.isEmpty, SIPSyntax.isToken(scheme) else {
                throw SIPError(.malformedURI, "'\(text)' is not a URI: '\(scheme)' is not a scheme")
            }
            throw SIPError(.unsupportedURIScheme, "URI scheme '\(scheme)' is not supported (only sip and sips)")
        }
        guard !SIPSyntax.hasWhitespaceOrControl(text) else {
            throw SIPError(.malformedURI, "SIP URI '\(text)' contains whitespace or control characters")
        }
        if let bad = text.utf8.first(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) {
            throw SIPError(.malformedURI, "SIP URI '\(text)' contains '\(Character(Unicode.Scalar(bad)))'")
        }
        var rest = text[text.utf8.index(after: colon)...]
        // '@' is only legal in the userinfo (params and headers must escape it), so the first one ends it.
        user = nil
        password = nil
        if let at = rest.utf8.firstIndex(of: UInt8(ascii: "@")) {
            let userinfo = rest[..<at]
            if let userColon = userinfo.utf8.firstIndex(of: UInt8(ascii: ":")) {
                user = String(userinfo[..<userColon])
                password = String(userinfo[userinfo.utf8.index(after: userColon)...])
            } else {
                user = String(userinfo)
            }
            guard !(user ?? "").isEmpty else { throw SIPError(.malformedURI, "SIP URI '\(text)' has an empty user part") }
            rest = rest[rest.utf8.index(after: at)...]
        }
        var headerText: Substring?
        if let question = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            headerText = rest[rest.utf8.index(after: question)...]
            rest = rest[..<question]
        }
        var parameterText: Substring?
        if let semicolon = rest.utf8.firstIndex(of: UInt8(ascii: ";")) {
            parameterText = rest[rest.utf8.index(after: semicolon)...]
            rest = rest[..<semicolon]
        }
        (host, port) = try SIPURI.parseHostPort(rest, in: "SIP URI '\(text)'")
        parameters = SIPParameters()
        if let parameterText {
            for piece in parameterText.split(separator: ";", omittingEmptySubsequences: false) {
                guard !piece.isEmpty else { throw SIPError(.malformedURI, "SIP URI '\(text)' has an empty parameter") }
                if let equals = piece.firstIndex(of: "=") {
                    parameters.items.append(SIPParameter(String(piece[..<equals]), String(piece[piece.index(after: equals)...])))
                } else {
                    parameters.items.append(SIPParameter(String(piece)))
                }
            }
        }
        headers = []
        if let headerText {
            for piece in headerText.split(separator: "&", omittingEmptySubsequences: false) {
                guard let equals = piece.firstIndex(of: "=") else {
                    throw SIPError(.malformedURI, "SIP URI '\(text)' has a header without '='")
                }
                headers.append(SIPParameter(String(piece[..<equals]), String(piece[piece.index(after: equals)...])))
            }
        }
    }

    /// Parses `host[:port]` as in a URI or a Via sent-by.
    static func parseHostPort(_ text: Substring, in context: String) throws(SIPError) -> (String, Int?) {
        var hostPart = text
        var portPart: Substring?
        if text.utf8.first == UInt8(ascii: "[") {
            guard let close = text.utf8.firstIndex(of: UInt8(ascii: "]")) else {
                throw SIPError(.malformedURI, "\(context) has an IPv6 reference without ']'")
            }
            let afterClose = text.utf8.index(after: close)
            hostPart = text[..<afterClose]
            let tail = text[afterClose...]
            if !tail.isEmpty {
                guard tail.utf8.first == UInt8(ascii: ":") else {
                    throw SIPError(.malformedURI, "\(context) has text after its IPv6 reference")
                }
                portPart = tail.dropFirst()
            }
            let inner = hostPart.dropFirst().dropLast()
            guard !inner.isEmpty, inner.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
                throw SIPError(.malformedURI, "\(context) has an invalid IPv6 reference '\(hostPart)'")
            }
        } else {
            if let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) {
                hostPart = text[..<colon]
                portPart = text[text.utf8.index(after: colon)...]
            }
            guard !hostPart.isEmpty, hostPart.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }) else {
                throw SIPError(.malformedURI, "\(context) has an invalid host '\(hostPart)'")
            }
        }
        var port: Int?
        if let portPart {
            guard let value = SIPSyntax.decimal(portPart, maxDigits: 5), (1...65535).contains(value) else {
                throw SIPError(.malformedURI, "\(context) has an invalid port '\(portPart)'")
            }
            port = value
        }
        return (String(hostPart), port)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
