import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport

/// IVR flow CRUD over the live server; every refusal names what is wrong and changes nothing.
@Suite("Admin IVR flows")
struct AdminIVRFlowTests {
    static let flow = """
        {"name":"Main line","start":"menu","nodes":[
          {"id":"menu","type":"menu","prompt":{"text":"Press 1 for sales, 2 for support."},
           "choices":[{"digits":"1","label":"sales","next":"sales"},{"digits":"2","label":"support","next":"support"}],
           "timeoutSeconds":4,"onFailure":"bye"},
          {"id":"sales","type":"queue","skillGroupId":"sales","priority":3},
          {"id":"support","type":"queue","skillGroupId":"support"},
          {"id":"bye","type":"hangUp","prompt":{"text":"Goodbye."}}
        ]}
        """

    @Test func saveReadBindAndDelete() async throws {
        try await TestServer.run { server in
            _ = try await server.createGroup(#"{"id":"sales"}"#)
            _ = try await server.createGroup(#"{"id":"support"}"#)
            let saved = try await server.api(.put, "/api/v1/ivr-flows/main", Self.flow)
            #expect(saved.status == .created && saved.headers[.location] == "/api/v1/ivr-flows/main", "\(saved.json)")
            #expect(try await server.api(.put, "/api/v1/ivr-flows/main", Self.flow).status == .ok, "saved again: replaced")
            #expect(saved.json["id"].string == "main" && saved.json["start"].string == "menu")
            let menu = saved.json["nodes"][0]
            #expect(menu["retries"].int == 2 && menu["interDigitSeconds"].int == 3, "defaults are filled in")
            #expect(saved.json["nodes"][3]["endStatus"].string == "ivrEnd")
            #expect(try await server.api(.get, "/api/v1/ivr-flows/main").json["name"].string == "Main line")
            #expect(try await server.api(.get, "/api/v1/ivr-flows").json["items"].array.map { $0["id"].string } == ["main"])

            let bound = try await server.api(.put, "/api/v1/phone-numbers/%2B4930300", #"{"ivrFlowId":"main"}"#)
            #expect(bound.status == .created && bound.json["ivrFlowId"].string == "main" && bound.json["skillGroupId"].isNull, "\(bound.json)")

            let inUse = try await server.api(.delete, "/api/v1/ivr-flows/main")
            #expect(inUse.status == .conflict)
            #expect(inUse.json["error"]["message"].string == "IVR flow main answers phone number +4930300; bind the number elsewhere or remove it first")
            let groupInUse = try await server.api(.delete, "/api/v1/skill-groups/support")
            #expect(groupInUse.json["error"]["message"].string == "skill group support is where IVR flow main queues calls; change the flow first")

            #expect(try await server.api(.delete, "/api/v1/phone-numbers/%2B4930300").status == .noContent)
            #expect(try await server.api(.delete, "/api/v1/ivr-flows/main").status == .noContent)
            #expect(try await server.api(.get, "/api/v1/ivr-flows/main").status == .notFound)
        }
    }

    @Test func badFlowsAreRefusedWithWhatIsWrong() async throws {
        try await TestServer.run { server in
            _ = try await server.createGroup(#"{"id":"sales"}"#)
            func refusal(_ body: String) async throws -> (Int, String?) {
                let answer = try await server.api(.put, "/api/v1/ivr-flows/main", body)
                return (Int(answer.status.code), answer.json["error"]["message"].string)
            }
            // A queue to a group that does not exist.
            let unknown = try await refusal(Self.flow)
            #expect(unknown.0 == 400)
            #expect(unknown.1 == "flow main: node support: skillGroupId names skill group support, which does not exist")
            // A misspelt field inside a node.
            let misspelt = try await refusal(Self.flow.replacingOccurrences(of: "\"timeoutSeconds\"", with: "\"timeout\""))
            #expect(misspelt.0 == 400)
            #expect(misspelt.1?.contains("node menu: field 'timeout' is not accepted in a menu node") == true, "\(misspelt)")
            _ = try await server.createGroup(#"{"id":"support"}"#)
            // A missing node, an unreachable one, loops no caller's choice leaves.
            let missing = try await refusal(Self.flow.replacingOccurrences(of: "\"onFailure\":\"bye\"", with: "\"onFailure\":\"by\""))
            #expect(missing.1 == "flow main: node menu: onFailure names node 'by', which the flow does not have")
            let unreachable = try await refusal(Self.flow.replacingOccurrences(of: "\"onFailure\":\"bye\"", with: "\"onFailure\":\"menu\""))
            #expect(unreachable.1 == "flow main: node bye cannot be reached from the start node menu")
            // A menu whose failure starts it again: a caller who presses nothing never leaves.
            let retrying = try await refusal(Self.flow
                .replacingOccurrences(of: "\"onFailure\":\"bye\"", with: "\"onFailure\":\"menu\"")
                .replacingOccurrences(of: #"{"digits":"2","label":"support","next":"support"}"#, with: #"{"digits":"2","label":"support","next":"support"},{"digits":"0","label":"bye","next":"bye"}"#))
            #expect(retrying.0 == 400)
            #expect(retrying.1 == "flow main: nodes menu → menu form a loop that no caller's choice leaves; end it with a menu choice, a queue or a hang-up")
            // Two messages that lead to each other.
            let pingPong = try await refusal(#"""
                {"start":"a","nodes":[
                  {"id":"a","type":"play","prompt":{"text":"Hello."},"next":"b"},
                  {"id":"b","type":"play","prompt":{"text":"Still here."},"next":"a"}]}
                """#)
            #expect(pingPong.0 == 400)
            #expect(pingPong.1 == "flow main: nodes a → b → a form a loop that no caller's choice leaves; end it with a menu choice, a queue or a hang-up")
            let idMismatch = try await refusal(#"{"id":"other","start":"a","nodes":[{"id":"a","type":"queue","skillGroupId":"sales"}]}"#)
            #expect(idMismatch.1 == "field 'id' is 'other' but the path names main")
            #expect(try await server.api(.get, "/api/v1/ivr-flows").json["items"].array.isEmpty, "nothing was saved")

            // A number names a group or a flow, not both, and only a flow that exists.
            let both = try await server.api(.put, "/api/v1/phone-numbers/100", #"{"skillGroupId":"sales","ivrFlowId":"main"}"#)
            #expect(both.status == .badRequest && both.json["error"]["message"].string?.hasPrefix("give exactly one of the fields 'skillGroupId'") == true)
            let noFlow = try await server.api(.put, "/api/v1/phone-numbers/100", #"{"ivrFlowId":"main"}"#)
            #expect(noFlow.json["error"]["message"].string == "field 'ivrFlowId': IVR flow main does not exist")
        }
    }
}
