import Foundation
import SwitchboardCore
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// The customer chat REST fallback: the socket's conversation, by polling.
@Suite("Chat REST fallback")
struct ChatRESTTests {
    @Test func wholeConversationByPolling() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createAgent(#"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let started = try await server.chat(.post, "/sessions", secret: nil,
                #"{"skillGroupId":"sales","nickname":"Ann","peerSource":"web","clientData":"order=1207"}"#)
            #expect(started.status == .created)
            let id = try #require(started.json["sessionId"].string)
            let secret = try #require(started.json["secret"].string)
            #expect(started.json.keys == ["sessionId", "secret"])

            // Nobody online: queued, first in line.
            let queued = try await server.chat(.get, "/sessions/\(id)", secret: secret)
            #expect(queued.status == .ok)
            #expect(queued.json["state"].string == "queued" && queued.json["position"].int == 1)
            #expect(queued.json["agentNickname"].isNull && queued.json["messages"].array.isEmpty)

            let sent = try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, #"{"text":"Anyone there?","clientMessageId":"c-1"}"#)
            #expect(sent.status == .created && sent.json["clientMessageId"].string == "c-1")
            let firstId = try #require(sent.json["messageId"].string)

            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            let callIn = try await alice.event("callIn", session: id)
            #expect(callIn["data"]?["clientData"]?.string == "order=1207")
            try await alice.call("Chat.accept", ["sessionId": .string(id)])
            let accepted = try await server.chat(.get, "/sessions/\(id)", secret: secret)
            #expect(accepted.json["state"].string == "accepted" && accepted.json["agentNickname"].string == "Alice")
            #expect(accepted.json["position"].isNull)
            #expect(accepted.json["messages"].array.map { $0["messageId"].string } == [firstId])
            #expect(accepted.json["messages"][0].keys == ["messageId", "from", "text", "sentAt"])

            // Agent to customer: the next poll after the last seen message has only the new one.
            try await alice.call("Chat.sendMessage", ["sessionId": .string(id), "text": "Hi Ann, Alice here."])
            let poll = try await server.chat(.get, "/sessions/\(id)?after=\(firstId)", secret: secret)
            #expect(poll.json["messages"].array.map { $0["from"].string } == ["agent"])
            #expect(poll.json["messages"][0]["text"].string == "Hi Ann, Alice here." && poll.json["hasMore"].bool == false)
            let replyId = try #require(poll.json["messages"][0]["messageId"].string)

            // Customer to agent.
            #expect(try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, #"{"text":"My order is late"}"#).status == .created)
            let toAgent = try await alice.event("message", session: id) { $0["from"]?.string == "customer" }
            #expect(toAgent["data"]?["text"]?.string == "My order is late")
            let limited = try await server.chat(.get, "/sessions/\(id)?limit=1", secret: secret)
            #expect(limited.json["messages"].array.count == 1 && limited.json["hasMore"].bool == true)
            #expect(try await server.chat(.get, "/sessions/\(id)?after=\(replyId)", secret: secret).json["messages"].array.count == 1)

            // Leave: ended by the client, the agent is told, and leaving again answers the same.
            let left = try await server.chat(.post, "/sessions/\(id)/leave", secret: secret)
            #expect(left.status == .ok && left.json["state"].string == "ended" && left.json["closeBy"].string == "client")
            let ended = try await alice.event("sessionEnded", session: id)
            #expect(ended["data"]?["closeBy"]?.string == "client")
            let final = try await server.chat(.get, "/sessions/\(id)", secret: secret)
            #expect(final.json["state"].string == "ended" && final.json["closeBy"].string == "client")
            #expect(final.json["messages"].array.count == 3)
            #expect(try await server.chat(.post, "/sessions/\(id)/leave", secret: secret).json["closeBy"].string == "client")
            let late = try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, #"{"text":"hello?"}"#)
            #expect(late.status == .conflict && late.json.errorCode == "sessionEnded")
        }
    }

    @Test func wrongIdOrSecretGetsTheSame404() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let (id, secret) = try await server.startChat(group: "sales")
            let other = try await server.startChat(group: "sales")
            let attempts: [(String, String?)] = [
                ("/sessions/\(id)", "wrong-secret"), ("/sessions/\(id)", nil), ("/sessions/\(id)", other.secret),
                ("/sessions/s-999", secret), ("/sessions/\(id)x", secret),
            ]
            var bodies: Set<String> = []
            for (path, secret) in attempts {
                let answer = try await server.chat(.get, path, secret: secret)
                #expect(answer.status == .notFound, "\(path)")
                #expect(answer.json.errorCode == "sessionNotFound")
                bodies.insert(answer.json.description)
            }
            #expect(bodies == [#"{"error":{"code":"sessionNotFound","message":"no session matches that id and secret"}}"#])
            #expect(try await server.chat(.post, "/sessions/\(id)/messages", secret: "nope", #"{"text":"hi"}"#).status == .notFound)
            #expect(try await server.chat(.post, "/sessions/\(id)/leave", secret: other.secret).status == .notFound)
            #expect(try await server.chat(.get, "/sessions/\(id)", secret: secret).json["state"].string == "queued")
        }
    }

    @Test func retriedClientMessageIdIsStoredOnce() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let (id, secret) = try await server.startChat(group: "sales")
            let first = try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, #"{"text":"Hello","clientMessageId":"c-7"}"#)
            let retry = try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, #"{"text":"Hello","clientMessageId":"c-7"}"#)
            #expect(first.status == .created && retry.status == .ok)
            #expect(first.json["messageId"].string == retry.json["messageId"].string)
            let other = try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, #"{"text":"Hello","clientMessageId":"c-8"}"#)
            #expect(other.status == .created && other.json["messageId"].string != first.json["messageId"].string)
            #expect(try await server.chat(.get, "/sessions/\(id)", secret: secret).json["messages"].array.count == 2)
        }
    }

    @Test func badStartsAndMessagesAreRefused() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let cases: [(String, String)] = [
                (#"{"skillGroupId":"sales","nickname":""}"#, "nickname"),
                (#"{"skillGroupId":"nope","nickname":"Ann"}"#, "skillGroupId"),
                (#"{"skillGroupId":"sales"}"#, "nickname"),
                (#"{"skillGroupId":"sales","nickname":"Ann","nick":"x"}"#, "nick"),
                (#"{"skillGroupId":"sales","nickname":"\#(String(repeating: "n", count: 300))"}"#, "nickname"),
            ]
            for (body, word) in cases {
                let answer = try await server.chat(.post, "/sessions", secret: nil, body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json.errorMessage.contains(word), "\(body): \(answer.json.errorMessage)")
            }
            #expect(try await server.api(.get, "/api/v1/sessions").json["total"].int == 0)
            let (id, secret) = try await server.startChat(group: "sales")
            for body in [#"{"text":"   "}"#, #"{"text":"hi","clientMessageId":""}"#, #"{"message":"hi"}"#] {
                #expect(try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, body).status == .badRequest, "\(body)")
            }
            // A NUL (which PostgreSQL cannot store, and which would fail everyone's group commit)
            // is refused by name before it reaches the store.
            for body in [#"{"text":"a\u0000b"}"#, #"{"text":"hi","clientMessageId":"c\u0000"}"#] {
                let answer = try await server.chat(.post, "/sessions/\(id)/messages", secret: secret, body)
                #expect(answer.status == .badRequest && answer.json.errorMessage.contains("NUL"), "\(body): \(answer.status) \(answer.json)")
            }
            #expect(try await server.chat(.get, "/sessions/\(id)?after=17", secret: secret).status == .badRequest)
            #expect(try await server.chat(.get, "/sessions/\(id)?before=m-1", secret: secret).status == .badRequest)
        }
    }
}
