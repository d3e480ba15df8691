import Foundation
import SwitchboardCore
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// Session records, history and transcripts after a real chat, and ending by the admin.
@Suite("Admin sessions")
struct AdminSessionTests {
    @Test func chatIsListedWithHistoryAndMessagesThenEndedByAdmin() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","name":"Sales"}"#)
            try await server.createAgent(#"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            _ = try await alice.event("callIn", session: session)
            try await alice.call("Chat.accept", ["sessionId": .string(session)])
            customer.say("Where is my order?", clientMessageId: "c-1")
            _ = try await alice.event("message", session: session) { $0["from"]?.string == "customer" }
            try await alice.call("Chat.sendMessage", ["sessionId": .string(session), "text": "Let me check."])

            let live = try await server.api(.get, "/api/v1/sessions?live=true")
            #expect(live.status == .ok)
            #expect(live.json["items"].array.map { $0["id"].string } == [session])
            #expect(live.json["total"].int == 1)
            let listed = live.json["items"][0]
            #expect(listed["state"].string == "accepted" && listed["agentId"].string == "alice")
            #expect(listed["customer"]["nickname"].string == "Ann" && listed["type"].string == "im")
            #expect(try await server.api(.get, "/api/v1/sessions?agentId=alice").json["items"].array.count == 1)
            #expect(try await server.api(.get, "/api/v1/sessions?skillGroupId=other").json["items"].array.isEmpty)

            let detail = try await server.api(.get, "/api/v1/sessions/\(session)")
            #expect(detail.status == .ok)
            let kinds = detail.json["history"].array.compactMap { $0["kind"].string }
            #expect(kinds.starts(with: ["created", "queued", "offered", "accepted"]), "\(kinds)")
            let offered = detail.json["history"].array.first { $0["kind"].string == "offered" }
            #expect(offered?["detail"]["strategy"].string == "longestIdle")
            #expect(detail.json["acceptedAt"].int != nil && detail.json["endedAt"].isNull)

            let messages = try await server.api(.get, "/api/v1/sessions/\(session)/messages")
            #expect(messages.json["messages"].array.map { $0["from"].string } == ["customer", "agent"])
            let newest = try await server.api(.get, "/api/v1/sessions/\(session)/messages?order=newest&limit=1")
            #expect(newest.json["messages"][0]["text"].string == "Let me check." && newest.json["hasMore"].bool == true)
            let firstId = try #require(messages.json["messages"][0]["messageId"].string)
            let after = try await server.api(.get, "/api/v1/sessions/\(session)/messages?after=\(firstId)")
            #expect(after.json["messages"].array.map { $0["text"].string } == ["Let me check."])

            let ended = try await server.api(.post, "/api/v1/sessions/\(session)/end", #"{"mainReason":"abuse","subReason":"spam links"}"#)
            #expect(ended.status == .ok)
            #expect(ended.json["state"].string == "ended" && ended.json["closeBy"].string == "admin")
            #expect(ended.json["mainReason"].string == "abuse")
            let event = try await alice.event("sessionEnded", session: session)
            #expect(event["data"]?["closeBy"]?.string == "admin")
            #expect(event["data"]?["mainReason"]?.string == "abuse")
            #expect(event["data"]?["subReason"]?.string == "spam links")
            let told = try await customer.next("ended")
            #expect(told["closeBy"]?.string == "admin")

            let again = try await server.api(.post, "/api/v1/sessions/\(session)/end")
            #expect(again.status == .conflict && again.json.errorCode == "sessionEnded")
            #expect(try await server.api(.get, "/api/v1/sessions?live=true").json["items"].array.isEmpty)
            let all = try await server.api(.get, "/api/v1/sessions")
            #expect(all.json["items"][0]["state"].string == "ended" && all.json["total"].int == 1)
            let record = try await server.api(.get, "/api/v1/sessions/\(session)")
            #expect(record.json["history"].array.last?["kind"].string == "ended")
        }
    }

    @Test func sessionsForOtherChannelsAreQueuedAndChecked() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let created = try await server.api(.post, "/api/v1/sessions",
                #"{"type":"phone","skillGroupId":"sales","priority":2,"customer":{"callerPhoneNumber":"+44 20 7946 0000","ivrPath":[{"key":"1","label":"Sales"}]}}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["sessionId"].string)
            #expect(created.headers[.location] == "/api/v1/sessions/\(id)")
            let detail = try await server.api(.get, "/api/v1/sessions/\(id)")
            #expect(detail.json["state"].string == "queued" && detail.json["queuePosition"].int == 1)
            #expect(detail.json["priority"].int == 2 && detail.json["customer"]["ivrPath"][0]["label"].string == "Sales")

            let cases: [(String, String, String)] = [
                (#"{"type":"fax","skillGroupId":"sales"}"#, "type", "invalidValue"),
                (#"{"type":"phone","skillGroupId":"nope"}"#, "skillGroupId", "unknownSkillGroup"),
                (#"{"type":"phone","skillGroupId":"sales","customer":{"phone":"1"}}"#, "customer.phone", "unknownField"),
                (#"{"type":"phone","skillGroupId":"sales","priority":1000000}"#, "priority", "invalidSession"),
                (#"{"type":"im","skillGroupId":"sales"}"#, "nickname", "invalidSession"),
                (#"{"skillGroupId":"sales"}"#, "type", "invalidBody"),
            ]
            for (body, words, code) in cases {
                let answer = try await server.api(.post, "/api/v1/sessions", body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json.errorCode == code, "\(body): \(answer.json)")
                #expect(answer.json.errorMessage.contains(words), "\(body): \(answer.json.errorMessage)")
            }
            #expect(try await server.api(.get, "/api/v1/sessions").json["total"].int == 1)

            #expect(try await server.api(.get, "/api/v1/sessions/s-999").status == .notFound)
            #expect(try await server.api(.get, "/api/v1/sessions/s-999/messages").status == .notFound)
            #expect(try await server.api(.post, "/api/v1/sessions/s-999/end").status == .notFound)
            #expect(try await server.api(.get, "/api/v1/sessions/\(id)/messages?before=m-1&after=m-2").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/sessions/\(id)/messages?before=17").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/sessions/\(id)/messages?order=sideways").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/sessions?live=maybe").status == .badRequest)
            let tooLong = String(repeating: "r", count: 5000)
            let badEnd = try await server.api(.post, "/api/v1/sessions/\(id)/end", #"{"mainReason":"\#(tooLong)"}"#)
            #expect(badEnd.status == .badRequest && badEnd.json.errorMessage.contains("mainReason"))
            #expect(try await server.api(.get, "/api/v1/sessions/\(id)").json["state"].string == "queued")
        }
    }

    @Test func sessionListPagesNewestFirst() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            var ids: [String] = []
            for _ in 0..<3 {
                let created = try await server.api(.post, "/api/v1/sessions", #"{"type":"phone","skillGroupId":"sales"}"#)
                ids.append(try #require(created.json["sessionId"].string))
            }
            let first = try await server.api(.get, "/api/v1/sessions?limit=2")
            #expect(first.json["items"].array.map { $0["id"].string } == [ids[2], ids[1]])
            #expect(first.json["hasMore"].bool == true && first.json["total"].isNull)
            let last = try await server.api(.get, "/api/v1/sessions?limit=2&offset=2")
            #expect(last.json["items"].array.map { $0["id"].string } == [ids[0]])
            #expect(last.json["hasMore"].bool == false && last.json["total"].int == 3)
            let full = try await server.api(.get, "/api/v1/sessions?limit=500")
            #expect(full.json["items"].array.count == 3 && full.json["total"].int == 3)
            #expect(try await server.api(.get, "/api/v1/sessions?limit=501").status == .badRequest)
        }
    }

    @Test func sessionListIsFilteredByTimeTypeAndText() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let phone = try await server.api(.post, "/api/v1/sessions", #"{"type":"phone","skillGroupId":"sales","customer":{"callerPhoneNumber":"+4917012345"}}"#)
            let call = try #require(phone.json["sessionId"].string)
            let chat = try await server.startChat(group: "sales", nickname: "Zoë Parcel")
            func ids(_ query: String) async throws -> [String?] {
                let answer = try await server.api(.get, "/api/v1/sessions?" + query)
                #expect(answer.status == .ok, "\(query): \(answer.json)")
                return answer.json["items"].array.map { $0["id"].string }
            }
            #expect(try await ids("type=phone") == [call])
            #expect(try await ids("type=im,phone") == [chat.id, call])
            #expect(try await ids("q=4917012") == [call])
            #expect(try await ids("q=ZO%C3%AB") == [chat.id], "ë as sent, O in another case")
            #expect(try await ids("q=parcel&type=phone").isEmpty)
            #expect(try await ids("from=2000-01-01&to=2000-01-02").isEmpty)
            #expect(try await ids("from=2000-01-01").count == 2)
            for (query, field) in [("type=fax", "'type'"), ("from=yesterday", "'from'"), ("from=2026-11-30&to=2026-11-29", "'to'"),
                                   ("q=" + String(repeating: "x", count: 101), "'q'"), ("search=x", "search")] {
                let refused = try await server.api(.get, "/api/v1/sessions?" + query)
                #expect(refused.status == .badRequest && refused.json.errorMessage.contains(field), "\(query): \(refused.json)")
            }
        }
    }
}
