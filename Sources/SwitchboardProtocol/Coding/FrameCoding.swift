/// Reading and writing the parts every frame shares: `"v"`, `"type"`, and checked string fields.
extension KeyedDecodingContainer where Key == WireKey {
    /// Checks `"v"` and returns `"type"`, which must be one of `accepted`; `socket` names the
    /// receiving side in the error, e.g. "the agent socket".
    func frameType(accepted: [String], on socket: String) throws -> String {
        guard contains("v") else {
            throw ProtocolError(.missingField, "field 'v' is required: every frame carries the protocol version, \"v\": \(WireProtocol.version)")
        }
        let version = try decode(Int.self, forKey: "v")
        guard version == WireProtocol.version else {
            throw ProtocolError(.unsupportedVersion, "protocol version \(version) is not supported; this side speaks version \(WireProtocol.version)")
        }
        let type = try decode(String.self, forKey: "type")
        guard accepted.contains(type) else {
            var message = "unknown frame type '\(type)'"
            if let guess = closestMatch(to: type, in: accepted) {
                message += " (did you mean '\(guess)'?)"
            }
            message += "; \(socket) accepts \(accepted.map { "'\($0)'" }.joined(separator: ", "))"
            throw ProtocolError(.unknownType, message)
        }
        return type
    }

    /// A string that must be present and not empty.
    func decodeNonEmpty(_ key: Key) throws -> String {
        let text = try decode(String.self, forKey: key)
        guard !text.isEmpty else { throw ProtocolError.invalidValue(at: codingPath + [key], "must not be empty") }
        return text
    }

    /// A string that may be absent or null, but not empty when given.
    func decodeNonEmptyIfPresent(_ key: Key) throws -> String? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard !text.isEmpty else {
            throw ProtocolError.invalidValue(at: codingPath + [key], "must not be empty; leave it out instead")
        }
        return text
    }

    /// The object at `key`, required because `method` needs parameters.
    func parameters(at key: Key, for method: String, needing fields: String) throws -> KeyedDecodingContainer<WireKey> {
        guard contains(key), try !decodeNil(forKey: key) else {
            throw ProtocolError(.missingField, "field '\(fieldPath(codingPath + [key]))' is required: '\(method)' needs \(fields)")
        }
        return try nestedContainer(keyedBy: WireKey.self, forKey: key)
    }
}

extension KeyedEncodingContainer where Key == WireKey {
    /// Writes `"v"` and `"type"`.
    mutating func encodeHeader(type: String) throws {
        try encode(WireProtocol.version, forKey: "v")
        try encode(type, forKey: "type")
    }
}

/// Decodes a string-valued enum, naming the allowed values when the string is not one of them.
func decodeWireEnum<T: RawRepresentable & CaseIterable>(
    _ type: T.Type, from decoder: any Decoder
) throws -> T where T.RawValue == String {
    let raw = try decoder.singleValueContainer().decode(String.self)
    guard let value = T(rawValue: raw) else {
        throw ProtocolError.notOneOf(T.allCases.map(\.rawValue), at: decoder.codingPath, found: raw)
    }
    return value
}
