import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Canned replies over the live server: the admin API (shared and personal replies, every bad
/// input refused naming the field and changing nothing) and the agent socket (an agent lists its
/// own and its groups' replies and manages only its own).
@Suite("Canned replies")
struct CannedReplyTests {
    static func tenant(_ server: TestServer) async throws {
        try await server.givenGroup(SkillGroup(id: "sales", name: "Sales"), agents: ["alice", "bob"])
        try await server.givenGroup(SkillGroup(id: "billing", name: "Billing"), agents: ["carol"])
    }

    /// Every reply the admin API lists, as (shortcut, owner) pairs.
    static func listed(_ server: TestServer, _ query: String = "") async throws -> [String] {
        try await server.api(.get, "/api/v1/canned-replies" + query).json["items"].array.map {
            "\($0["shortcut"].string ?? "?")@\($0["skillGroupId"].string ?? $0["agentId"].string ?? "?")"
        }
    }

    @Test func adminCreatesReadsReplacesAndDeletesSharedAndPersonalReplies() async throws {
        try await TestServer.run { server in
            try await Self.tenant(server)
            let created = try await server.api(.post, "/api/v1/canned-replies",
                #"{"skillGroupId":"sales","shortcut":"/Refund","title":"Refund on its way","text":"Your refund is on its way: 3–5 working days."}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"].string)
            #expect(created.headers[.location] == "/api/v1/canned-replies/\(id)")
            #expect(created.json["scope"].string == "skillGroup" && created.json["skillGroupId"].string == "sales")
            #expect(created.json["agentId"].isNull)
            // Kept without the slash, in lower case.
            #expect(created.json["shortcut"].string == "refund")

            let personal = try await server.api(.post, "/api/v1/canned-replies",
                #"{"agentId":"alice","shortcut":"hi","title":"Greeting","text":"Hello, I am Alice."}"#)
            #expect(personal.status == .created && personal.json["scope"].string == "agent" && personal.json["skillGroupId"].isNull)
            // The same shortcut in another scope is another reply.
            #expect(try await server.api(.post, "/api/v1/canned-replies", #"{"skillGroupId":"billing","shortcut":"refund","title":"t","text":"x"}"#).status == .created)

            #expect(try await Self.listed(server) == ["hi@alice", "refund@billing", "refund@sales"])
            #expect(try await Self.listed(server, "?skillGroupId=sales") == ["refund@sales"])
            #expect(try await Self.listed(server, "?skillGroupId=billing&agentId=alice") == ["hi@alice", "refund@billing"])
            #expect(try await server.api(.get, "/api/v1/canned-replies/\(id)").json["title"].string == "Refund on its way")

            let replaced = try await server.api(.put, "/api/v1/canned-replies/\(id)", #"{"skillGroupId":"sales","shortcut":"refund-eu","title":"EU refund","text":"In 5 days."}"#)
            #expect(replaced.status == .ok && replaced.json["shortcut"].string == "refund-eu" && replaced.json["text"].string == "In 5 days.")
            #expect(replaced.json["createdAt"].int == created.json["createdAt"].int)

            #expect(try await server.api(.delete, "/api/v1/canned-replies/\(id)").status == .noContent)
            let gone = try await server.api(.get, "/api/v1/canned-replies/\(id)")
            #expect(gone.status == .notFound && gone.json.errorCode == "unknownCannedReply")
            #expect(try await server.api(.delete, "/api/v1/canned-replies/\(id)").status == .notFound)
        }
    }

    @Test func badInputIsRefusedNamingWhatIsWrongAndChangesNothing() async throws {
        try await TestServer.run { server in
            try await Self.tenant(server)
            let first = try await server.api(.post, "/api/v1/canned-replies", #"{"skillGroupId":"sales","shortcut":"refund","title":"Refund","text":"On its way."}"#)
            let id = try #require(first.json["id"].string)
            let long = String(repeating: "x", count: 8001)
            let cases: [(String, Int, String, String)] = [
                (#"{"skillGroupId":"sales","shortcut":"/REFUND","title":"again","text":"x"}"#, 409, "shortcutExists", "/refund"),
                (#"{"skillGroupId":"nowhere","shortcut":"a","title":"t","text":"x"}"#, 400, "unknownSkillGroup", "nowhere"),
                (#"{"agentId":"nobody","shortcut":"a","title":"t","text":"x"}"#, 400, "unknownAgent", "nobody"),
                (#"{"skillGroupId":"sales","agentId":"alice","shortcut":"a","title":"t","text":"x"}"#, 400, "invalidValue", "not both"),
                (#"{"shortcut":"a","title":"t","text":"x"}"#, 400, "missingField", "skillGroupId"),
                (#"{"skillGroupId":"sales","title":"t","text":"x"}"#, 400, "missingField", "shortcut"),
                (#"{"skillGroupId":"sales","shortcut":"two words","title":"t","text":"x"}"#, 400, "invalidValue", "shortcut"),
                (#"{"skillGroupId":"sales","shortcut":"/","title":"t","text":"x"}"#, 400, "invalidValue", "shortcut"),
                (#"{"skillGroupId":"sales","shortcut":"\#(String(repeating: "s", count: 33))","title":"t","text":"x"}"#, 400, "invalidValue", "33 characters"),
                (#"{"skillGroupId":"sales","shortcut":"a","title":"\#(String(repeating: "t", count: 81))","text":"x"}"#, 400, "invalidValue", "title"),
                (#"{"skillGroupId":"sales","shortcut":"a","title":"  ","text":"x"}"#, 400, "invalidValue", "title"),
                (#"{"skillGroupId":"sales","shortcut":"a","title":"t","text":"\#(long)"}"#, 400, "invalidValue", "8001 characters"),
                (#"{"skillGroupId":"sales","shortcut":"a","title":"t","text":"x","colour":"red"}"#, 400, "unknownField", "colour"),
            ]
            for (body, status, code, word) in cases {
                let answer = try await server.api(.post, "/api/v1/canned-replies", body)
                #expect(answer.status.code == status, "\(body.prefix(80)): \(answer.json)")
                #expect(answer.json.errorCode == code, "\(body.prefix(80)): \(answer.json)")
                #expect(answer.json.errorMessage.contains(word), "\(body.prefix(80)): \(answer.json.errorMessage)")
            }
            // A reply's owner cannot change, and a rename onto a taken shortcut is refused.
            _ = try await server.api(.post, "/api/v1/canned-replies", #"{"skillGroupId":"sales","shortcut":"thanks","title":"Thanks","text":"Thank you!"}"#)
            let moved = try await server.api(.put, "/api/v1/canned-replies/\(id)", #"{"skillGroupId":"billing","shortcut":"refund","title":"t","text":"x"}"#)
            #expect(moved.status == .badRequest && moved.json.errorMessage.contains("cannot be changed"))
            let clash = try await server.api(.put, "/api/v1/canned-replies/\(id)", #"{"shortcut":"thanks","title":"t","text":"x"}"#)
            #expect(clash.status == .conflict && clash.json.errorCode == "shortcutExists")
            #expect(try await server.api(.put, "/api/v1/canned-replies/cr-nope", #"{"shortcut":"a","title":"t","text":"x"}"#).status == .notFound)

            #expect(try await Self.listed(server) == ["refund@sales", "thanks@sales"])
            let unchanged = try await server.api(.get, "/api/v1/canned-replies/\(id)")
            #expect(unchanged.json["title"].string == "Refund" && unchanged.json["text"].string == "On its way.")
        }
    }

    @Test func deletingAGroupOrAgentDeletesItsReplies() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"temp"}"#)
            try await server.createAgent(#"{"id":"dave","memberships":[]}"#)
            _ = try await server.api(.post, "/api/v1/canned-replies", #"{"skillGroupId":"temp","shortcut":"a","title":"t","text":"x"}"#)
            _ = try await server.api(.post, "/api/v1/canned-replies", #"{"agentId":"dave","shortcut":"b","title":"t","text":"x"}"#)
            #expect(try await server.api(.delete, "/api/v1/skill-groups/temp").status == .noContent)
            #expect(try await server.api(.delete, "/api/v1/agents/dave").status == .noContent)
            try await server.createGroup(#"{"id":"temp"}"#)
            #expect(try await Self.listed(server) == [])
        }
    }

    @Test func agentsListTheirOwnAndTheirGroupsRepliesAndManageOnlyTheirOwn() async throws {
        try await TestServer.run { server in
            try await Self.tenant(server)
            let shared = try await server.api(.post, "/api/v1/canned-replies", #"{"skillGroupId":"sales","shortcut":"refund","title":"Refund","text":"On its way."}"#)
            let sharedId = try #require(shared.json["id"].string)
            _ = try await server.api(.post, "/api/v1/canned-replies", #"{"skillGroupId":"billing","shortcut":"invoice","title":"Invoice","text":"Attached."}"#)
            let bobs = try await server.api(.post, "/api/v1/canned-replies", #"{"agentId":"bob","shortcut":"bye","title":"Bye","text":"Bye from Bob."}"#)
            let bobsId = try #require(bobs.json["id"].string)

            let alice = try await server.agent("alice")
            let saved = try #require(try await alice.call("CannedReplies.save", ["shortcut": "/Hi", "title": "Greeting", "text": "Hello, I am Alice."]))
            let mine = try #require(saved["id"]?.string)
            #expect(saved["scope"]?.string == "agent" && saved["shortcut"]?.string == "hi" && saved["skillGroupId"] == nil)

            // Her own first, then her group's; not billing's, not Bob's.
            let list = try #require(try await alice.call("CannedReplies.list"))
            let replies = list["replies"]?.arrayValue ?? []
            #expect(replies.map { $0["shortcut"]?.string ?? "?" } == ["hi", "refund"])
            #expect(replies[1]["scope"]?.string == "skillGroup" && replies[1]["skillGroupId"]?.string == "sales")
            #expect(replies[1]["text"]?.string == "On its way.")

            let changed = try await alice.call("CannedReplies.save", ["id": .string(mine), "shortcut": "hello", "title": "Greeting", "text": "Hi there."])
            #expect(changed?["shortcut"]?.string == "hello" && changed?["id"]?.string == mine)
            #expect(try await server.api(.get, "/api/v1/canned-replies/\(mine)").json["text"].string == "Hi there.")

            // Shared replies and colleagues' are not hers to change, and say so without telling her anything about them.
            for other in [sharedId, bobsId] {
                let edit = try await alice.request("CannedReplies.save", ["id": .string(other), "shortcut": "x", "title": "t", "text": "x"])
                #expect(edit["errorMsg"]?.string?.contains("not one of your personal replies") == true, "\(edit)")
                let delete = try await alice.request("CannedReplies.delete", ["id": .string(other)])
                #expect(delete["status"]?.string == "error")
            }
            #expect(try await server.api(.get, "/api/v1/canned-replies/\(sharedId)").json["text"].string == "On its way.")
            #expect(try await server.api(.get, "/api/v1/canned-replies/\(bobsId)").status == .ok)

            // Her own rules are the admin API's.
            let duplicate = try await alice.request("CannedReplies.save", ["shortcut": "HELLO", "title": "t", "text": "x"])
            #expect(duplicate["errorMsg"]?.string?.contains("already has a canned reply with the shortcut /hello") == true, "\(duplicate)")
            let blank = try await alice.request("CannedReplies.save", ["shortcut": "a b", "title": "t", "text": "x"])
            #expect(blank["errorMsg"]?.string?.contains("is not a shortcut") == true, "\(blank)")
            let missing = try await alice.request("CannedReplies.save", ["shortcut": "a", "title": "t"])
            #expect(missing["errorMsg"]?.string?.contains("params.text") == true, "\(missing)")

            try await alice.call("CannedReplies.delete", ["id": .string(mine)])
            #expect(try await server.api(.get, "/api/v1/canned-replies/\(mine)").status == .notFound)
            #expect(try await alice.call("CannedReplies.list")?["replies"]?.arrayValue.count == 1)
        }
    }

    @Test func anAgentsListIsBounded() async throws {
        try await TestServer.run { server in
            try await Self.tenant(server)
            let alice = try await server.agent("alice")
            for index in 0..<200 {
                _ = try await alice.call("CannedReplies.save", ["shortcut": .string("r\(index)"), "title": "t", "text": "x"])
            }
            let over = try await alice.request("CannedReplies.save", ["shortcut": "one-more", "title": "t", "text": "x"])
            #expect(over["errorMsg"]?.string?.contains("already has 200 canned replies") == true, "\(over)")
            #expect(try await server.api(.get, "/api/v1/canned-replies?agentId=alice&limit=500").json["items"].array.count == 200)
        }
    }
}
