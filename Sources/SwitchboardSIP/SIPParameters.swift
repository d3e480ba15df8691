/// One `;name=value` parameter; `value` is nil for a flag such as `lr` or `rport`.
public struct SIPParameter: Hashable, Sendable {
    /// The parameter name as written.
    public var name: String
    /// The value as written (quoted strings keep their quotes), or nil for a flag.
    public var value: String?

    /// Creates a parameter.
    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of `;name=value` parameters, looked up case-insensitively.
public struct SIPParameters: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The parameters in order.
    public var items: [SIPParameter]

    /// Creates parameters.
    public init(_ items: [SIPParameter] = []) { self.items = items }
    /// Creates parameters from a literal list.
    public init(arrayLiteral elements: SIPParameter...) { items = elements }

    public func makeIterator() -> IndexingIterator<[SIPParameter]> { items.makeIterator() }

    /// Whether a parameter with this name is present, with or without a value.
    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// The value of the named parameter; nil when it is absent or has no value.
    public func value(_ name: String) -> String? {
        index(of: name).flatMap { items[$0].value }
    }

    /// Sets a parameter, replacing an existing one in place or appending it.
    public mutating func set(_ name: String, _ value: String?) {
        if let index = index(of: name) {
            items[index].value = value
        } else {
            items.append(SIPParameter(name, value))
        }
    }

    /// Removes the named parameter.
    public mutating func remove(_ name: String) {
        items.removeAll { $0.name.lowercased() == name.lowercased() }
    }

    /// The parameters as written after a URI or header value: `;a=b;c`.
    public var description: String {
        items.map { item in item.value.map { ";\(item.name)=\($0)" } ?? ";\(item.name)" }.joined()
    }

    private func index(of name: String) -> Int? {
        let lower = name.lowercased()
        return items.firstIndex { $0.name.lowercased() == lower }
    }

    /// Parses header parameters: the text after the first `;`, e.g. `tag = 1918 ; q=0.3`.
    /// Whitespace around `=` and `;` is allowed (LWS); empty parameters are not.
    static func parseHeaderParameters(_ text: Substring, in header: String) throws(SIPError) -> SIPParameters {
        let split = SIPSyntax.splitTopLevel(text, on: UInt8(ascii: ";"))
        guard split.balanced else {
            throw SIPError(.malformedHeaderValue, "\(header) has an unterminated quoted string in its parameters")
        }
        var parameters = SIPParameters()
        for piece in split.parts {
            let trimmed = SIPSyntax.trim(piece)
            guard !trimmed.isEmpty else {
                throw SIPError(.malformedHeaderValue, "\(header) has an empty parameter (stray ';')")
            }
            let name: Substring
            var value: String?
            if let equals = trimmed.utf8.firstIndex(of: UInt8(ascii: "=")) {
                name = SIPSyntax.trim(trimmed[..<equals])
                let rawValue = SIPSyntax.trim(trimmed[trimmed.utf8.index(after: equals)...])
                guard !rawValue.isEmpty else {
                    throw SIPError(.malformedHeaderValue, "\(header) parameter '\(name)' has '=' but no value")
                }
                if rawValue.utf8.first == UInt8(ascii: "\"") {
                    guard let quoted = SIPSyntax.readQuoted(rawValue), SIPSyntax.trim(quoted.rest).isEmpty else {
                        throw SIPError(.malformedHeaderValue, "\(header) parameter '\(name)' has a badly quoted value")
                    }
                } else if !rawValue.utf8.allSatisfy({ SIPSyntax.isTokenByte($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }) {
                    throw SIPError(.malformedHeaderValue, "\(header) parameter '\(name)' has an invalid value '\(rawValue)'")
                }
                value = String(rawValue)
            } else {
                name = trimmed
            }
            guard SIPSyntax.isToken(name) else {
                throw SIPError(.malformedHeaderValue, "\(header) has an invalid parameter name '\(name)'")
            }
            parameters.items.append(SIPParameter(String(name), value))
        }
        return parameters
    }
}
