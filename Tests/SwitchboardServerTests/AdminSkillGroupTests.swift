import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport

/// Skill group CRUD over the live server; every refusal leaves the groups as they were.
@Suite("Admin skill groups")
struct AdminSkillGroupTests {
    @Test func createReadReplaceDeleteRoundTrip() async throws {
        try await TestServer.run { server in
            let created = try await server.api(.post, "/api/v1/skill-groups", #"{"id":"sales","name":"Sales","strategy":"roundRobin","offerTimeoutSeconds":15}"#)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/skill-groups/sales")
            #expect(created.json["strategy"].string == "roundRobin")
            #expect(created.json["offerTimeoutSeconds"].int == 15)
            // Left out: SkillGroup's defaults, and null for no overflow.
            #expect(created.json["missedOfferStatus"].string == "notReady")
            #expect(created.json["queueTimeoutSeconds"].int == 0)
            #expect(created.json["overflowGroupId"].isNull)
            #expect(created.json["waiting"].int == 0 && created.json["members"].int == 0)

            try await server.createGroup(#"{"id":"billing"}"#)
            let fetched = try await server.api(.get, "/api/v1/skill-groups/sales")
            #expect(fetched.status == .ok && fetched.json["name"].string == "Sales")

            // PUT replaces: what is left out goes back to its default.
            let replaced = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"name":"Sales EU","overflowGroupId":"billing","queueTimeoutSeconds":60}"#)
            #expect(replaced.status == .ok)
            #expect(replaced.json["name"].string == "Sales EU")
            #expect(replaced.json["overflowGroupId"].string == "billing")
            #expect(replaced.json["strategy"].string == "longestIdle")
            #expect(replaced.json["offerTimeoutSeconds"].int == 20)
            let inCore = await server.components.routing.read { $0.skillGroups["sales"] }
            #expect(inCore?.overflowGroupId == "billing" && inCore?.queueTimeoutSeconds == 60)

            let list = try await server.api(.get, "/api/v1/skill-groups")
            #expect(list.json["items"].array.map { $0["id"].string } == ["billing", "sales"])
            #expect(list.json["total"].int == 2)

            #expect(try await server.api(.delete, "/api/v1/skill-groups/sales").status == .noContent)
            let gone = try await server.api(.get, "/api/v1/skill-groups/sales")
            #expect(gone.status == .notFound && gone.json.errorCode == "unknownSkillGroup")
        }
    }

    @Test func duplicatesAndUnknownIdsAreRefused() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","name":"Sales"}"#)
            let duplicate = try await server.api(.post, "/api/v1/skill-groups", #"{"id":"sales","name":"Other"}"#)
            #expect(duplicate.status == .conflict && duplicate.json.errorCode == "skillGroupExists")
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["name"].string == "Sales")

            #expect(try await server.api(.put, "/api/v1/skill-groups/nope", #"{"name":"x"}"#).status == .notFound)
            #expect(try await server.api(.delete, "/api/v1/skill-groups/nope").status == .notFound)
            #expect(try await server.api(.get, "/api/v1/skill-groups/nope").status == .notFound)
            #expect(try await server.api(.get, "/api/v1/skill-groups").json["total"].int == 1)
        }
    }

    @Test func invalidValuesAreRefusedNamingTheField() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","name":"Sales"}"#)
            let cases: [(String, String, String)] = [
                (#"{"id":"x","strategy":"fastest"}"#, "strategy", "invalidValue"),
                (#"{"id":"x","offerTimeoutSeconds":-1}"#, "offerTimeoutSeconds", "invalidConfiguration"),
                (#"{"id":"x","offerTimeout":10}"#, "offerTimeout", "unknownField"),
                (#"{"id":"x","overflowGroupId":"nowhere"}"#, "overflowGroupId", "unknownSkillGroup"),
                (#"{"id":"x","overflowGroupId":"x"}"#, "itself", "invalidConfiguration"),
                (#"{"id":"x","missedOfferStatus":"busy"}"#, "missedOfferStatus", "invalidValue"),
                (#"{"id":"a/b"}"#, "id", "invalidValue"),
                (#"{"name":"no id"}"#, "id", "invalidBody"),
                (#"{"id":7}"#, "id", "invalidBody"),
                (#"[1,2]"#, "object", "invalidBody"),
                (#"{"id":"x""#, "JSON", "invalidBody"),
            ]
            for (body, word, code) in cases {
                let answer = try await server.api(.post, "/api/v1/skill-groups", body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json.errorCode == code, "\(body): \(answer.json)")
                #expect(answer.json.errorMessage.contains(word), "\(body): \(answer.json.errorMessage)")
            }
            // A loop through PUT is refused too, and the group keeps its settings.
            try await server.createGroup(#"{"id":"billing","overflowGroupId":"sales"}"#)
            let loop = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"overflowGroupId":"billing"}"#)
            #expect(loop.status == .badRequest && loop.json.errorMessage.contains("loop"))
            let mismatch = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"id":"other"}"#)
            #expect(mismatch.status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["overflowGroupId"].isNull)
            #expect(try await server.api(.get, "/api/v1/skill-groups").json["total"].int == 2)
        }
    }

    @Test func routingSettingsRoundTripKeepTheirDefaultsAndSurviveARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-groups-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestServer.run(dataDirectory: directory) { server in
            // Left out: today's behaviour.
            let plain = try await server.createGroup(#"{"id":"plain"}"#)
            #expect(plain["ringAll"].bool == false && plain["usingLastSeat"].bool == false && plain["maxConcurrency"].int == 0)
            #expect(plain["timeoutTransfer"].bool == true && plain["maxSessionSeconds"].int == 0)
            #expect(plain["endWhenNoSeatOnline"].bool == false && plain["workingHours"].isNull && plain["withinWorkingHours"].bool == true)

            let created = try await server.createGroup(#"""
                {"id":"sales","ringAll":true,"usingLastSeat":true,"maxConcurrency":2,"timeoutTransfer":false,"maxSessionSeconds":1800,
                 "endWhenNoSeatOnline":true,
                 "workingHours":{"timeZone":"Europe/Berlin","weekly":{"monday":["13:00-17:30","09:00-12:00"],"saturday":["10:00-14:00"]}}}
                """#)
            #expect(created["ringAll"].bool == true && created["usingLastSeat"].bool == true && created["maxConcurrency"].int == 2)
            #expect(created["timeoutTransfer"].bool == false && created["maxSessionSeconds"].int == 1800)
            #expect(created["endWhenNoSeatOnline"].bool == true)
            let hours = created["workingHours"]
            #expect(hours["timeZone"].string == "Europe/Berlin")
            #expect(hours["weekly"]["monday"].array.map(\.string) == ["09:00-12:00", "13:00-17:30"], "in order of the day")
            #expect(hours["weekly"]["sunday"].array.isEmpty && hours["weekly"].keys.count == 7, "every day is listed")
            #expect(created["withinWorkingHours"].bool != nil)
            let inCore = await server.components.routing.read { $0.skillGroups["sales"] }
            #expect(inCore?.workingHours?.weekly[.saturday] == [.init(from: 600, to: 840)])
        }
        try await TestServer.run(dataDirectory: directory) { server in
            let reloaded = try await server.api(.get, "/api/v1/skill-groups/sales").json
            #expect(reloaded["ringAll"].bool == true && reloaded["maxConcurrency"].int == 2 && reloaded["timeoutTransfer"].bool == false)
            #expect(reloaded["workingHours"]["weekly"]["saturday"].array.map(\.string) == ["10:00-14:00"])

            // PUT replaces: what is left out goes back to today's behaviour.
            let replaced = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"usingLastSeat":true}"#)
            #expect(replaced.status == .ok)
            #expect(replaced.json["usingLastSeat"].bool == true && replaced.json["ringAll"].bool == false)
            #expect(replaced.json["timeoutTransfer"].bool == true && replaced.json["workingHours"].isNull)
            let cleared = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"workingHours":null}"#)
            #expect(cleared.status == .ok && cleared.json["workingHours"].isNull)
        }
    }

    @Test func invalidRoutingSettingsAreRefusedNamingTheFieldAndChangeNothing() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","maxConcurrency":3,"workingHours":{"timeZone":"UTC","weekly":{"friday":["08:00-16:00"]}}}"#)
            // The settings as shown, without the live figure that follows the clock.
            func settings() async throws -> String {
                var fields = try await server.api(.get, "/api/v1/skill-groups/sales").json.value as? [String: Any] ?? [:]
                fields["withinWorkingHours"] = nil
                return JSON(fields).description
            }
            let before = try await settings()
            let cases: [(String, String, String)] = [
                (#"{"maxConcurrency":-1}"#, "maxConcurrency", "invalidConfiguration"),
                (#"{"maxConcurrency":101}"#, "maxConcurrency", "invalidConfiguration"),
                (#"{"maxSessionSeconds":-1}"#, "maxSessionSeconds", "invalidConfiguration"),
                (#"{"maxSessionSeconds":604801}"#, "maxSessionSeconds", "invalidConfiguration"),
                (#"{"ringAll":"yes"}"#, "ringAll", "invalidBody"),
                (#"{"endWhenNoSeatOnline":"no"}"#, "endWhenNoSeatOnline", "invalidBody"),
                (#"{"workingHours":"always"}"#, "workingHours", "invalidBody"),
                (#"{"workingHours":{"timeZone":"UTC"}}"#, "workingHours.weekly", "invalidBody"),
                (#"{"workingHours":{"timeZone":"Mars/Olympus_Mons","weekly":{}}}"#, "timeZone 'Mars/Olympus_Mons'", "invalidConfiguration"),
                (#"{"workingHours":{"timeZone":"UTC","weekly":{},"holidays":[]}}"#, "workingHours.holidays", "unknownField"),
                (#"{"workingHours":{"timeZone":"UTC","weekly":{"funday":["09:00-10:00"]}}}"#, "workingHours.weekly.funday", "unknownField"),
                (#"{"workingHours":{"timeZone":"UTC","weekly":{"monday":["9-5"]}}}"#, "workingHours.weekly.monday[0]", "invalidValue"),
                (#"{"workingHours":{"timeZone":"UTC","weekly":{"monday":["17:00-09:00"]}}}"#, "must start before it ends", "invalidConfiguration"),
                (#"{"workingHours":{"timeZone":"UTC","weekly":{"monday":["09:00-12:00","11:00-13:00"]}}}"#, "overlap", "invalidConfiguration"),
                (#"{"workingHours":{"timeZone":"UTC","weekly":{"monday":"09:00-12:00"}}}"#, "workingHours.weekly.monday", "invalidBody"),
            ]
            for (body, words, code) in cases {
                let answer = try await server.api(.put, "/api/v1/skill-groups/sales", body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json.errorCode == code, "\(body): \(answer.json)")
                #expect(answer.json.errorMessage.contains(words), "\(body): \(answer.json.errorMessage)")
                let created = try await server.api(.post, "/api/v1/skill-groups", #"{"id":"other","# + body.dropFirst())
                #expect(created.status == .badRequest, "POST \(body)")
            }
            #expect(try await settings() == before)
            #expect(try await server.api(.get, "/api/v1/skill-groups").json["total"].int == 1)
        }
    }

    @Test func groupInUseIsNotDeleted() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createGroup(#"{"id":"overflow"}"#)
            try await server.createGroup(#"{"id":"front","overflowGroupId":"overflow","queueTimeoutSeconds":600}"#)
            let asOverflow = try await server.api(.delete, "/api/v1/skill-groups/overflow")
            #expect(asOverflow.status == .conflict && asOverflow.json.errorCode == "inUse")
            #expect(asOverflow.json.errorMessage.contains("front"))

            let session = try await server.api(.post, "/api/v1/sessions", #"{"type":"phone","skillGroupId":"sales"}"#)
            #expect(session.status == .created)
            let live = try await server.api(.delete, "/api/v1/skill-groups/sales")
            #expect(live.status == .conflict && live.json.errorCode == "inUse")
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["waiting"].int == 1)
            #expect(try await server.api(.get, "/api/v1/skill-groups").json["total"].int == 3)
        }
    }

    @Test func paginationBounds() async throws {
        try await TestServer.run { server in
            for id in ["a", "b", "c"] { try await server.createGroup(#"{"id":"\#(id)"}"#) }
            let first = try await server.api(.get, "/api/v1/skill-groups?limit=2")
            #expect(first.json["items"].array.map { $0["id"].string } == ["a", "b"])
            #expect(first.json["total"].int == 3 && first.json["limit"].int == 2 && first.json["offset"].int == 0)
            #expect(first.json["hasMore"].bool == true)
            let second = try await server.api(.get, "/api/v1/skill-groups?limit=2&offset=2")
            #expect(second.json["items"].array.map { $0["id"].string } == ["c"])
            #expect(second.json["hasMore"].bool == false)
            let beyond = try await server.api(.get, "/api/v1/skill-groups?offset=10")
            #expect(beyond.status == .ok && beyond.json["items"].array.isEmpty && beyond.json["total"].int == 3)
            #expect(try await server.api(.get, "/api/v1/skill-groups?limit=500").status == .ok)
            for (query, name) in [("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"), ("offset=-1", "offset"),
                                  ("limt=5", "limt"), ("limit=1&limit=2", "limit"), ("limit=", "limit")] {
                let answer = try await server.api(.get, "/api/v1/skill-groups?\(query)")
                #expect(answer.status == .badRequest, "\(query)")
                #expect(answer.json.errorMessage.contains("'\(name)'"), "\(query): \(answer.json.errorMessage)")
            }
        }
    }
}
