import Foundation
import SwitchboardTestSupport
import HTTPTypes
import Testing

/// The admin key guards every admin route, in either header, and nothing else.
@Suite("Admin API key")
struct AdminAuthTests {
    @Test func missingKeyIsRefusedWithAClearMessage() async throws {
        try await TestServer.run { server in
            let answer = try await server.http(.get, "/api/v1/agents")
            #expect(answer.status == .unauthorized)
            #expect(answer.json.errorCode == "unauthorized")
            #expect(answer.json.errorMessage.contains("Authorization: Bearer"))
            #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let post = try await server.http(.post, "/api/v1/skill-groups", body: #"{"id":"sales"}"#)
            #expect(post.status == .unauthorized)
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").status == .notFound)
        }
    }

    @Test func wrongKeyIsRefusedInEitherHeader() async throws {
        try await TestServer.run { server in
            let bearer = try await server.http(.get, "/api/v1/agents", headers: [.authorization: "Bearer not-the-key"])
            #expect(bearer.status == .unauthorized)
            #expect(bearer.json.errorMessage.contains("not valid"))
            let header = try await server.http(.get, "/api/v1/agents", headers: [.apiKey: "not-the-key"])
            #expect(header.status == .unauthorized)
            let basic = try await server.http(.get, "/api/v1/agents", headers: [.authorization: "Basic \(TestServer.adminKey)"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func rightKeyWorksInEitherHeader() async throws {
        try await TestServer.run { server in
            let headers: [HTTPFields] = [
                [.authorization: "Bearer \(TestServer.adminKey)"], [.authorization: "bearer \(TestServer.adminKey)"], [.apiKey: TestServer.adminKey],
            ]
            for header in headers {
                let answer = try await server.http(.get, "/api/v1/agents", headers: header)
                #expect(answer.status == .ok, "\(header)")
            }
        }
    }

    @Test func chatOpenAPIAndOperationsNeedNoKey() async throws {
        try await TestServer.run { server in
            #expect(try await server.http(.get, "/openapi.json").status == .ok)
            #expect(try await server.http(.get, "/healthz").status == .ok)
            let start = try await server.http(.post, "/api/v1/chat/sessions", body: #"{"skillGroupId":"nope","nickname":"Ann"}"#)
            #expect(start.status == .badRequest) // refused for the group, not for a key
            #expect(start.json.errorMessage.contains("nope"))
        }
    }

    @Test func bodiesOver64KiBAreRefusedAndChangeNothing() async throws {
        try await TestServer.run { server in
            let padding = String(repeating: "x", count: 70 * 1024)
            let answer = try await server.api(.post, "/api/v1/skill-groups", #"{"id":"big","name":"\#(padding)"}"#)
            #expect(answer.status == .contentTooLarge)
            #expect(answer.json.errorCode == "bodyTooLarge")
            #expect(try await server.api(.get, "/api/v1/skill-groups/big").status == .notFound)
            let chat = try await server.http(.post, "/api/v1/chat/sessions", body: #"{"skillGroupId":"big","nickname":"\#(padding)"}"#)
            #expect(chat.status == .contentTooLarge)
        }
    }
}
