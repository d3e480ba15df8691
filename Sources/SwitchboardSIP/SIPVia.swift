/// One Via value (RFC 3261 §20.42, RFC 3581): transport, sent-by, branch, and the `received`/`rport`
/// parameters that say where a response must really go.
public struct SIPVia: Hashable, Sendable, CustomStringConvertible {
    /// The transport, uppercased: UDP, TCP, TLS...
    public var transport: String
    /// The sent-by host.
    public var host: String
    /// The sent-by port, when given (5060 otherwise).
    public var port: Int?
    /// All parameters, in order.
    public var parameters: SIPParameters

    /// The RFC 3261 branch prefix: a branch starting with it is unique per transaction.
    public static let magicCookie = "z9hG4bK"

    /// Creates a Via, by default asking for `rport` (RFC 3581) so responses come back through NAT.
    public init(transport: String = "UDP", host: String, port: Int? = nil, branch: String, rport: Bool = true) {
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        parameters = [SIPParameter("branch", branch)]
        if rport { parameters.items.append(SIPParameter("rport")) }
    }

    /// The branch parameter (the transaction id when it starts with ``magicCookie``).
    public var branch: String? {
        get { parameters.value("branch") }
        set { if let newValue { parameters.set("branch", newValue) } else { parameters.remove("branch") } }
    }

    /// The `received` parameter: the source IP a request really came from.
    public var received: String? {
        get { parameters.value("received") }
        set { if let newValue { parameters.set("received", newValue) } else { parameters.remove("received") } }
    }

    /// Whether `rport` is present, with or without a value.
    public var hasRport: Bool { parameters.contains("rport") }

    /// The `rport` value: the source port a request really came from; nil when absent or valueless.
    public var rport: Int? { parameters.value("rport").flatMap { SIPSyntax.decimal($0, maxDigits: 5) } }

    /// `host:port` with the default port filled in, lowercased: what transaction matching compares.
    public var sentBy: String { "\(host.lowercased()):\(port ?? 5060)" }

    /// Where responses to a request carrying this Via go over UDP (RFC 3261 §18.2.2, RFC 3581 §4):
    /// the `received` address if any, and the `rport` port if any.
    public var responseAddress: SIPTransportAddress {
        let target = received ?? host
        let bare = target.hasPrefix("[") ? String(target.dropFirst().dropLast()) : target
        return SIPTransportAddress(host: bare, port: rport ?? port ?? 5060)
    }

    public var description: String {
        var text = "SIP/2.0/\(transport) \(host)"
        if let port { text += ":\(port)" }
        return text + parameters.description
    }

    /// Parses one Via value, e.g. `SIP / 2.0 / UDP 192.0.2.2:5060;branch=z9hG4bK1;rport`.
    public init(parsing text: String) throws(SIPError) {
        try self.init(parsing: text[...])
    }

    init(parsing raw: Substring) throws(SIPError) {
        let text = SIPSyntax.trim(raw)
        guard !text.isEmpty else { throw SIPError(.malformedHeaderValue, "Via is empty") }
        let semicolon = text.utf8.firstIndex(of: UInt8(ascii: ";")) ?? text.endIndex
        let pieces = text[..<semicolon].split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else {
            throw SIPError(.malformedHeaderValue, "Via '\(text)' does not start with SIP/2.0/transport")
        }
        guard SIPSyntax.trim(pieces[0]).uppercased() == "SIP" else {
            throw SIPError(.malformedHeaderValue, "Via protocol '\(SIPSyntax.trim(pieces[0]))' is not SIP")
        }
        guard SIPSyntax.trim(pieces[1]) == "2.0" else {
            throw SIPError(.malformedHeaderValue, "Via version '\(SIPSyntax.trim(pieces[1]))' is not 2.0")
        }
        let transportAndHost = SIPSyntax.trim(pieces[2])
        let words = transportAndHost.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2, SIPSyntax.isToken(words[0]) else {
            throw SIPError(.malformedHeaderValue, "Via '\(text)' needs a transport and one sent-by host")
        }
        transport = words[0].uppercased()
        (host, port) = try SIPURI.parseHostPort(words[1], in: "Via sent-by")
        if semicolon < text.endIndex {
            parameters = try SIPParameters.parseHeaderParameters(text[text.utf8.index(after: semicolon)...], in: "Via")
        } else {
            parameters = SIPParameters()
        }
        if let rportValue = parameters.value("rport"), SIPSyntax.decimal(rportValue, maxDigits: 5) == nil {
            throw SIPError(.malformedHeaderValue, "Via rport '\(rportValue)' is not a port number")
        }
    }
}
