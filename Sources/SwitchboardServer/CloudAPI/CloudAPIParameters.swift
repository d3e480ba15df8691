import SwitchboardProtocol

/// The JSON object of a request (or an object inside it), read field by field with TCCC's types.
///
/// Fields the action does not define are refused (`UnknownParameter`) rather than ignored, so a
/// misspelt field never leaves a setting silently unchanged; a field of the wrong type is
/// `InvalidParameter`; every error names the field by its path (`Staffs[0].Mail`).
struct CloudAPIParameters {
    private let members: [String: JSONValue]
    /// The path of this object in the request, `""` for the top level.
    private let path: String

    init(_ value: JSONValue, path: String = "") throws(CloudAPIError) {
        guard case .object(let members) = value else {
            throw .invalidParameter(path.isEmpty ? "the body must be a JSON object" : "'\(path)' must be an object")
        }
        self.members = members
        self.path = path
    }

    /// Refuses any field not in `accepted`.
    func accept(_ accepted: [String]) throws(CloudAPIError) {
        if let unknown = Set(members.keys).subtracting(accepted).sorted().first {
            throw CloudAPIError("UnknownParameter", "'\(name(unknown))' is not a parameter of this action; the parameters are \(accepted.joined(separator: ", "))")
        }
    }

    /// The full path of a field, for messages.
    func name(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }

    /// A field, treating `null` as absent (the SDKs send unset fields as null in some languages).
    private func value(_ field: String) -> JSONValue? {
        guard let value = members[field], value != .null else { return nil }
        return value
    }

    func int(_ field: String) throws(CloudAPIError) -> Int64? {
        guard let value = value(field) else { return nil }
        guard case .integer(let number) = value else { throw .invalidParameter("'\(name(field))' must be an integer") }
        return number
    }

    func requiredInt(_ field: String) throws(CloudAPIError) -> Int64 {
        guard let number = try int(field) else { throw .missing(name(field)) }
        return number
    }

    /// An integer in `range`, or `fallback` when absent.
    func int(_ field: String, in range: ClosedRange<Int64>, default fallback: Int64) throws(CloudAPIError) -> Int64 {
        guard let number = try int(field) else { return fallback }
        guard range.contains(number) else { throw .invalidValue("'\(name(field))' must be \(range.lowerBound) to \(range.upperBound), not \(number)") }
        return number
    }

    func string(_ field: String) throws(CloudAPIError) -> String? {
        guard let value = value(field) else { return nil }
        guard case .string(let text) = value else { throw .invalidParameter("'\(name(field))' must be a string") }
        return text
    }

    /// A string that must be present and not empty.
    func requiredString(_ field: String) throws(CloudAPIError) -> String {
        guard let text = try string(field) else { throw .missing(name(field)) }
        guard !text.isEmpty else { throw .invalidValue("'\(name(field))' must not be empty") }
        return text
    }

    func bool(_ field: String) throws(CloudAPIError) -> Bool? {
        guard let value = value(field) else { return nil }
        guard case .bool(let flag) = value else { throw .invalidParameter("'\(name(field))' must be true or false") }
        return flag
    }

    private func array(_ field: String) throws(CloudAPIError) -> [JSONValue]? {
        guard let value = value(field) else { return nil }
        guard case .array(let elements) = value else { throw .invalidParameter("'\(name(field))' must be an array") }
        return elements
    }

    func strings(_ field: String) throws(CloudAPIError) -> [String]? {
        guard let elements = try array(field) else { return nil }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else { throw .invalidParameter("'\(name(field))[\(index)]' must be a string") }
            result.append(text)
        }
        return result
    }

    func ints(_ field: String) throws(CloudAPIError) -> [Int64]? {
        guard let elements = try array(field) else { return nil }
        var result: [Int64] = []
        for (index, element) in elements.enumerated() {
            guard case .integer(let number) = element else { throw .invalidParameter("'\(name(field))[\(index)]' must be an integer") }
            result.append(number)
        }
        return result
    }

    /// An array of objects, each readable with its own path (`Staffs[2]`).
    func objects(_ field: String) throws(CloudAPIError) -> [CloudAPIParameters]? {
        guard let elements = try array(field) else { return nil }
        var result: [CloudAPIParameters] = []
        for (index, element) in elements.enumerated() { result.append(try CloudAPIParameters(element, path: "\(name(field))[\(index)]")) }
        return result
    }

    /// A field this server cannot honour: refused when given a value other than `neutral`, so a
    /// caller never believes it took effect. `why` says what Switchboard does instead.
    func refuseUnsupported(_ field: String, unless neutral: (JSONValue) -> Bool = { _ in false }, why: String) throws(CloudAPIError) {
        guard let value = value(field), !neutral(value) else { return }
        throw .invalidValue("'\(name(field))' is not supported by Switchboard: \(why); leave it out")
    }
}
