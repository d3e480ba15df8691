import Foundation
import SwitchboardCore
import Testing
import SwitchboardTestSupport

/// The queue view, the status board and the tenant-wide configuration.
@Suite("Admin live views")
struct AdminLiveTests {
    @Test func queueViewListsWaitingSessionsInOrder() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","name":"Sales"}"#)
            try await server.createGroup(#"{"id":"support"}"#)
            var ids: [String] = []
            for priority in [0, 0, 5] {
                let created = try await server.api(.post, "/api/v1/sessions",
                    #"{"type":"im","skillGroupId":"sales","priority":\#(priority),"customer":{"nickname":"C\#(priority)"}}"#)
                ids.append(try #require(created.json["sessionId"].string))
            }
            let queues = try await server.api(.get, "/api/v1/queues")
            #expect(queues.status == .ok)
            #expect(queues.json["items"].array.map { $0["skillGroupId"].string } == ["sales", "support"])
            let sales = queues.json["items"][0]
            #expect(sales["waiting"].int == 3 && sales["name"].string == "Sales")
            // Higher priority first, then arrival.
            #expect(sales["sessions"].array.map { $0["sessionId"].string } == [ids[2], ids[0], ids[1]])
            #expect(sales["sessions"].array.map { $0["position"].int } == [1, 2, 3])
            #expect(sales["sessions"][0]["nickname"].string == "C5")
            #expect((sales["oldestWaitSeconds"].int ?? -1) >= 0)
            #expect(sales["sessions"].array.allSatisfy { ($0["waitedSeconds"].int ?? -1) >= 0 })
            let support = queues.json["items"][1]
            #expect(support["waiting"].int == 0 && support["oldestWaitSeconds"].isNull)

            let only = try await server.api(.get, "/api/v1/queues?skillGroupId=support")
            #expect(only.json["items"].array.count == 1 && only.json["total"].int == 1)
            #expect(try await server.api(.get, "/api/v1/queues?skillGroupId=nope").status == .badRequest)
            // The session detail agrees on the position.
            #expect(try await server.api(.get, "/api/v1/sessions/\(ids[1])").json["queuePosition"].int == 3)
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["waiting"].int == 3)
        }
    }

    @Test func statusBoardGroupsAgentsByStatus() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createGroup(#"{"id":"support"}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            try await server.createAgent(#"{"id":"bob","memberships":[{"skillGroupId":"sales"}],"password":"bob-secret"}"#)
            try await server.createAgent(#"{"id":"carol","memberships":[{"skillGroupId":"support"}]}"#)
            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            let bob = try await server.onlineAgent("bob", password: "bob-secret")
            try await bob.call("Agent.setStatus", ["status": "notReady"])

            let board = try await server.api(.get, "/api/v1/status-board")
            #expect(board.status == .ok)
            #expect(board.json["total"].int == 3 && board.json["connected"].int == 2)
            let statuses = board.json["statuses"].array
            #expect(statuses.map { $0["status"].string } == ["free", "busy", "arrange", "notReady", "rest", "offline"])
            let counts = Dictionary(uniqueKeysWithValues: statuses.map { ($0["status"].string!, $0["count"].int!) })
            #expect(counts == ["free": 1, "busy": 0, "arrange": 0, "notReady": 1, "rest": 0, "offline": 1])
            #expect(statuses[0]["agents"][0]["id"].string == "alice")

            let support = try await server.api(.get, "/api/v1/status-board?skillGroupId=support")
            #expect(support.json["total"].int == 1 && support.json["statuses"][5]["agents"][0]["id"].string == "carol")
            #expect(try await server.api(.get, "/api/v1/status-board?skillGroupId=nope").status == .badRequest)
            #expect(try await server.api(.get, "/api/v1/status-board?limit=5").status == .badRequest)
            alice.socket.close()
            bob.socket.close()
        }
    }

    @Test func configurationIsReadAndReplaced() async throws {
        try await TestServer.run { server in
            let initial = try await server.api(.get, "/api/v1/configuration")
            #expect(initial.json["defaultImCapacity"].int == 5 && initial.json["statusAfterOnline"].string == "free")
            let replaced = try await server.api(.put, "/api/v1/configuration", #"{"defaultImCapacity":3,"statusAfterOnline":"notReady"}"#)
            #expect(replaced.status == .ok)
            #expect(replaced.json["defaultImCapacity"].int == 3 && replaced.json["imHoldSeconds"].int == 120)
            #expect(await server.components.routing.read { $0.configuration.statusAfterOnline } == .notReady)

            for body in [#"{"statusAfterOnline":"rest"}"#, #"{"defaultImCapacity":0}"#, #"{"imHold":5}"#, #"{"reconnectGraceSeconds":-1}"#] {
                let refused = try await server.api(.put, "/api/v1/configuration", body)
                #expect(refused.status == .badRequest, "\(body)")
            }
            #expect(try await server.api(.get, "/api/v1/configuration").json["defaultImCapacity"].int == 3)
        }
    }
}
