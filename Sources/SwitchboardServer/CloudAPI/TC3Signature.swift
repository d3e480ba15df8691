import Crypto
import Foundation

/// Tencent Cloud API 3.0's request signature, TC3-HMAC-SHA256, as the official SDKs compute it:
/// a canonical request (method, path, query, the signed headers, the body's SHA-256), hashed
/// into a string to sign that names the time and the credential scope, signed with a key
/// derived from the SecretKey through the date and the service.
///
/// Pure functions, no clock and no store, so a vector computed with Tencent's own signer checks
/// it exactly (`TC3SignatureTests`).
enum TC3Signature {
    static let algorithm = "TC3-HMAC-SHA256"
    /// The body hash a client asks for with `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// What a request contributes to its signature.
    struct Request {
        var method: String
        var path: String
        var query: String
        /// Every header of the request, names in any case; only the signed ones are used.
        var headers: [(name: String, value: String)]
        /// The lower-case names the `Authorization` header lists, in its order.
        var signedHeaders: [String]
        /// The body's SHA-256 in hex, or `UNSIGNED-PAYLOAD`.
        var payloadHash: String
        /// `X-TC-Timestamp`, as sent.
        var timestamp: String
        /// The credential scope's date, `YYYY-MM-DD` (UTC).
        var date: String
        /// The credential scope's service, `ccc`.
        var service: String
    }

    /// The SHA-256 of a body in lower-case hex.
    static func payloadHash(_ body: Data) -> String { hex(SHA256.hash(data: body)) }

    /// The canonical request: headers as `name:value` lower-cased and trimmed, as API 3.0 says.
    /// A signed header the request lacks contributes an empty value (and so fails to match).
    static func canonicalRequest(_ request: Request) -> String {
        let canonicalHeaders = request.signedHeaders.map { name -> String in
            let value = request.headers.first { $0.name.lowercased() == name }?.value ?? ""
            return "\(name):\(value.trimmingCharacters(in: .whitespaces).lowercased())\n"
        }.joined()
        let lines: [String] = [
            request.method, request.path, request.query, canonicalHeaders, request.signedHeaders.joined(separator: ";"),
            request.payloadHash,
        ]
        return lines.joined(separator: "\n")
    }

    /// The string the signature signs.
    static func stringToSign(_ request: Request) -> String {
        let scope = "\(request.date)/\(request.service)/tc3_request"
        let lines: [String] = [algorithm, request.timestamp, scope, hex(SHA256.hash(data: Data(canonicalRequest(request).utf8)))]
        return lines.joined(separator: "\n")
    }

    /// The signature (lower-case hex) `secretKey` gives the request.
    static func signature(secretKey: String, _ request: Request) -> String {
        let dateKey = hmac(key: Data("TC3\(secretKey)".utf8), request.date)
        let serviceKey = hmac(key: dateKey, request.service)
        let signingKey = hmac(key: serviceKey, "tc3_request")
        return hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign(request).utf8), using: SymmetricKey(data: signingKey)))
    }

    private static func hmac(key: Data, _ text: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
    }

    private static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// The parts of `Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request,
/// SignedHeaders=content-type;host, Signature=<hex>`.
struct TC3Authorization: Equatable {
    var secretId: String
    var date: String
    var service: String
    var signedHeaders: [String]
    var signature: String

    /// Reads the header; the error says which part is missing or malformed.
    static func parse(_ header: String) throws(CloudAPIError) -> TC3Authorization {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(TC3Signature.algorithm + " ") else {
            throw .invalidAuthorization("the Authorization header must start with '\(TC3Signature.algorithm) ': only TC3 signatures (API 3.0) are accepted")
        }
        var parts: [String: String] = [:]
        for part in trimmed.dropFirst(TC3Signature.algorithm.count + 1).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .invalidAuthorization("the Authorization header's part '\(part)' is not name=value") }
            parts[String(pair[0])] = String(pair[1])
        }
        guard let credential = parts["Credential"], let signed = parts["SignedHeaders"], let signature = parts["Signature"] else {
            throw .invalidAuthorization("the Authorization header needs Credential, SignedHeaders and Signature")
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 4, !scope[0].isEmpty, scope[3] == "tc3_request" else {
            throw .invalidAuthorization("Credential must be <SecretId>/<YYYY-MM-DD>/<service>/tc3_request, not '\(credential)'")
        }
        let signedHeaders = signed.split(separator: ";").map { $0.lowercased() }
        guard signedHeaders.contains("content-type"), signedHeaders.contains("host") else {
            throw .invalidAuthorization("SignedHeaders must include content-type and host, not '\(signed)'")
        }
        return TC3Authorization(secretId: scope[0], date: scope[1], service: scope[2], signedHeaders: signedHeaders, signature: signature)
    }
}
