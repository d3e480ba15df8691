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
