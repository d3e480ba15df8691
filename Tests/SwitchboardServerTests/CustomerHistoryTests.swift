import HTTPTypes
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// The customer panel's earlier sessions: the same customer (by the site's user id) whichever
/// agent served them, with transcripts, for the agent serving the session and nobody else.
@Suite("Customer history")
struct CustomerHistoryTests {
    @Test func anAgentSeesTheCustomersEarlierSessionsAndTheirTranscripts() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice", "bob"])
            try await server.givenGroup(SkillGroup(id: "billing"), agents: [])
            // Ann also wrote to billing, a group neither agent is in: not shown to them.
            _ = try await server.customer(group: "billing", nickname: "Ann", extra: #","userId":"u-ann""#)
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            // Ann's first chat, served by Bob.
            let first = try await server.customer(group: "sales", nickname: "Ann", extra: #","userId":"u-ann""#)
            _ = try await bob.event("callIn", session: first.sessionId)
            try await bob.call("Chat.accept", ["sessionId": .string(first.sessionId)])
            try await first.sayAndWait("my parcel never came")
            let photo = try await server.customerUpload(first.sessionId, secret: first.secret, name: "label.png", type: "image/png", SampleFile.png)
            let photoId = try #require(photo.json["message"]["attachment"]["attachmentId"].string)
            try await bob.call("Chat.end", ["sessionId": .string(first.sessionId)])
            try await bob.call("Agent.offline")
            // Somebody else's chat, then Ann again: it rings at Alice.
            let other = try await server.customer(group: "sales", nickname: "Cy", extra: #","userId":"u-cy""#)
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            _ = try await alice.event("callIn", session: other.sessionId)
            try await alice.call("Chat.accept", ["sessionId": .string(other.sessionId)])
            let again = try await server.customer(group: "sales", nickname: "Ann", extra: #","userId":"u-ann""#)
            _ = try await alice.event("callIn", session: again.sessionId)

            let token = try await server.token(for: "alice")
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            // Ringing is enough to look the customer up.
            let page = try await server.http(.get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions", headers: auth)
            #expect(page.status == .ok, "\(page.json)")
            #expect(page.json["items"].array.map { $0["id"].string } == [first.sessionId])
            #expect(page.json["items"][0]["agentId"].string == "bob" && page.json["total"].int == 1)
            let transcript = try await server.http(
                .get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions/\(first.sessionId)/messages", headers: auth)
            #expect(transcript.json["messages"][0]["text"].string == "my parcel never came", "\(transcript.json)")
            #expect(transcript.json["messages"][1]["attachment"]["attachmentId"].string == photoId)
            let file = try await server.bytes(
                .get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions/\(first.sessionId)/attachments/\(photoId)", headers: auth)
            #expect(file.status == .ok && file.bytes == SampleFile.png)
            let otherCustomers = try await server.bytes(
                .get, "/api/v1/agent/sessions/\(other.sessionId)/customer-sessions/\(first.sessionId)/attachments/\(photoId)", headers: auth)
            #expect(otherCustomers.status == .notFound, "Cy's session does not open Ann's files")
            let noSuchFile = try await server.bytes(
                .get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions/\(first.sessionId)/attachments/a-nope", headers: auth)
            #expect(noSuchFile.status == .notFound)

            // Another customer's session is not Ann's, and the session itself is not an earlier one.
            for earlier in [other.sessionId, again.sessionId, "s-999"] {
                let refused = try await server.http(
                    .get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions/\(earlier)/messages", headers: auth)
                #expect(refused.status == .notFound && refused.json["error"]["code"].string == "unknownSession", "\(earlier): \(refused.json)")
            }
            // Bob served Ann's first chat but not this one: he may not look from it.
            let bobToken = try await server.token(for: "bob")
            let notBobs = try await server.http(
                .get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions", headers: [.authorization: "Bearer \(bobToken)"])
            #expect(notBobs.status == .notFound && notBobs.json["error"]["code"].string == "unknownSession")
            // From the chat he served, he sees Ann's later one.
            let fromFirst = try await server.http(
                .get, "/api/v1/agent/sessions/\(first.sessionId)/customer-sessions", headers: [.authorization: "Bearer \(bobToken)"])
            #expect(fromFirst.json["items"].array.map { $0["id"].string } == [again.sessionId])
            // Cy has no other sessions; no token, no answer.
            let cy = try await server.http(.get, "/api/v1/agent/sessions/\(other.sessionId)/customer-sessions", headers: auth)
            #expect(cy.json["items"].array.isEmpty && cy.json["total"].int == 0)
            let anonymous = try await server.http(.get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions")
            #expect(anonymous.status == .unauthorized)
            let badLimit = try await server.http(.get, "/api/v1/agent/sessions/\(again.sessionId)/customer-sessions?limit=0", headers: auth)
            #expect(badLimit.status == .badRequest)
        }
    }

    /// Nothing that identifies them, or only the page's clientData (which pages share).
    @Test func aCustomerWhoGaveNothingThatIdentifiesThemHasNoEarlierSessions() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            for extra in ["", #","clientData":"campaign=spring""#, "", #","clientData":"campaign=spring""#] {
                let visitor = try await server.customer(group: "sales", nickname: "Ann", extra: extra)
                _ = try await alice.event("callIn", session: visitor.sessionId)
                let token = try await server.token(for: "alice")
                let page = try await server.http(
                    .get, "/api/v1/agent/sessions/\(visitor.sessionId)/customer-sessions", headers: [.authorization: "Bearer \(token)"])
                #expect(page.status == .ok && page.json["items"].array.isEmpty, "\(page.json)")
                try await alice.call("Chat.accept", ["sessionId": .string(visitor.sessionId)])
                try await alice.call("Chat.end", ["sessionId": .string(visitor.sessionId)])
            }
        }
    }
}
