import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// Wrap-up over the live server: disposition codes configured on the skill group through the
/// admin API, the agent who held an ended session last saving a code and a note over its socket,
/// every refusal clear and changing nothing, and the result on the record and in sessions.csv.
@Suite("Wrap-up")
struct WrapUpTests {
    static let codes = #"["Resolved","Callback needed","Escalated"]"#

    @Test func dispositionCodesAreSetOnTheGroupAndCheckedNamingTheField() async throws {
        try await TestServer.run { server in
            let created = try await server.createGroup(#"{"id":"sales","wrapUpSeconds":30,"dispositionCodes":\#(Self.codes)}"#)
            #expect(created["dispositionCodes"].array.map(\.string) == ["Resolved", "Callback needed", "Escalated"])
            // PUT replaces: left out is none.
            #expect(try await server.api(.put, "/api/v1/skill-groups/sales", #"{"wrapUpSeconds":30}"#).json["dispositionCodes"].array.isEmpty)
            let cases: [(String, String)] = [
                (#"["Resolved","resolved"]"#, "listed twice"),
                (#"[""]"#, "must not be empty"),
                (#"[" Resolved"]"#, "start or end with a space"),
                (#"["\#(String(repeating: "x", count: 65))"]"#, "65 characters"),
                (#"["a\nb"]"#, "control character"),
            ]
            for (codes, words) in cases {
                let answer = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"dispositionCodes":\#(codes)}"#)
                #expect(answer.status == .badRequest && answer.json.errorCode == "invalidConfiguration", "\(codes): \(answer.json)")
                #expect(answer.json.errorMessage.contains("dispositionCodes[") && answer.json.errorMessage.contains(words), "\(codes): \(answer.json.errorMessage)")
            }
            let many = "[" + (0...50).map { "\"c\($0)\"" }.joined(separator: ",") + "]"
            #expect(try await server.api(.put, "/api/v1/skill-groups/sales", #"{"dispositionCodes":\#(many)}"#).json.errorMessage.contains("at most 50"))
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["wrapUpSeconds"].int == 30)
        }
    }

    @Test func theAgentWhoHeldTheSessionLastSavesACodeAndANoteWithTheRecord() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", wrapUpSeconds: 60, dispositionCodes: ["Resolved", "Callback needed"]), agents: ["alice", "bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let bob = try await server.agent("bob")
            let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Ann")
            let session = JSONValue.string(customer.sessionId)

            let live = try await alice.request("Chat.wrapUp", ["sessionId": session, "dispositionCode": "Resolved"])
            #expect(live["errorMsg"]?.string?.contains("has not ended yet") == true, "\(live)")

            try await alice.call("Chat.end", ["sessionId": session])
            _ = try await alice.event("sessionEnded", session: customer.sessionId)
            let form = try #require(try await alice.call("Chat.getWrapUp", ["sessionId": session]))
            #expect(form == ["sessionId": session, "skillGroupId": "sales", "dispositionCodes": ["Resolved", "Callback needed"], "maximumNoteLength": 2000])

            let refusals: [([String: JSONValue], String)] = [
                (["dispositionCode": "Sold"], "disposition code 'Sold' is not one of skill group sales's: Resolved, Callback needed"),
                (["note": "no code"], "pick a disposition code"),
                (["dispositionCode": "Resolved", "note": .string(String(repeating: "n", count: 2001))], "the note is 2001 characters; the limit is 2000"),
            ]
            for (fields, words) in refusals {
                var params = fields
                params["sessionId"] = session
                let answer = try await alice.request("Chat.wrapUp", params)
                #expect(answer["errorMsg"]?.string?.contains(words) == true, "\(fields): \(answer)")
            }
            let notBobs = try await bob.request("Chat.wrapUp", ["sessionId": session, "dispositionCode": "Resolved"])
            #expect(notBobs["errorMsg"]?.string?.contains("is not yours to wrap up") == true, "\(notBobs)")
            #expect(try await bob.request("Chat.getWrapUp", ["sessionId": session])["status"]?.string == "error")
            let unknown = try await alice.request("Chat.wrapUp", ["sessionId": "s-999999", "dispositionCode": "Resolved"])
            #expect(unknown["errorMsg"]?.string?.contains("does not exist") == true)
            #expect(try await server.api(.get, "/api/v1/sessions/\(customer.sessionId)").json["dispositionCode"].isNull)

            let saved = try #require(try await alice.call("Chat.wrapUp", ["sessionId": session, "dispositionCode": "Callback needed", "note": "Call back on Monday, order 1207"]))
            #expect(saved["dispositionCode"]?.string == "Callback needed" && saved["note"]?.string == "Call back on Monday, order 1207")
            let record = try await server.api(.get, "/api/v1/sessions/\(customer.sessionId)").json
            #expect(record["dispositionCode"].string == "Callback needed" && record["wrapUpNote"].string == "Call back on Monday, order 1207")
            #expect(record["wrappedUpBy"].string == "alice" && record["wrappedUpAt"].int == saved["wrappedUpAt"]?.int)
            #expect(try await alice.call("Chat.getWrapUp", ["sessionId": session])?["saved"]?["dispositionCode"]?.string == "Callback needed")

            // Saved again, it replaces the first (the agent corrects itself).
            _ = try await alice.call("Chat.wrapUp", ["sessionId": session, "dispositionCode": "Resolved"])
            let csv = try await server.download("/api/v1/sessions.csv?type=im")
            let rows = try parseCSVWithPython(String(decoding: csv.bytes, as: UTF8.self))
            let row = try #require(rows.first { $0["SessionId"] == customer.sessionId })
            #expect(row["DispositionCode"] == "Resolved" && row["WrapUpNote"] == "" && row["WrapUpUserId"] == "alice")
            #expect(row["WrapUpTimestamp"]?.isEmpty == false)
        }
    }

    @Test func afterATransferOnlyTheAgentWhoTookItOverWrapsItUp() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales"), agents: ["alice", "bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            try await bob.call("Agent.setStatus", ["status": "notReady"])
            let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Ann")
            let session = JSONValue.string(customer.sessionId)
            try await bob.call("Agent.setStatus", ["status": "free"])
            try await alice.call("Chat.transfer", ["sessionId": session, "userId": "bob"])
            _ = try await bob.event("callIn", session: customer.sessionId)
            try await bob.call("Chat.accept", ["sessionId": session])
            try await bob.call("Chat.end", ["sessionId": session])
            // The group has no codes: the wrap-up is a note alone, and a code is refused.
            let withCode = try await bob.request("Chat.wrapUp", ["sessionId": session, "dispositionCode": "Resolved"])
            #expect(withCode["errorMsg"]?.string?.contains("has no disposition codes") == true, "\(withCode)")
            let alices = try await alice.request("Chat.wrapUp", ["sessionId": session, "note": "mine"])
            #expect(alices["errorMsg"]?.string?.contains("not yours to wrap up") == true, "\(alices)")
            _ = try await bob.call("Chat.wrapUp", ["sessionId": session, "note": "Sorted out the invoice"])
            let record = try await server.api(.get, "/api/v1/sessions/\(customer.sessionId)").json
            #expect(record["wrapUpNote"].string == "Sorted out the invoice" && record["dispositionCode"].isNull && record["wrappedUpBy"].string == "bob")
        }
    }
}
