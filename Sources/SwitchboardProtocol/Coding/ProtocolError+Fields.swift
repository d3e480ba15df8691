extension ProtocolError {
    /// A required field is absent.
    static func missingField(at path: [any CodingKey]) -> ProtocolError {
        ProtocolError(.missingField, "field '\(fieldPath(path))' is required")
    }

    /// A field holds the wrong JSON type; the message names what was expected and what was found.
    static func wrongType(at path: [any CodingKey], expected: String, found: JSONValue) -> ProtocolError {
        if path.isEmpty {
            return ProtocolError(.malformedJSON, "expected \(expected), not \(found.kindDescription)")
        }
        return ProtocolError(.wrongFieldType, "field '\(fieldPath(path))' must be \(expected), not \(found.kindDescription)")
    }

    /// A field's value is not allowed; `reason` completes "field 'x' ...".
    static func invalidValue(at path: [any CodingKey], _ reason: String) -> ProtocolError {
        ProtocolError(.invalidValue, "field '\(fieldPath(path))' \(reason)")
    }

    /// A string field holds a value outside a fixed set.
    static func notOneOf(_ allowed: [String], at path: [any CodingKey], found: String) -> ProtocolError {
        var reason = "must be one of \(allowed.map { "'\($0)'" }.joined(separator: ", ")), not '\(found)'"
        if let guess = closestMatch(to: found, in: allowed) {
            reason += " (did you mean '\(guess)'?)"
        }
        return invalidValue(at: path, reason)
    }
}

extension JSONValue {
    /// How a value is named in an error: "null", "a string", "1.5".
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer(let value): "the number \(value)"
        case .number(let value): "the number \(value)"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
