import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardProtocol

/// TCCC's server API (`ccc`, version 2020-02-10) as Tencent Cloud API 3.0 serves it: `POST /`
/// with a JSON body, the action in `X-TC-Action`, signed with TC3-HMAC-SHA256 by one of the
/// tenant's key pairs. Tencent's official SDKs reach it by setting their endpoint to this
/// server (`HttpProfile(endpoint="host:port")`), which makes them post to `/`; `GET /` stays the
/// home page, so nothing clashes.
///
/// Every answer is HTTP 200 with `{"Response": {..., "RequestId"}}`, errors included, because
/// that is what the SDKs parse: they raise `TencentCloudSDKException(code, message, requestId)`
/// from `Response.Error` and treat any other status as a network failure.
enum CloudAPIEndpoint {
    /// The only version of `ccc` there is.
    static let version = "2020-02-10"
    static let service = "ccc"
    /// A signature is good for five minutes either side of the server's clock, as in Tencent Cloud.
    static let allowedClockSkewSeconds: Int64 = 300
    /// Larger bodies are refused: no action takes anything near this.
    static let maximumBodySize = 64 * 1024

    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        router.post("/") { request, context -> Response in
            let requestId = UUID().uuidString.lowercased()
            do throws(CloudAPIError) {
                let result = try await answer(request, context: context, server: server)
                return respond(result, requestId: requestId)
            } catch {
                if error.code.hasPrefix("InternalError") {
                    context.logger.warning("TCCC API request failed", metadata: ["requestId": "\(requestId)", "error": "\(error)"])
                }
                return respond(["Error": ["Code": .string(error.code), "Message": .string(error.message)]], requestId: requestId)
            }
        }
    }

    /// Checks the headers and signature, then runs the action.
    private static func answer(
        _ request: Request, context: ServerRequestContext, server: ServerComponents
    ) async throws(CloudAPIError) -> [String: JSONValue] {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maximumBodySize) } catch {
            throw CloudAPIError("RequestSizeLimitExceeded", "the body is larger than \(maximumBodySize) bytes (64 KiB), the limit")
        }
        let bodyData = Data(buffer: body)
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }

        guard let action = header("X-TC-Action"), !action.isEmpty else {
            throw CloudAPIError("MissingParameter", "the request needs the 'X-TC-Action' header naming the action, e.g. DescribeStaffInfoList")
        }
        guard let version = header("X-TC-Version") else {
            throw CloudAPIError("MissingParameter", "the request needs the 'X-TC-Version' header: \(version)")
        }
        guard version == Self.version else {
            throw CloudAPIError("NoSuchVersion", "'X-TC-Version' is '\(version)'; the ccc API has version \(Self.version) only")
        }
        guard let contentType = header("Content-Type"), contentType.lowercased().hasPrefix("application/json") else {
            throw CloudAPIError("UnsupportedProtocol", "the body must be JSON ('Content-Type: application/json'), as API 3.0 POST requests are")
        }
        if let token = header("X-TC-Token"), !token.isEmpty {
            throw CloudAPIError("AuthFailure.TokenFailure", "temporary credentials ('X-TC-Token') are not supported: sign with a key pair from POST /api/v1/api-keys")
        }
        let tenant = try await authenticate(request, header: header, body: bodyData, server: server)

        let parameters: JSONValue
        do { parameters = try JSONParser.parse(bodyData.isEmpty ? Data("{}".utf8) : bodyData) } catch {
            throw .invalidParameter("the body is not valid JSON")
        }
        let call = try CloudAPICall(
            parameters: CloudAPIParameters(parameters), server: server, sdkAppId: tenant,
            baseURL: server.configuration.publicURL ?? requestBaseURL(request, server: server))
        guard let handler = CloudAPIActions.handlers[action] else {
            throw CloudAPIError("UnsupportedOperation", "action \(action) is not implemented by Switchboard; docs/tccc-migration.md lists the actions there are")
        }
        return try await handler(call)
    }

    /// The tenant of a request whose TC3 signature is right, fresh and by a live key.
    private static func authenticate(
        _ request: Request, header: (String) -> String?, body: Data, server: ServerComponents
    ) async throws(CloudAPIError) -> Int64 {
        guard let authorization = header("Authorization") else {
            throw CloudAPIError("AuthFailure.SignatureFailure", "the request is not signed: it needs 'Authorization: TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'")
        }
        let parsed = try TC3Authorization.parse(authorization)
        guard let timestampText = header("X-TC-Timestamp"), let timestamp = Int64(timestampText) else {
            throw CloudAPIError("MissingParameter", "the request needs the 'X-TC-Timestamp' header: the signing time in Unix seconds")
        }
        guard parsed.service == service else {
            throw .invalidAuthorization("the Credential's service is '\(parsed.service)'; this is the '\(service)' API")
        }
        let now = Int64(Date().timeIntervalSince1970)
        // Checked before any arithmetic: an absurd value (Int64.min) must be an answer, not an
        // overflow that stops the process.
        guard (0...CloudAPITimeRange.latestSeconds).contains(timestamp) else {
            throw .signatureExpire("'X-TC-Timestamp' \(timestamp) is not a time: Unix seconds from 0 to \(CloudAPITimeRange.latestSeconds) are")
        }
        guard abs(now - timestamp) <= allowedClockSkewSeconds else {
            throw .signatureExpire("'X-TC-Timestamp' \(timestamp) is \(abs(now - timestamp)) s from the server's time \(now); a signature is good for \(allowedClockSkewSeconds) s: sign again, and check the client's clock")
        }
        let date = Self.utcDate(timestamp)
        guard parsed.date == date else {
            throw .signatureFailure("the Credential's date is \(parsed.date) but 'X-TC-Timestamp' falls on \(date) (UTC)")
        }
        // An unsigned body would make a captured request good for any body for five minutes.
        if header("X-TC-Content-SHA256") == TC3Signature.unsignedPayload {
            throw .signatureFailure("'X-TC-Content-SHA256: UNSIGNED-PAYLOAD' is not accepted here: sign the body (the SDKs' default)")
        }
        let key: (sdkAppId: Int64, secretKey: String)?
        do { key = try await server.apiKeys.secret(of: parsed.secretId) } catch { throw .storeFailed(error) }
        guard let key else {
            throw .secretIdNotFound("SecretId \(parsed.secretId) is not a key of this server (never created, or revoked); create one with POST /api/v1/api-keys")
        }
        let expected = TC3Signature.signature(secretKey: key.secretKey, TC3Signature.Request(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            // HTTP/1's Host header arrives as the request's authority, not among its header fields.
            headers: request.headers.map { ($0.name.canonicalName, $0.value) } + [("host", request.head.authority ?? "")],
            signedHeaders: parsed.signedHeaders,
            payloadHash: TC3Signature.payloadHash(body),
            timestamp: String(timestamp), date: parsed.date, service: parsed.service))
        guard constantTimeEquals(expected, parsed.signature.lowercased()) else {
            throw .signatureFailure("the signature does not match: the SecretKey, a signed header or the body differs from what was signed")
        }
        return key.sdkAppId
    }

    /// `YYYY-MM-DD` of a Unix time in UTC, the credential scope's date.
    static func utcDate(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Where the request came to: the browser SDK is served from the same address.
    private static func requestBaseURL(_ request: Request, server: ServerComponents) -> String {
        let host = request.head.authority ?? "\(server.configuration.host):\(server.configuration.port)"
        return "\(server.tls == nil ? "http" : "https")://\(host)"
    }

    /// `Content-Type: application/json` exactly: the Python SDK reads errors only from answers
    /// whose content type is exactly that (or text/plain).
    private static func respond(_ members: [String: JSONValue], requestId: String) -> Response {
        var response = members
        response["RequestId"] = .string(requestId)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONValue.object(["Response": .object(response)]))) ?? Data()
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
