import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// Files both ways in an im session: sent over HTTP, delivered as messages, served only to the
/// session's customer, its agents and supervisors, never as a page, within the size and type limits.
@Suite("Chat attachments")
struct AttachmentTests {
    @Test func customerAndAgentSendFilesThatTheOtherSideReceivesAndDownloads() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            _ = try await alice.event("callIn", session: session)
            try await alice.call("Chat.accept", ["sessionId": .string(session)])

            // The customer sends a picture: acknowledged with the message that carries it.
            let sent = try await server.customerUpload(session, secret: customer.secret, name: "receipt.png", type: "image/png", SampleFile.png,
                                                       clientMessageId: "f-1")
            #expect(sent.status == .created, "\(sent.json)")
            let message = sent.json["message"]
            let attachmentId = try #require(message["attachment"]["attachmentId"].string)
            #expect(message["from"].string == "customer" && message["text"].string == "receipt.png")
            #expect(message["attachment"]["kind"].string == "image" && message["attachment"]["contentType"].string == "image/png")
            #expect(message["attachment"]["size"].int == SampleFile.png.count && sent.json["clientMessageId"].string == "f-1")

            // Alice's message event carries the file's description; her token fetches the bytes.
            let event = try await alice.event("message", session: session)
            #expect(event["data"]?["attachment"]?["attachmentId"]?.string == attachmentId)
            #expect(event["data"]?["attachment"]?["name"]?.string == "receipt.png")
            let token = try await server.token(for: "alice")
            let fetched = try await server.bytes(.get, "/api/v1/agent/sessions/\(session)/attachments/\(attachmentId)",
                                                 headers: [.authorization: "Bearer \(token)"])
            #expect(fetched.status == .ok && fetched.bytes == SampleFile.png)
            #expect(fetched.headers[.contentType] == "image/png")
            #expect(fetched.headers[.contentDisposition]?.hasPrefix("inline; filename=\"receipt.png\"") == true)
            #expect(fetched.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(fetched.headers[.contentSecurityPolicy]?.contains("sandbox") == true)

            // Retrying the same upload stores nothing new and answers the first message.
            let retried = try await server.customerUpload(session, secret: customer.secret, name: "receipt.png", type: "image/png", SampleFile.png,
                                                          clientMessageId: "f-1")
            #expect(retried.status == .ok && retried.json["message"]["messageId"].string == message["messageId"].string)

            // Alice sends a PDF: the customer's socket gets it, and its secret downloads it as a file.
            let reply = try await server.agentUpload(session, token: token, name: "invoice.pdf", type: "application/pdf", SampleFile.pdf)
            #expect(reply.status == .created, "\(reply.json)")
            let pdfId = try #require(reply.json["message"]["attachment"]["attachmentId"].string)
            #expect(reply.json["message"]["attachment"]["kind"].string == "file" && reply.json["message"]["agentUserId"].string == "alice")
            #expect(!message["agentUserId"].exists, "customers are not told agents' ids")
            let delivered = try await customer.socket.next("the agent's file") { $0["type"]?.string == "message" && $0["from"]?.string == "agent" }
            #expect(delivered["attachment"]?["attachmentId"]?.string == pdfId && delivered["from"]?.string == "agent")
            let download = try await server.bytes(.get, "/api/v1/chat/sessions/\(session)/attachments/\(pdfId)",
                                                  headers: [HTTPField.Name("X-Session-Secret")!: customer.secret])
            #expect(download.status == .ok && download.bytes == SampleFile.pdf)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"invoice.pdf\"") == true)

            // The transcript (agent's and admin's) lists both files; a supervisor's key fetches them.
            let page = try await alice.call("Chat.getMessages", ["sessionId": .string(session)])
            #expect(page?["messages"]?[0]?["attachment"]?["kind"]?.string == "image")
            #expect(page?["messages"]?[1]?["attachment"]?["kind"]?.string == "file")
            #expect(page?["messages"]?[1]?["agentUserId"]?.string == "alice")
            let admin = try await server.bytes(.get, "/api/v1/sessions/\(session)/attachments/\(pdfId)",
                                               headers: [.authorization: "Bearer \(TestServer.adminKey)"])
            #expect(admin.status == .ok && admin.bytes == SampleFile.pdf)
        }
    }

    @Test func onlyTheSessionsCustomerAgentsAndSupervisorsMayFetchAFile() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice", "bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            _ = try await alice.event("callIn", session: session)
            try await alice.call("Chat.accept", ["sessionId": .string(session)])
            let other = try await server.startChat(group: "sales", nickname: "Other")
            let sent = try await server.customerUpload(session, secret: customer.secret, name: "id.png", type: "image/png", SampleFile.png)
            let id = try #require(sent.json["message"]["attachment"]["attachmentId"].string)
            let path = "/api/v1/chat/sessions/\(session)/attachments/\(id)"
            let secretHeader = HTTPField.Name("X-Session-Secret")!

            // Customers: another session's secret, none, or this file under another session: 404 alike.
            for (fetch, secret) in [(path, other.secret), (path, "wrong"), ("/api/v1/chat/sessions/\(other.id)/attachments/\(id)", other.secret)] {
                let answer = try await server.bytes(.get, fetch, headers: [secretHeader: secret])
                #expect(answer.status == .notFound && !answer.bytes.starts(with: SampleFile.png), "\(fetch)")
            }
            #expect(try await server.bytes(.get, path).status == .notFound)

            // Agents: bob never served this customer; no token; a made-up token.
            let bob = try await server.token(for: "bob")
            let agentPath = "/api/v1/agent/sessions/\(session)/attachments/\(id)"
            let refused = try await server.bytes(.get, agentPath, headers: [.authorization: "Bearer \(bob)"])
            #expect(refused.status == .notFound && refused.json.errorCode == "attachmentNotFound")
            let anonymous = try await server.bytes(.get, agentPath)
            #expect(anonymous.status == .unauthorized && anonymous.json.errorMessage.contains("Bearer"))
            #expect(try await server.bytes(.get, agentPath, headers: [.authorization: "Bearer not-a-token"]).status == .unauthorized)
            // Nor may bob send into a session he does not hold; nothing is stored.
            let intruder = try await server.agentUpload(session, token: bob, name: "x.pdf", type: "application/pdf", SampleFile.pdf)
            #expect(intruder.status == .conflict && intruder.json.errorMessage.contains("not held by agent bob"))

            // Admin route: needs the key (or a supervisor's sign-in); an unknown id is 404.
            #expect(try await server.bytes(.get, "/api/v1/sessions/\(session)/attachments/\(id)").status == .unauthorized)
            let unknown = try await server.bytes(.get, "/api/v1/sessions/\(session)/attachments/a-0", headers: [.authorization: "Bearer \(TestServer.adminKey)"])
            #expect(unknown.status == .notFound)

            // Alice, who holds it, may; and still may after the session ended.
            let token = try await server.token(for: "alice")
            #expect(try await server.bytes(.get, agentPath, headers: [.authorization: "Bearer \(token)"]).bytes == SampleFile.png)
            try await alice.call("Chat.end", ["sessionId": .string(session)])
            _ = try await alice.event("sessionEnded", session: session)
            #expect(try await server.bytes(.get, agentPath, headers: [.authorization: "Bearer \(token)"]).bytes == SampleFile.png)
            #expect(try await server.bytes(.get, path, headers: [secretHeader: customer.secret]).bytes == SampleFile.png)
            let page = try await alice.call("Chat.getMessages", ["sessionId": .string(session)])
            #expect(page?["messages"]?[1] == nil, "no message from bob's refused upload")
        }
    }

    @Test func filesOverTheLimitsAreRefusedNamingTheLimitAndNothingIsStored() async throws {
        try await TestServer.run(configure: { $0.attachments.maximumBytes = 2048 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: [])
            let (session, secret) = try await server.startChat(group: "sales")
            let policy = try await server.http(.get, "/api/v1/chat/attachment-policy")
            #expect(policy.json["maximumBytes"].int == 2048 && policy.json["contentTypes"].array.contains { $0.string == "application/pdf" })

            let big = try await server.customerUpload(session, secret: secret, name: "big.pdf", type: "application/pdf", SampleFile.pdf + SampleFile.pdf)
            #expect(big.status == .contentTooLarge && big.json.errorCode == "attachmentTooLarge")
            #expect(big.json.errorMessage.contains("the limit is 2048 bytes"), "\(big.json)")

            let html = try await server.customerUpload(session, secret: secret, name: "page.html", type: "text/html", Array("<script>alert(1)</script>".utf8))
            #expect(html.status == .unsupportedMediaType && html.json.errorMessage.contains("text/html"))
            let untyped = try await server.customerUpload(session, secret: secret, name: "blob", type: nil, SampleFile.png)
            #expect(untyped.status == .unsupportedMediaType && untyped.json.errorMessage.contains("Content-Type"))
            let disguised = try await server.customerUpload(session, secret: secret, name: "cat.png", type: "image/png", Array("<svg onload=alert(1)>".utf8))
            #expect(disguised.status == .unsupportedMediaType && disguised.json.errorCode == "attachmentTypeMismatch")
            let empty = try await server.customerUpload(session, secret: secret, name: "empty.pdf", type: "application/pdf", [])
            #expect(empty.status == .badRequest && empty.json.errorMessage.contains("empty"))
            let nameless = try await server.bytes(.post, "/api/v1/chat/sessions/\(session)/attachments",
                                                  headers: [HTTPField.Name("X-Session-Secret")!: secret, .contentType: "application/pdf"], body: SampleFile.pdf)
            #expect(nameless.status == .badRequest && nameless.json.errorMessage.contains("'name'"))

            // None of them left a message; a file within the limits still goes through, its name
            // stripped of directories and control characters.
            let transcript = try await server.chat(.get, "/sessions/\(session)", secret: secret)
            #expect(transcript.json["messages"].array.isEmpty)
            let fine = try await server.customerUpload(session, secret: secret, name: "../../etc/\u{202E}gpj.pdf", type: "application/pdf", Array(SampleFile.pdf.prefix(900)))
            #expect(fine.status == .created && fine.json["message"]["attachment"]["name"].string == "gpj.pdf", "\(fine.json)")
        }
    }

    @Test func theConfigurationRefusesTypesABrowserWouldRunAndImpossibleSizes() {
        var policy = AttachmentPolicy()
        policy.contentTypes = ["image/png", "image/svg+xml"]
        #expect(throws: ConfigurationError.self) { try policy.validate() }
        policy.contentTypes = ["Image/PNG"]
        #expect(throws: ConfigurationError.self) { try policy.validate() }
        policy = AttachmentPolicy()
        policy.maximumBytes = AttachmentPolicy.largestAllowed + 1
        #expect(throws: ConfigurationError.self) { try policy.validate() }
        #expect(throws: Never.self) { try AttachmentPolicy().validate() }
    }
}
