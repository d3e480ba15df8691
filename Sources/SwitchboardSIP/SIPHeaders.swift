/// The header fields of a message, in the order they were received or added.
///
/// Order matters in SIP (Via, Route and Record-Route are ordered lists), so fields are kept as a list
/// and looked up by scanning; messages have tens of headers, not thousands.
public struct SIPHeaders: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    /// The fields in order.
    public var fields: [SIPHeaderField]

    /// Creates headers from fields.
    public init(_ fields: [SIPHeaderField] = []) { self.fields = fields }
    /// Creates headers from `(name, value)` pairs.
    public init(arrayLiteral elements: (SIPHeaderName, String)...) {
        fields = elements.map { SIPHeaderField($0.0, $0.1) }
    }

    public func makeIterator() -> IndexingIterator<[SIPHeaderField]> { fields.makeIterator() }

    /// The value of the first field with this name.
    public subscript(name: SIPHeaderName) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Whether a field with this name is present.
    public func contains(_ name: SIPHeaderName) -> Bool { fields.contains { $0.name == name } }

    /// Every value of the header: one per field, and for list headers one per comma-separated element
    /// (commas inside quotes or `<>` do not split).
    public func values(_ name: SIPHeaderName) -> [String] {
        var out: [String] = []
        for field in fields where field.name == name {
            if name.isList {
                for part in SIPSyntax.splitTopLevel(field.value[...], on: UInt8(ascii: ",")).parts {
                    let trimmed = SIPSyntax.trim(part)
                    if !trimmed.isEmpty { out.append(String(trimmed)) }
                }
            } else {
                out.append(field.value)
            }
        }
        return out
    }

    /// Appends a field at the end.
    public mutating func add(_ name: SIPHeaderName, _ value: String) {
        fields.append(SIPHeaderField(name, value))
    }

    /// Sets the header to one value: replaces the first field with this name, removes the others,
    /// or appends when absent.
    public mutating func set(_ name: SIPHeaderName, _ value: String) {
        setAll(name, [value])
    }

    /// Replaces every field with this name by one field per value, where the first one was (or at the
    /// end); an empty list removes the header.
    public mutating func setAll(_ name: SIPHeaderName, _ values: [String]) {
        let position = fields.firstIndex { $0.name == name } ?? fields.count
        let before = fields[..<position].filter { $0.name != name }
        let after = fields[position...].filter { $0.name != name }
        fields = before + values.map { SIPHeaderField(name, $0) } + after
    }

    /// Removes every field with this name.
    public mutating func remove(_ name: SIPHeaderName) {
        fields.removeAll { $0.name == name }
    }

    /// Inserts a field before all others (used for Via on forwarded requests).
    public mutating func prepend(_ name: SIPHeaderName, _ value: String) {
        fields.insert(SIPHeaderField(name, value), at: 0)
    }
}
