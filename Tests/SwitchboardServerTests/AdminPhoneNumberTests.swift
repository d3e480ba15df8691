import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport

/// Binding telephone numbers to skill groups over the admin API; refusals change nothing.
@Suite("Admin phone numbers")
struct AdminPhoneNumberTests {
    @Test func bindRebindListAndUnbind() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createGroup(#"{"id":"support"}"#)
            let bound = try await server.api(.put, "/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"sales"}"#)
            #expect(bound.status == .created && bound.headers[.location] == "/api/v1/phone-numbers/%2B4930100", "new: 201 with where it is")
            #expect(bound.json["number"].string == "+4930100" && bound.json["skillGroupId"].string == "sales" && bound.json["priority"].int == 0)
            let rebound = try await server.api(.put, "/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"support","priority":5}"#)
            #expect(rebound.status == .ok, "replaced: 200")
            #expect(rebound.json["skillGroupId"].string == "support" && rebound.json["priority"].int == 5)
            #expect(try await server.api(.put, "/api/v1/phone-numbers/8000", #"{"skillGroupId":"sales"}"#).status == .created)
            let list = try await server.api(.get, "/api/v1/phone-numbers")
            #expect(list.json["items"].array.map { $0["number"].string } == ["+4930100", "8000"])
            #expect(await server.components.routing.read { $0.phoneNumbers["+4930100"]?.skillGroupId } == "support")

            // A group that answers a number cannot be deleted until the number goes.
            let inUse = try await server.api(.delete, "/api/v1/skill-groups/support")
            #expect(inUse.status == .conflict)
            #expect(try await server.api(.delete, "/api/v1/phone-numbers/%2B4930100").status == .noContent)
            #expect(try await server.api(.delete, "/api/v1/skill-groups/support").status == .noContent)
            let gone = try await server.api(.get, "/api/v1/phone-numbers/%2B4930100")
            #expect(gone.status == .notFound && gone.json.errorCode == "unknownPhoneNumber")
        }
    }

    @Test func badBindingsAreRefusedAndChangeNothing() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let cases: [(String, String, String)] = [
                ("/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"nope"}"#, "unknownSkillGroup"),
                ("/api/v1/phone-numbers/%2B4930100", #"{}"#, "invalidBody"),
                ("/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"sales","priority":1000}"#, "invalidConfiguration"),
                ("/api/v1/phone-numbers/sip:alice", #"{"skillGroupId":"sales"}"#, "invalidConfiguration"),
                ("/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"sales","number":"+1"}"#, "invalidValue"),
                ("/api/v1/phone-numbers/%2B4930100", #"{"skillGroupId":"sales","extra":1}"#, "unknownField"),
            ]
            for (path, body, code) in cases {
                let answer = try await server.api(.put, path, body)
                #expect(answer.status == .badRequest, "\(body): \(answer.status)")
                #expect(answer.json.errorCode == code, "\(body): \(answer.json)")
            }
            #expect(await server.components.routing.read { $0.phoneNumbers.isEmpty })
            #expect(try await server.api(.delete, "/api/v1/phone-numbers/123").status == .notFound)
        }
    }
}
