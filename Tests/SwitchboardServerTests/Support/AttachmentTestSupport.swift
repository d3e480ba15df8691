import Foundation
import HTTPTypes
import NIOCore
import SwitchboardCore
import SwitchboardTestSupport

/// An HTTP answer whose body is kept as bytes (a file), and read as JSON when it is one.
struct FileAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var bytes: [UInt8]
    var json: JSON { JSON(try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) }
}

/// Small real files for the attachment tests.
enum SampleFile {
    /// A 1×1 PNG.
    static let png: [UInt8] = Array(Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!)
    /// A PDF's first bytes and some more.
    static let pdf: [UInt8] = Array("%PDF-1.4\n% a test document\n".utf8) + (0..<2000).map { UInt8($0 % 251) }
}

extension TestServer {
    /// Any request with a byte body.
    func bytes(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil) async throws -> FileAnswer {
        try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            FileAnswer(status: response.status, headers: response.headers, bytes: Array(response.body.readableBytesView))
        }
    }

    /// The customer uploads a file with its session secret.
    func customerUpload(
        _ session: String, secret: String, name: String, type: String?, _ body: [UInt8], clientMessageId: String? = nil
    ) async throws -> FileAnswer {
        var headers: HTTPFields = [HTTPField.Name("X-Session-Secret")!: secret]
        if let type { headers[.contentType] = type }
        let query = "?name=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" + (clientMessageId.map { "&clientMessageId=\($0)" } ?? "")
        return try await bytes(.post, "/api/v1/chat/sessions/\(session)/attachments\(query)", headers: headers, body: body)
    }

    /// An agent uploads a file with a login token.
    func agentUpload(_ session: String, token: String, name: String, type: String, _ body: [UInt8]) async throws -> FileAnswer {
        try await bytes(.post, "/api/v1/agent/sessions/\(session)/attachments?name=\(name)",
                        headers: [.authorization: "Bearer \(token)", .contentType: type], body: body)
    }

    /// A login token for `agent`, as the server issues them.
    func token(for agent: String) async throws -> String {
        try await components.authenticator.issueToken(for: AgentID(agent)).token
    }
}
