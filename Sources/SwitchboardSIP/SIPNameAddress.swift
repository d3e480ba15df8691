/// A `name-addr` or `addr-spec` with header parameters, as in From, To, Contact, Route and
/// Record-Route: `"Display Name" <sip:user@host>;tag=abc`.
public struct SIPNameAddress: Hashable, Sendable, CustomStringConvertible {
    /// The display name, unquoted; nil when absent.
    public var displayName: String?
    /// The URI.
    public var uri: SIPURI
    /// Header parameters after the URI, such as `tag`, `expires` or `q`.
    public var parameters: SIPParameters

    /// Creates an address.
    public init(displayName: String? = nil, uri: SIPURI, parameters: SIPParameters = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    /// The `tag` parameter of From and To.
    public var tag: String? {
        get { parameters.value("tag") }
        set {
            if let newValue { parameters.set("tag", newValue) } else { parameters.remove("tag") }
        }
    }

    /// The same address with a `tag`.
    public func tagged(_ tag: String) -> SIPNameAddress {
        var copy = self
        copy.tag = tag
        return copy
    }

    /// Always written in the `<...>` form, which is unambiguous whatever the URI holds.
    public var description: String {
        var text = ""
        if let displayName, !displayName.isEmpty {
            let plain = displayName.split(separator: " ").allSatisfy { SIPSyntax.isToken($0) }
            text = (plain ? displayName : SIPSyntax.quote(displayName)) + " "
        }
        return text + "<\(uri)>" + parameters.description
    }

    /// Parses one name-addr or addr-spec with its parameters; `header` names the header in errors.
    public init(parsing text: String, header: String = "address") throws(SIPError) {
        try self.init(parsing: text[...], header: header)
    }

    init(parsing raw: Substring, header: String) throws(SIPError) {
        let text = SIPSyntax.trim(raw)
        guard !text.isEmpty else { throw SIPError(.malformedHeaderValue, "\(header) is empty") }
        var afterURI: Substring
        if text.utf8.first == UInt8(ascii: "\"") {
            guard let quoted = SIPSyntax.readQuoted(text) else {
                throw SIPError(.malformedHeaderValue, "\(header) has an unterminated quoted string in its display name")
            }
            displayName = quoted.content
            let rest = SIPSyntax.trim(quoted.rest)
            guard rest.utf8.first == UInt8(ascii: "<") else {
                throw SIPError(.malformedHeaderValue, "\(header) has a quoted display name not followed by '<URI>'")
            }
            (uri, afterURI) = try SIPNameAddress.readBracketedURI(rest, header: header)
        } else if let angle = text.utf8.firstIndex(of: UInt8(ascii: "<")) {
            let display = SIPSyntax.trim(text[..<angle])
            let words = display.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.allSatisfy({ SIPSyntax.isToken($0) }) else {
                throw SIPError(.malformedHeaderValue, "\(header) display name '\(display)' has characters that need quotes")
            }
            displayName = display.isEmpty ? nil : words.joined(separator: " ")
            (uri, afterURI) = try SIPNameAddress.readBracketedURI(text[angle...], header: header)
        } else {
            // addr-spec form: everything after the first ';' is a header parameter, so the URI itself
            // cannot carry parameters or headers (RFC 3261 §20).
            displayName = nil
            let semicolon = text.utf8.firstIndex(of: UInt8(ascii: ";")) ?? text.endIndex
            let uriText = SIPSyntax.trim(text[..<semicolon])
            if uriText.contains("?") || uriText.contains(",") {
                throw SIPError(.malformedHeaderValue, "\(header) URI '\(uriText)' with headers must be enclosed in '<>'")
            }
            do {
                uri = try SIPURI(parsing: uriText)
            } catch {
                throw SIPError(error.code, "\(header): \(error.message)")
            }
            afterURI = text[semicolon...]
        }
        let tail = SIPSyntax.trim(afterURI)
        if tail.isEmpty {
            parameters = SIPParameters()
        } else {
            guard tail.utf8.first == UInt8(ascii: ";") else {
                throw SIPError(.malformedHeaderValue, "\(header) has unexpected text '\(tail)' after its URI")
            }
            parameters = try SIPParameters.parseHeaderParameters(tail.dropFirst(), in: header)
        }
    }

    private static func readBracketedURI(_ text: Substring, header: String) throws(SIPError) -> (SIPURI, Substring) {
        guard let close = text.utf8.firstIndex(of: UInt8(ascii: ">")) else {
            throw SIPError(.malformedHeaderValue, "\(header) has '<' without a closing '>'")
        }
        let inner = text[text.utf8.index(after: text.utf8.startIndex)..<close]
        do {
            return (try SIPURI(parsing: inner), text[text.utf8.index(after: close)...])
        } catch {
            throw SIPError(error.code, "\(header): \(error.message)")
        }
    }
}
