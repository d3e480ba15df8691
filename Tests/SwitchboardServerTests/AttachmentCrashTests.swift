import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardTestSupport
import Testing

/// A file is acknowledged only once it and its message are stored: SIGKILL right after the
/// answer, and the restarted server still has both.
@Suite("Chat attachments across a crash", .serialized)
struct AttachmentCrashTests {
    @Test func anAcknowledgedFileSurvivesSIGKILL() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-attachment-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var process = try await ServerProcess.start(dataDirectory: dataDirectory)
        defer { process.kill() }
        try await AdminClient(port: process.port).expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales"}"#)
        let started = try JSONSerialization.jsonObject(with: try await Self.send(
            port: process.port, "POST", "/api/v1/chat/sessions", type: "application/json", Data(#"{"skillGroupId":"sales","nickname":"Ann"}"#.utf8),
            expect: 201)) as? [String: Any]
        let session = try #require(started?["sessionId"] as? String)
        let secret = try #require(started?["secret"] as? String)

        let answer = try JSONSerialization.jsonObject(with: try await Self.send(
            port: process.port, "POST", "/api/v1/chat/sessions/\(session)/attachments?name=receipt.png", secret: secret, type: "image/png",
            Data(SampleFile.png), expect: 201)) as? [String: Any]
        let attachment = (answer?["message"] as? [String: Any])?["attachment"] as? [String: Any]
        let id = try #require(attachment?["attachmentId"] as? String)
        process.kill()

        process = try await ServerProcess.start(dataDirectory: dataDirectory)
        let content = try await Self.send(port: process.port, "GET", "/api/v1/chat/sessions/\(session)/attachments/\(id)", secret: secret, expect: 200)
        #expect(Array(content) == SampleFile.png)
        let transcript = try JSONSerialization.jsonObject(with: try await Self.send(
            port: process.port, "GET", "/api/v1/chat/sessions/\(session)", secret: secret, expect: 200)) as? [String: Any]
        let messages = transcript?["messages"] as? [[String: Any]]
        #expect((messages?.first?["attachment"] as? [String: Any])?["attachmentId"] as? String == id)
    }

    static func send(
        port: Int, _ method: String, _ path: String, secret: String? = nil, type: String? = nil, _ body: Data? = nil, expect status: Int
    ) async throws -> Data {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let secret { request.setValue(secret, forHTTPHeaderField: "X-Session-Secret") }
        if let type { request.setValue(type, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        if code != status { throw TestFailure("\(method) \(path) answered \(code), expected \(status): \(String(decoding: data, as: UTF8.self))") }
        return data
    }
}
