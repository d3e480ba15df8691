import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// The historical report routes over a real server: what a chat that was answered and ended
/// adds, the CSV form, intervals in zones with half- and quarter-hour offsets and across a
/// daylight saving change, and the errors for bad parameters.
@Suite("Reports", .serialized)
struct ReportRoutesTests {
    @Test func anAnsweredChatIsCountedInItsGroupAgentAndType() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice"])
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            let chat = try await server.startChat(group: "sales")
            _ = try await alice.event("callIn", session: chat.id)
            try await alice.call("Chat.accept", ["sessionId": .string(chat.id)])
            try await alice.call("Chat.end", ["sessionId": .string(chat.id)])

            let groups = try await server.api(.get, "/api/v1/reports/skill-groups?interval=15m&timeZone=UTC")
            #expect(groups.status == .ok, "\(groups.json)")
            let total = try #require(groups.json["totals"].array.first { $0["subject"].string == "sales" }, "\(groups.json)")
            #expect(total["name"].string == "Sales" && total["offered"].int == 1 && total["accepted"].int == 1 && total["handled"].int == 1)
            #expect(total["serviceLevel"].int == 100 && total["abandonmentRate"].int == 0 && total["imSessionsEnded"].int == 1)
            #expect(groups.json["rows"].array.count == 96, "a UTC day in quarter hours")
            #expect(groups.json["rows"].array.filter { $0["offered"].int == 1 }.count == 1)

            let agents = try await server.api(.get, "/api/v1/reports/agents?interval=day")
            let agent = try #require(agents.json["totals"].array.first { $0["subject"].string == "alice" }, "\(agents.json)")
            #expect(agent["accepted"].int == 1 && agent["offersRung"].int == 1 && agent["statusSeconds"].keys.contains("free"), "\(agent)")
            let types = try await server.api(.get, "/api/v1/reports/session-types?subject=im")
            #expect(types.json["totals"][0]["offered"].int == 1, "\(types.json)")

            // CSV: the same rows, by path or by Accept header, read back with Python's csv module.
            let csv = try await server.download("/api/v1/reports/skill-groups.csv?interval=hour")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let rows = try parseCSVWithPython(String(decoding: csv.bytes, as: UTF8.self))
            #expect(rows.count == 24 && rows.allSatisfy { $0["skillGroup"] == "sales" })
            #expect(rows.compactMap { Int($0["offered"] ?? "") }.reduce(0, +) == 1, "\(rows)")
            let negotiated = try await server.http(
                .get, "/api/v1/reports/agents?interval=day", headers: [.authorization: "Bearer \(TestServer.adminKey)", .accept: "text/csv"])
            #expect(negotiated.headers[.contentType] == "text/csv; charset=utf-8")

            // The rebuild recomputes the same figures from the records.
            let rebuilt = try await server.api(.post, "/api/v1/reports/rebuild")
            #expect(rebuilt.status == .ok && rebuilt.json["sessions"].int == 1, "\(rebuilt.json)")
            let again = try await server.api(.get, "/api/v1/reports/skill-groups?interval=15m&timeZone=UTC")
            #expect(again.json["totals"][0]["accepted"].int == 1 && again.json["totals"][0]["handled"].int == 1)
        }
    }

    @Test func intervalsFollowTheZonesOffsetsAndClockChanges() async throws {
        try await TestServer.run { server in
            // India is UTC+05:30: its hours start at half past in UTC.
            let india = try await server.api(.get, "/api/v1/reports/skill-groups?subject=sales&interval=hour&timeZone=Asia/Kolkata&from=2026-11-02&to=2026-11-03")
            #expect(india.status == .ok, "\(india.json)")
            let hours = india.json["rows"].array.compactMap { $0["start"].string }
            #expect(hours.count == 24 && hours.first == "2026-11-02T00:00:00+05:30" && hours.last == "2026-11-02T23:00:00+05:30", "\(hours)")
            // Nepal is UTC+05:45: a day there starts at 18:15 UTC the day before.
            let nepal = try await server.api(.get, "/api/v1/reports/skill-groups?subject=sales&interval=day&timeZone=Asia/Kathmandu&from=2026-11-02&to=2026-11-04")
            #expect(nepal.json["rows"].array.compactMap { $0["start"].string } == ["2026-11-02T00:00:00+05:45", "2026-11-03T00:00:00+05:45"], "\(nepal.json)")
            // New York leaves daylight saving time on 1 November 2026: that day has 25 hours,
            // and 01:00 comes twice.
            let fallBack = try await server.api(.get, "/api/v1/reports/skill-groups?subject=sales&interval=hour&timeZone=America/New_York&from=2026-11-01&to=2026-11-02")
            let starts = fallBack.json["rows"].array.compactMap { $0["start"].string }
            #expect(starts.count == 25, "\(starts)")
            #expect(starts.contains("2026-11-01T01:00:00-04:00") && starts.contains("2026-11-01T01:00:00-05:00"), "\(starts)")
            let days = try await server.api(.get, "/api/v1/reports/skill-groups?subject=sales&interval=day&timeZone=America/New_York&from=2026-10-31&to=2026-11-03")
            let ends = days.json["rows"].array.map { ($0["start"].string ?? "", $0["end"].string ?? "") }
            #expect(ends.count == 3 && ends[1] == ("2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00"), "\(ends)")
        }
    }

    @Test func badParametersAreRefusedSayingWhatIsWrong() async throws {
        try await TestServer.run { server in
            let cases: [(String, String)] = [
                ("timeZone=Mars/Olympus_Mons", "IANA time zone"),
                ("interval=week", "'interval' must be one of 15m, hour, day"),
                ("from=2026-11-02&to=2026-11-01", "'to' must be after 'from'"),
                ("from=2026-11-02T08:07:00Z&to=2026-11-03", "quarter hour"),
                ("from=yesterday", "must be a date"),
                ("interval=15m&from=2026-01-01&to=2027-01-01", "more than 10000"),
                ("serviceLevelSeconds=7", "'serviceLevelSeconds' must be one of 5, 10"),
                ("shortAbandonSeconds=2", "'shortAbandonSeconds' must be one of 3, 5"),
                ("serviceLevelByGroup=sales", "GROUP:SECONDS"),
                ("colour=blue", "not accepted here"),
            ]
            for (query, words) in cases {
                let answer = try await server.api(.get, "/api/v1/reports/skill-groups?\(query)")
                #expect(answer.status == .badRequest && answer.json["error"]["message"].string?.contains(words) == true, "\(query): \(answer.json)")
            }
            let type = try await server.api(.get, "/api/v1/reports/session-types?subject=fax")
            #expect(type.status == .badRequest && type.json["error"]["message"].string?.contains("session type") == true, "\(type.json)")
            let anonymous = try await server.http(.get, "/api/v1/reports/agents", headers: [:])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func theLiveStreamPushesTheFloorWhenItChanges() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice"])
            let unauthorised = try await server.http(.get, "/api/v1/metrics/live", headers: [:])
            #expect(unauthorised.status == .unauthorized)
            // Without asking for a stream, the floor comes once as JSON.
            let once = try await server.api(.get, "/api/v1/metrics/live")
            #expect(once.status == .ok && once.json["overall"]["waiting"].int == 0 && once.json["skillGroups"][0]["id"].string == "sales", "\(once.json)")
            // curl reads the stream as a browser's EventSource would, for a few seconds.
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "-sN", "--max-time", "4", "-H", "Authorization: Bearer \(TestServer.adminKey)", "-H", "Accept: text/event-stream", "http://127.0.0.1:\(server.port)/api/v1/metrics/live"]
            let output = Pipe()
            curl.standardOutput = output
            try curl.run()
            try await Task.sleep(for: .milliseconds(1500))
            _ = try await server.startChat(group: "sales")
            let data = output.fileHandleForReading.readDataToEndOfFile()
            curl.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            let floors = text.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.map { line in
                JSON(try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)))
            }
            #expect(text.hasPrefix("retry: 2000") && text.contains("event: floor"), "\(text)")
            // The first push is the quiet floor, the next one the chat waiting; nothing in between.
            #expect(floors.count == 2, "\(text)")
            #expect(floors.first?["overall"]["waiting"].int == 0 && floors.last?["overall"]["waiting"].int == 1, "\(text)")
            let sales = floors.last?["skillGroups"].array.first { $0["id"].string == "sales" }
            #expect(sales?["waiting"].int == 1 && sales?["oldestWaitingSince"].int != nil && sales?["today"]["offered"].int == 1, "\(text)")
            #expect(floors.last?["agents"][0]["id"].string == "alice" && floors.last?["agents"][0]["status"].string == "offline")
        }
    }
}
