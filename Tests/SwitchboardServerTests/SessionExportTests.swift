import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `GET /api/v1/sessions.csv`: the phone record as a spreadsheet. Read back with Python's csv
/// module and checked field by field against the admin API's records.
@Suite("Session export (CSV)", .serialized)
struct SessionExportTests {
    static func phoneSession(_ server: TestServer, caller: String, label: String) async throws -> String {
        let body = """
            {"type":"phone","skillGroupId":"sales","customer":{"callerPhoneNumber":"\(caller)","calleePhoneNumber":"+4930100",\
            "ivrPath":[{"key":"1","label":"\(label)"},{"key":"2","label":"billing, \\"new\\""}]}}
            """
        let created = try await server.api(.post, "/api/v1/sessions", body)
        return try #require(created.json["sessionId"].string, "\(created.json)")
    }

    @Test func theExportMatchesTheRecordsAndDefusesFormulas() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice", "bob"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let bob = try await server.onlineAgent("bob", password: "pw-bob")
            // One call answered by alice, transferred to bob, ended by bob; a caller's label is a formula.
            let talked = try await Self.phoneSession(server, caller: "+4917012345", label: "=HYPERLINK(\\\"http://evil\\\")")
            _ = try await alice.event("callIn", session: talked)
            try await alice.call("Chat.accept", ["sessionId": .string(talked)])
            try await alice.call("Chat.transfer", ["sessionId": .string(talked), "userId": "bob"])
            _ = try await bob.event("callIn", session: talked)
            try await bob.call("Chat.accept", ["sessionId": .string(talked)])
            try await bob.call("Chat.end", ["sessionId": .string(talked)])
            // One ended by an admin while it rang.
            try await alice.call("Agent.offline")
            let abandoned = try await Self.phoneSession(server, caller: "@attacker", label: "sales")
            _ = try await bob.event("callIn", session: abandoned)
            #expect(try await server.api(.post, "/api/v1/sessions/\(abandoned)/end", #"{"mainReason":"test"}"#).status == .ok)
            // And a chat, which `type=phone` leaves out.
            _ = try await server.api(.post, "/api/v1/sessions", #"{"type":"im","skillGroupId":"sales"}"#)

            let answer = try await server.download("/api/v1/sessions.csv?type=phone&from=2020-01-01")
            #expect(answer.status == .ok && answer.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(answer.headers[.contentDisposition]?.contains("sessions.csv") == true)
            let text = String(decoding: answer.bytes, as: UTF8.self)
            #expect(text.hasPrefix("SessionId,Type,Direction,Caller,Callee,") && text.contains("\r\n"))
            let rows = try parseCSVWithPython(text)
            #expect(rows.map { $0["SessionId"] } == [talked, abandoned], "oldest first, phone only: \(rows)")

            for row in rows {
                let id = try #require(row["SessionId"])
                let record = try await server.api(.get, "/api/v1/sessions/\(id)").json
                func seconds(_ field: String) -> String { record[field].int.map { String($0 / 1000) } ?? "" }
                func number(_ field: String) -> String { record[field].int.map(String.init) ?? "" }
                let caller = record["customer"]["callerPhoneNumber"].string ?? ""
                // A cell a spreadsheet would evaluate starts with a quote; the rest is the record's value.
                #expect(row["Caller"] == "'" + caller, "\(row)")
                #expect(row["Callee"] == "'" + (record["customer"]["calleePhoneNumber"].string ?? ""))
                #expect(row["Type"] == "phone" && row["SkillGroupId"] == record["skillGroupId"].string && row["SkillGroup"] == "Sales")
                #expect(row["IVRKeyPressed"] == record["customer"]["ivrPath"].array.compactMap { $0["key"].string }.joined(separator: ";"))
                #expect(row["StartTimestamp"] == seconds("createdAt") && row["QueuedTimestamp"] == seconds("createdAt"))
                #expect(row["RingTimestamp"] == seconds("firstRingAt") && row["AcceptTimestamp"] == seconds("acceptedAt"))
                #expect(row["EndedTimestamp"] == seconds("endedAt"))
                #expect(row["QueueSeconds"] == number("waitSeconds") && row["RingSeconds"] == number("ringSeconds") && row["Duration"] == number("durationSeconds"))
                #expect(row["HoldSeconds"] == number("holdSeconds") && row["TalkSeconds"] == number("talkSeconds"), "\(row) \(record)")
                #expect(row["HungUpSide"] == record["hangUpSide"].string && row["CloseBy"] == record["closeBy"].string)
                #expect(row["EndStatusString"] == record["endStatus"].string, "\(row) \(record)")
                #expect(row["RecordingStatus"] == "" && row["RecordURL"] == "", "not recorded")
            }
            #expect(rows[0]["IVRKeyLabels"] == #"'=HYPERLINK("http://evil");billing, "new""#, "\(rows[0])")
            #expect(rows[0]["SeatUserIds"] == "alice;bob" && rows[0]["HungUpSide"] == "seat" && rows[0]["EndStatusString"] == "ok", "\(rows[0])")
            #expect(rows[1]["Caller"] == "'@attacker" && rows[1]["SeatUserIds"] == "" && rows[1]["HungUpSide"] == "system", "\(rows[1])")

            // A period with nothing in it is just the header.
            let empty = try await server.download("/api/v1/sessions.csv?from=2020-01-01&to=2020-01-02")
            #expect(String(decoding: empty.bytes, as: UTF8.self).split(separator: "\r\n").count == 1)
        }
    }

    @Test func badParametersAreRefusedByName() async throws {
        try await TestServer.run { server in
            for (query, named) in [("from=yesterday", "'from'"), ("to=2026-13-45", "'to'"), ("type=fax", "'type'"), ("from=2026-02-01&to=2026-01-01", "'to'"), ("limit=5", "'limit'")] {
                let answer = try await server.api(.get, "/api/v1/sessions.csv?\(query)")
                #expect(answer.status == .badRequest && answer.json.errorMessage.contains(named), "\(query): \(answer.json)")
            }
        }
    }
}
