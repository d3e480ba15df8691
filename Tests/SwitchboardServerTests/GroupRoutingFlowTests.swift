import Foundation
import SwitchboardProtocol
import Testing
import SwitchboardTestSupport

/// Each skill-group routing setting over real sockets: agents on the agent socket, customers on
/// the customer socket or the chat REST fallback, settings through the admin API.
@Suite("Skill-group settings over real sockets", .serialized)
struct GroupRoutingFlowTests {
    /// Creates `agents` in `sales` (skill level from `levels`, else 3), each with password "pw-<id>-123".
    static func agents(_ server: TestServer, _ agents: [String], levels: [String: Int] = [:]) async throws {
        for agent in agents {
            try await server.createAgent(#"{"id":"\#(agent)","name":"\#(agent.capitalized)","memberships":[{"skillGroupId":"sales","skillLevel":\#(levels[agent] ?? 3)}],"password":"pw-\#(agent)-123"}"#)
        }
    }

    static func online(_ server: TestServer, _ agent: String) async throws -> TestAgent {
        try await server.onlineAgent(agent, password: "pw-\(agent)-123")
    }

    /// The kinds of a session's history entries, in order.
    static func history(_ server: TestServer, _ session: String) async throws -> [JSON] {
        try await server.api(.get, "/api/v1/sessions/\(session)").json["history"].array
    }

    @Test func ringAllOffersToEveryoneAndTheFirstAcceptWins() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","ringAll":true,"offerTimeoutSeconds":60}"#)
            try await Self.agents(server, ["alice", "bob", "carol"])
            let alice = try await Self.online(server, "alice")
            let bob = try await Self.online(server, "bob")
            let carol = try await Self.online(server, "carol")
            try await carol.call("Agent.setStatus", ["status": "notReady"])

            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            _ = try await alice.event("callIn", session: session)
            _ = try await bob.event("callIn", session: session)
            _ = try await customer.next("ringing")

            try await bob.call("Chat.accept", ["sessionId": .string(session)])
            _ = try await alice.event("autoTransfer", session: session)
            let joined = try await customer.next("agentJoined")
            #expect(joined["nickname"]?.string == "Bob")
            let late = try await alice.request("Chat.accept", ["sessionId": .string(session)])
            #expect(late["status"]?.string == "error")
            #expect(late["errorMsg"]?.string?.contains("not ringing at agent alice") == true, "\(late)")
            #expect(try await alice.call("Agent.getStatus")?["status"]?.string == "free", "losing the race is not a miss")
            #expect(await carol.socket.received { $0["name"]?.string == "callIn" } == nil, "a not-ready agent is not rung")

            let history = try await Self.history(server, session)
            let offered = history.filter { $0["kind"].string == "offered" }
            #expect(Set(offered.compactMap { $0["agentId"].string }) == ["alice", "bob"])
            #expect(offered.allSatisfy { $0["detail"]["ringAll"].bool == true })
            #expect(history.contains { $0["kind"].string == "withdrawn" && $0["agentId"].string == "alice" })
        }
    }

    @Test func aReturningCustomerRingsAtTheAgentWhoServedThemLast() async throws {
        try await TestServer.run { server in
            // The strategy prefers alice (skill level 1) whenever she is free.
            try await server.createGroup(#"{"id":"sales","strategy":"skillLevel","usingLastSeat":true}"#)
            try await Self.agents(server, ["alice", "bob"], levels: ["alice": 1, "bob": 5])
            let alice = try await Self.online(server, "alice")
            let bob = try await Self.online(server, "bob")

            // Bob serves Ann, known to the site as ann-17, while Alice is away.
            try await alice.call("Agent.setStatus", ["status": "notReady"])
            let first = try await server.customer(group: "sales", extra: #","userId":"ann-17""#)
            _ = try await bob.event("callIn", session: first.sessionId)
            try await bob.call("Chat.accept", ["sessionId": .string(first.sessionId)])
            try await bob.call("Chat.end", ["sessionId": .string(first.sessionId)])
            try await alice.call("Agent.setStatus", ["status": "free"])

            // Ann comes back over the REST fallback: Bob again. A stranger gets Alice.
            let again = try await server.chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"sales","nickname":"Ann","userId":"ann-17"}"#)
            let returning = try #require(again.json["sessionId"].string)
            _ = try await bob.event("callIn", session: returning)
            let stranger = try await server.startChat(group: "sales", nickname: "Bo")
            _ = try await alice.event("callIn", session: stranger.id)

            let offered = try await Self.history(server, returning).first { $0["kind"].string == "offered" }
            #expect(offered?["agentId"].string == "bob" && offered?["detail"]["lastSeat"].bool == true)
        }
    }

    @Test func maxConcurrencyKeepsAnAgentsChatsFromOneGroupUnderTheLimit() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","maxConcurrency":1}"#)
            try await Self.agents(server, ["alice"])
            let alice = try await Self.online(server, "alice")
            let first = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Ann")

            let second = try await server.customer(group: "sales", nickname: "Bo")
            let queued = try await second.next("queued")
            #expect(queued["position"]?.int == 1, "alice has room for four more chats, but not from this group")
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["waiting"].int == 1)

            try await alice.call("Chat.end", ["sessionId": .string(first.sessionId)])
            _ = try await alice.event("callIn", session: second.sessionId)
        }
    }

    @Test func withTimeoutTransferOffAnOfferRingsOnAtTheSameAgent() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","offerTimeoutSeconds":1,"timeoutTransfer":false}"#)
            try await Self.agents(server, ["alice", "bob"])
            let alice = try await Self.online(server, "alice")
            let bob = try await Self.online(server, "bob")
            let customer = try await server.customer(group: "sales")
            let session = customer.sessionId
            let callIn = try await alice.event("callIn", session: session)
            #expect(callIn["data"]?["timeout"]?.int == 1)

            try await waitUntil("the offer's timeout") {
                try await Self.history(server, session).contains { $0["kind"].string == "overdue" }
            }
            let live = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(live["state"].string == "ringing" && live["agentId"].string == "alice")
            #expect(await alice.socket.received { $0["name"]?.string == "autoTransfer" } == nil)
            #expect(await bob.socket.received { $0["name"]?.string == "callIn" } == nil)
            #expect(try await server.api(.get, "/api/v1/agents/alice").json["status"].string == "free", "no missed-offer status")
            // A tab opened now shows it ringing with no countdown left.
            let secondTab = try await TestAgent.connect(port: server.port)
            let welcome = try await secondTab.login(userId: "alice", password: "pw-alice-123")
            #expect(welcome["sessions"]?[0]?["sessionId"]?.string == session && welcome["sessions"]?[0]?["state"]?.string == "ringing")
            #expect(welcome["sessions"]?[0]?["timeout"]?.int == 0)

            try await alice.call("Chat.accept", ["sessionId": .string(session)])
            _ = try await customer.next("agentJoined")
        }
    }

    @Test func anAcceptedSessionEndsByTimerAtTheGroupsMaximumDuration() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","maxSessionSeconds":1}"#)
            try await Self.agents(server, ["alice"])
            let alice = try await Self.online(server, "alice")
            let customer = try await alice.acceptChat(port: server.port, group: "sales", nickname: "Ann")

            let told = try await customer.next("ended")
            #expect(told["closeBy"]?.string == "timer")
            let ended = try await alice.event("sessionEnded", session: customer.sessionId)
            #expect(ended["data"]?["closeBy"]?.string == "timer")
            #expect(ended["data"]?["duration"]?.int == 1)
            let record = try await server.api(.get, "/api/v1/sessions/\(customer.sessionId)").json
            #expect(record["closeBy"].string == "timer" && record["endStatus"].string == "ok")
            #expect(record["mainReason"].string?.contains("maximum session duration (1 s)") == true, "\(record)")
        }
    }

    @Test func withNobodyOnlineCustomersAreTurnedAwayAsNoSeatOnline() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","endWhenNoSeatOnline":true}"#)
            try await Self.agents(server, ["alice"])

            let rest = try await server.chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"sales","nickname":"Ann"}"#)
            #expect(rest.status == .conflict && rest.json.errorCode == "noSeatOnline")
            #expect(rest.json.errorMessage == "no agent of skill group sales is online; try again later")
            #expect(rest.headers[.retryAfter] == nil, "nobody can say when someone logs in")
            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Bo"}"#)
            let error = try await customer.next("error")
            #expect(error["code"]?.string == "noSeatOnline")
            let admin = try await server.api(.post, "/api/v1/sessions", #"{"type":"voip","skillGroupId":"sales","customer":{"userId":"u1"}}"#)
            #expect(admin.status == .conflict && admin.json.errorCode == "noSeatOnline")

            let records = try await server.api(.get, "/api/v1/sessions").json["items"].array
            #expect(records.count == 3 && records.allSatisfy {
                $0["endStatus"].string == "noSeatOnline" && $0["closeBy"].string == "admin" && $0["state"].string == "ended"
            }, "\(records)")

            // Someone logs in: customers queue (and ring) again.
            let alice = try await Self.online(server, "alice")
            let chat = try await server.startChat(group: "sales")
            _ = try await alice.event("callIn", session: chat.id)
        }
    }

    @Test func outsideWorkingHoursCustomersAreTurnedAwayAsNotWorkTime() async throws {
        try await TestServer.run { server in
            // No ranges on any day: always closed.
            let closed = try await server.createGroup(#"{"id":"sales","workingHours":{"timeZone":"Asia/Shanghai","weekly":{}}}"#)
            #expect(closed["withinWorkingHours"].bool == false)
            let rest = try await server.chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"sales","nickname":"Ann"}"#)
            #expect(rest.status == .conflict && rest.json.errorCode == "notWorkTime")
            #expect(rest.json.errorMessage.contains("outside its working hours (it is ") && rest.json.errorMessage.contains("in Asia/Shanghai)"))
            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Bo"}"#)
            #expect(try await customer.next("error")["code"]?.string == "notWorkTime")
            let record = try await server.api(.get, "/api/v1/sessions?limit=1").json["items"][0]
            #expect(record["endStatus"].string == "notWorkTime" && record["mainReason"].string == "notWorkTime")

            // Open around the clock: customers queue.
            let allDay = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
                .map { #""\#($0)":["00:00-24:00"]"# }.joined(separator: ",")
            let open = try await server.api(.put, "/api/v1/skill-groups/sales", #"{"workingHours":{"timeZone":"Asia/Shanghai","weekly":{\#(allDay)}}}"#)
            #expect(open.status == .ok && open.json["withinWorkingHours"].bool == true)
            let queued = try await server.customer(group: "sales")
            #expect(try await queued.next("queued")["position"]?.int == 1)
        }
    }
}
