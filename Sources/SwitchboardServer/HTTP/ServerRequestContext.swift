import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route, HTTP or WebSocket upgrade.
public struct ServerRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// How a WebSocket route chose to serve the connection it upgrades (``SwitchboardHTTPChannel``).
    let upgrade = UpgradeChoiceBox()
    /// The peer of the TCP connection: behind a reverse proxy, the proxy.
    public let remoteAddress: SocketAddress?
    /// The client's IP address as text, for per-address caps, rate limits and logs: the peer's,
    /// or, from a trusted proxy, the one it forwarded (`ClientAddressMiddleware`).
    public var clientAddress: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.remoteAddress = source.channel.remoteAddress
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies above 1 MiB are refused before they are read; the admin API checks finer limits.
    public var maxUploadSize: Int { 1 << 20 }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// Decodes JSON bodies and turns every decoding failure into an `APIError` that names the field
/// and what was wrong with it, instead of Foundation's debug description.
public struct APIRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { throw APIError(.badRequest, code: "missingBody", "the request needs a JSON body") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "invalidBody", APIError.describe(error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, code: "invalidBody", "the body is not valid JSON: \(error)")
        }
    }
}

/// An admin or chat API error: an HTTP status and `{"error": {"code", "message"}}`.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds after which the same request may succeed: sent as `Retry-After` and `retryAfter`.
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: Any] = ["code": code, "message": message]
        if let retryAfter { error["retryAfter"] = retryAfter }
        let body = try JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A decoding error as a person would say it: which field, and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return parts.hasPrefix(".") ? String(parts.dropFirst()) : parts
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)' is required"
        case .typeMismatch(let type, let context):
            return "field '\(path(context))' must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context))' must be \(describe(type)), not null"
        case .dataCorrupted(let context):
            let field = path(context)
            return field.isEmpty ? "the body is not valid JSON" : "field '\(field)': \(context.debugDescription)"
        @unknown default:
            return "the body could not be read"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
