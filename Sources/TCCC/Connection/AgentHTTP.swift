import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchboardProtocol

/// The agent's HTTP calls under `/api/v1/agent` (files, its history, recordings), with its login
/// token as `Authorization: Bearer`, as the browser SDK makes them: the socket carries JSON
/// frames only. A failure carries the server's own message.
struct AgentHTTP: Sendable {
    let connection: AgentConnection

    /// The largest answer read into memory (a recording of an hour is about 115 MB).
    static let maximumBody = 512 * 1024 * 1024

    /// A GET or POST; `body` is sent with `contentType`. The answer's bytes on success.
    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil) async -> Result<[UInt8], TCCCError> {
        guard let token = await connection.bearerToken else {
            return .failure(TCCCError(.closed, "not logged in (or the SDK was closed): this needs the login token"))
        }
        var request = HTTPClientRequest(url: await connection.httpBase + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let bytes = Array(try await response.body.collect(upTo: Self.maximumBody).readableBytesView)
            guard (200..<300).contains(response.status.code) else {
                return .failure(TCCCError(.refused, Self.message(of: bytes) ?? "the server answered \(response.status.code)"))
            }
            return .success(bytes)
        } catch {
            return .failure(TCCCError(.connectionFailed, "could not reach the server: \(error)"))
        }
    }

    /// A JSON answer decoded as `Value`.
    func json<Value: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil, as type: Value.Type
    ) async -> CommonSDKResponse<Value> {
        switch await send(method, path, body: body, contentType: contentType) {
        case .failure(let error): return .failure(error)
        case .success(let bytes):
            do { return .success(try JSONDecoder().decode(Value.self, from: Data(bytes))) } catch {
                return .failure(TCCCError(.invalidResponse, "the server's answer to \(path) could not be read: \(error)"))
            }
        }
    }

    /// The raw bytes of an answer.
    func bytes(_ path: String) async -> CommonSDKResponse<[UInt8]> {
        switch await send(.GET, path) {
        case .failure(let error): .failure(error)
        case .success(let bytes): .success(bytes)
        }
    }

    /// The `error.message` of the API's error body.
    private static func message(of bytes: [UInt8]) -> String? {
        struct Body: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
        return try? JSONDecoder().decode(Body.self, from: Data(bytes)).error.message
    }

    /// A path segment, percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
