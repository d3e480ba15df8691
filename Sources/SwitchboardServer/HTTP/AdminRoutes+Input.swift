import Foundation
import Hummingbird
import NIOCore
import SwitchboardProtocol
import SwitchboardStore

/// A JSON body an endpoint accepts. It names its fields so that a misspelt one
/// (`offerTimeout` for `offerTimeoutSeconds`) is refused instead of silently ignored, which
/// would leave the setting at its default with a 2xx answer.
protocol JSONRequestBody: Decodable {
    /// The top-level fields accepted.
    static var fields: [String] { get }
    /// The fields accepted inside an object (or each object of an array) held by a top-level field.
    static var nestedFields: [String: [String]] { get }
    /// Whether an empty body means `{}` (bodies whose fields are all optional).
    static var emptyMeansEmptyObject: Bool { get }
}

extension JSONRequestBody {
    static var nestedFields: [String: [String]] { [:] }
    static var emptyMeansEmptyObject: Bool { false }
}

/// Reading bodies, query parameters and path ids, with errors that name the part at fault.
enum RequestInput {
    /// Larger bodies are refused with 413: nothing the API takes is anywhere near this big.
    static let maximumBodySize = 64 * 1024

    static func body<T: JSONRequestBody>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "bodyTooLarge", "the body is larger than \(maximumBodySize) bytes (64 KiB), the limit")
        }
        var data = Data(buffer: buffer)
        if data.allSatisfy({ [0x20, 0x0a, 0x0d, 0x09].contains($0) }) {
            guard T.emptyMeansEmptyObject else { throw APIError(.badRequest, code: "missingBody", "the request needs a JSON body") }
            data = Data("{}".utf8)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) else {
            throw APIError(.badRequest, code: "invalidBody", "the body is not valid JSON")
        }
        guard let members = object as? [String: Any] else {
            throw APIError(.badRequest, code: "invalidBody", "the body must be a JSON object")
        }
        try checkFields(Set(members.keys), accepted: T.fields, at: "")
        for (field, accepted) in T.nestedFields {
            if let nested = members[field] as? [String: Any] {
                try checkFields(Set(nested.keys), accepted: accepted, at: field + ".")
            } else if let array = members[field] as? [Any] {
                for (index, element) in array.enumerated() {
                    if let nested = element as? [String: Any] {
                        try checkFields(Set(nested.keys), accepted: accepted, at: "\(field)[\(index)].")
                    }
                }
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "invalidBody", APIError.describe(error))
        } catch let error as ProtocolError {
            throw APIError(.badRequest, code: error.code.rawValue, error.message)
        } catch {
            throw APIError(.badRequest, code: "invalidBody", "the body could not be read: \(error)")
        }
    }

    private static func checkFields(_ present: Set<String>, accepted: [String], at prefix: String) throws(APIError) {
        guard let unknown = present.subtracting(accepted).sorted().first else { return }
        throw APIError(.badRequest, code: "unknownField",
                       "field '\(prefix)\(unknown)' is not accepted here; the fields are \(accepted.joined(separator: ", "))")
    }

    /// A path parameter, percent-decoded (ids may hold `@` or spaces in their encoded form).
    static func pathId(_ name: String, _ context: ServerRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}

/// A request's query parameters, refusing names the endpoint does not know and repeated names,
/// so `?limt=10` is an error rather than a silently ignored wish.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ request: Request, accepted: [String]) throws(APIError) {
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard accepted.contains(name) else {
                let list = accepted.isEmpty ? "this endpoint takes none" : "the parameters are \(accepted.joined(separator: ", "))"
                throw APIError(.badRequest, code: "unknownParameter", "query parameter '\(name)' is not accepted here; \(list)")
            }
            if values[name] != nil { throw APIError.invalid("query parameter '\(name)' is given more than once") }
            values[name] = String(value)
        }
    }

    /// A text parameter; present but empty is an error, since it cannot mean anything.
    /// The session search text `q`, trimmed; nil when absent or blank; refused over the store's limit.
    func sessionSearch() throws(APIError) -> String? {
        guard let text = try string("q")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.count > SessionListQuery.maximumSearchLength {
            throw APIError.invalid("query parameter 'q' is \(text.count) characters; the limit is \(SessionListQuery.maximumSearchLength)")
        }
        return text
    }

    func string(_ name: String) throws(APIError) -> String? {
        guard let value = values[name] else { return nil }
        if value.isEmpty { throw APIError.invalid("query parameter '\(name)' must not be empty") }
        return value
    }

    func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(APIError) -> Int {
        try optionalInt(name, in: range) ?? fallback
    }

    func optionalInt(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = try string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let upper = range.upperBound == Int.max ? "or more" : "to \(range.upperBound)"
            throw APIError.invalid("query parameter '\(name)' must be an integer \(range.lowerBound) \(upper), not '\(text)'")
        }
        return value
    }

    func bool(_ name: String) throws(APIError) -> Bool? {
        guard let text = try string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.invalid("query parameter '\(name)' must be true or false, not '\(text)'")
        }
    }

    /// One of a fixed set of values.
    func choice(_ name: String, _ allowed: [String]) throws(APIError) -> String? {
        guard let text = try string(name) else { return nil }
        guard allowed.contains(text) else {
            throw APIError.invalid("query parameter '\(name)' must be one of \(allowed.joined(separator: ", ")), not '\(text)'")
        }
        return text
    }

    /// `limit` (1–500, default 50) and `offset` (0 or more).
    func page() throws(APIError) -> PageRequest {
        PageRequest(
            limit: try int("limit", in: 1...PageRequest.maximumLimit, default: PageRequest.defaultLimit),
            offset: try int("offset", in: 0...Int.max, default: 0))
    }
}

/// Which slice of a list was asked for.
struct PageRequest: Sendable {
    static let defaultLimit = 50
    static let maximumLimit = 500
    static let names = ["limit", "offset"]

    var limit: Int
    var offset: Int

    /// The page of an in-memory list, with its exact total.
    func slice<Item: Encodable & Sendable>(_ all: [Item]) -> Page<Item> {
        let start = min(offset, all.count)
        let end = min(all.count, start + limit)
        return Page(items: Array(all[start..<end]), total: all.count, limit: limit, offset: offset, hasMore: end < all.count)
    }
}

/// Every list the API returns: `{items, total, limit, offset, hasMore}`.
///
/// `total` is null when the list comes from the store and this page does not reach its end:
/// counting would need a scan of every record, and `hasMore` already says whether to go on.
struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    @Nullable var total: Int?
    var limit: Int
    var offset: Int
    var hasMore: Bool
}

extension RequestInput {
    /// Ids of new groups and agents: 1–128 letters, digits, `.`, `_`, `-` or `@`, so that each
    /// can be written in a URL path as is (agent ids are often e-mail addresses, as in TCCC).
    static func checkNewId(_ id: String, field: String) throws(APIError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
        guard !id.isEmpty, id.count <= 128, id.allSatisfy(allowed.contains) else {
            throw APIError.invalid("field '\(field)' must be 1 to 128 letters, digits, '.', '_', '-' or '@', not '\(id)'")
        }
    }

    /// A display name: not blank, at most 256 characters.
    static func checkName(_ name: String?, field: String = "name") throws(APIError) {
        guard let name else { return }
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw APIError.invalid("field '\(field)' must not be blank") }
        if name.count > 256 { throw APIError.invalid("field '\(field)' is \(name.count) characters; the limit is 256") }
    }

    /// A string naming one case of an enum, with the accepted spellings in the error.
    static func enumValue<T: RawRepresentable & CaseIterable>(
        _ type: T.Type, _ text: String, field: String, allowed: [T]? = nil
    ) throws(APIError) -> T where T.RawValue == String {
        let cases = allowed ?? Array(T.allCases)
        guard let value = T(rawValue: text), cases.contains(where: { $0.rawValue == text }) else {
            throw APIError.invalid("field '\(field)' must be one of \(cases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return value
    }
}
