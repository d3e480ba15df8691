import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport

/// Agent CRUD and memberships over the live server; every refusal leaves the agent as it was.
@Suite("Admin agents")
struct AdminAgentTests {
    @Test func createReadReplaceDeleteRoundTrip() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createGroup(#"{"id":"support"}"#)
            let created = try await server.api(.post, "/api/v1/agents",
                #"{"id":"alice","name":"Alice","imCapacity":3,"memberships":[{"skillGroupId":"sales","skillLevel":1},{"skillGroupId":"support"}]}"#)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/agents/alice")
            #expect(created.json["memberships"].array.map { "\($0["skillGroupId"].string!)=\($0["skillLevel"].int!)" } == ["sales=1", "support=3"])
            #expect(created.json["status"].string == "offline" && created.json["connected"].bool == false)
            #expect(created.json["restReason"].isNull && created.json["pendingStatus"].isNull)
            #expect(created.json["ringing"].array.isEmpty && created.json["held"].array.isEmpty)
            try await server.createAgent(#"{"id":"bob","memberships":[{"skillGroupId":"support"}]}"#)

            #expect(try await server.api(.get, "/api/v1/agents/bob").json["name"].string == "bob")
            let sales = try await server.api(.get, "/api/v1/agents?skillGroupId=sales")
            #expect(sales.json["items"].array.map { $0["id"].string } == ["alice"])
            let offline = try await server.api(.get, "/api/v1/agents?status=offline")
            #expect(offline.json["total"].int == 2)
            #expect(try await server.api(.get, "/api/v1/agents?status=free").json["total"].int == 0)
            #expect(try await server.api(.get, "/api/v1/skill-groups/support").json["members"].int == 2)

            // PUT replaces the profile: imCapacity left out goes back to the tenant default.
            let replaced = try await server.api(.put, "/api/v1/agents/alice", #"{"name":"Alice B","memberships":[{"skillGroupId":"support","skillLevel":2}]}"#)
            #expect(replaced.status == .ok)
            #expect(replaced.json["name"].string == "Alice B" && replaced.json["imCapacity"].isNull)
            #expect(replaced.json["memberships"].array.map { $0["skillGroupId"].string } == ["support"])
            #expect(await server.components.routing.read { $0.agents["alice"]?.profile.memberships["support"]?.skillLevel } == 2)

            #expect(try await server.api(.delete, "/api/v1/agents/alice").status == .noContent)
            let gone = try await server.api(.get, "/api/v1/agents/alice")
            #expect(gone.status == .notFound && gone.json.errorCode == "unknownAgent")
            #expect(try await server.api(.get, "/api/v1/agents").json["total"].int == 1)
        }
    }

    @Test func badInputIsRefusedAndChangesNothing() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createAgent(#"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}]}"#)
            let cases: [(String, String, String)] = [
                (#"{"id":"alice"}"#, "already exists", "agentExists"),
                (#"{"id":"bob","memberships":[{"skillGroupId":"nope"}]}"#, "memberships[0].skillGroupId", "unknownSkillGroup"),
                (#"{"id":"bob","memberships":[{"skillGroupId":"sales","skillLevel":9}]}"#, "memberships[0].skillLevel", "invalidValue"),
                (#"{"id":"bob","memberships":[{"skillGroupId":"sales"},{"skillGroupId":"sales"}]}"#, "twice", "invalidValue"),
                (#"{"id":"bob","memberships":[{"group":"sales"}]}"#, "memberships[0].group", "unknownField"),
                (#"{"id":"bob","password":"short"}"#, "password", "invalidValue"),
                (#"{"id":"bob","imCapacity":0}"#, "imCapacity", "invalidValue"),
                (#"{"id":"bob","name":"  "}"#, "name", "invalidValue"),
                (#"{"id":"b c"}"#, "id", "invalidValue"),
            ]
            for (body, words, code) in cases {
                let answer = try await server.api(.post, "/api/v1/agents", body)
                #expect(answer.status == (code == "agentExists" ? .conflict : .badRequest), "\(body)")
                #expect(answer.json.errorCode == code, "\(body): \(answer.json)")
                #expect(answer.json.errorMessage.contains(words), "\(body): \(answer.json.errorMessage)")
            }
            #expect(try await server.api(.get, "/api/v1/agents").json["total"].int == 1)
            #expect(try await server.api(.get, "/api/v1/agents/alice").json["name"].string == "Alice")

            #expect(try await server.api(.put, "/api/v1/agents/alice", #"{"id":"bob"}"#).status == .badRequest)
            #expect(try await server.api(.put, "/api/v1/agents/alice", #"{"password":"long-enough"}"#).status == .badRequest)
            #expect(try await server.api(.put, "/api/v1/agents/nobody", #"{"name":"X"}"#).status == .notFound)
            #expect(try await server.api(.delete, "/api/v1/agents/nobody").status == .notFound)
            #expect(try await server.api(.get, "/api/v1/agents?status=sleeping").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/agents?skillGroupId=nope").status == .badRequest)
            let after = try await server.api(.get, "/api/v1/agents/alice")
            #expect(after.json["name"].string == "Alice" && after.json["memberships"].array.count == 1)
        }
    }

    @Test func simultaneousCreatesWithOneIdMakeOneAndRefuseTheRest() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let agents = try await withThrowingTaskGroup(of: Int.self) { group in
                for name in ["First", "Second", "Third", "Fourth"] {
                    group.addTask {
                        let body = #"{"id":"dup","name":"\#(name)","memberships":[{"skillGroupId":"sales"}]}"#
                        return try await server.api(.post, "/api/v1/agents", body).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(agents.sorted() == [201, 409, 409, 409])
            let groups = try await withThrowingTaskGroup(of: Int.self) { group in
                for name in ["One", "Two", "Three"] {
                    group.addTask { try await server.api(.post, "/api/v1/skill-groups", #"{"id":"dup","name":"\#(name)"}"#).status.code }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(groups.sorted() == [201, 409, 409])
        }
    }

    @Test func membershipsAreAddedChangedAndRemoved() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createGroup(#"{"id":"support"}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}]}"#)
            let added = try await server.api(.put, "/api/v1/agents/alice/memberships/support", #"{"skillLevel":1}"#)
            #expect(added.status == .ok)
            #expect(added.json["memberships"].array.map { $0["skillLevel"].int } == [3, 1])
            let defaulted = try await server.api(.put, "/api/v1/agents/alice/memberships/support")
            #expect(defaulted.json["memberships"][1]["skillLevel"].int == 3)

            #expect(try await server.api(.put, "/api/v1/agents/alice/memberships/nope", #"{"skillLevel":1}"#).status == .notFound)
            #expect(try await server.api(.put, "/api/v1/agents/nobody/memberships/sales", #"{"skillLevel":1}"#).status == .notFound)
            let badLevel = try await server.api(.put, "/api/v1/agents/alice/memberships/sales", #"{"skillLevel":0}"#)
            #expect(badLevel.status == .badRequest && badLevel.json.errorMessage.contains("skillLevel"))

            #expect(try await server.api(.delete, "/api/v1/agents/alice/memberships/sales").status == .noContent)
            let again = try await server.api(.delete, "/api/v1/agents/alice/memberships/sales")
            #expect(again.status == .notFound && again.json.errorCode == "notMember")
            let final = try await server.api(.get, "/api/v1/agents/alice")
            #expect(final.json["memberships"].array.map { $0["skillGroupId"].string } == ["support"])
        }
    }

    @Test func onlineAgentIsNotDeleted() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            let refused = try await server.api(.delete, "/api/v1/agents/alice")
            #expect(refused.status == .conflict && refused.json.errorCode == "inUse")
            let still = try await server.api(.get, "/api/v1/agents/alice")
            #expect(still.json["status"].string == "free" && still.json["connected"].bool == true)
            // Removing a group with members is refused too.
            #expect(try await server.api(.delete, "/api/v1/skill-groups/sales").json.errorCode == "inUse")
            alice.socket.close()
        }
    }

    @Test func deletedAgentsPasswordDoesNotComeBack() async throws {
        try await TestServer.run { server in
            try await server.createAgent(#"{"id":"alice","password":"alice-secret"}"#)
            #expect(try await server.api(.delete, "/api/v1/agents/alice").status == .noContent)
            try await server.createAgent(#"{"id":"alice"}"#)
            let agent = try await TestAgent.connect(port: server.port)
            await #expect(throws: TestFailure.self) { try await agent.login(userId: "alice", password: "alice-secret") }
        }
    }
}
