import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardServer

/// The live floor's service-level settings (as the historical reports take them) and the one
/// floor a second that every open stream shares.
@Suite("Live floor", .serialized)
struct LiveFloorTests {
    @Test func todaysServiceLevelTakesTheReportsSettingsPerGroup() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales", offerTimeoutSeconds: 600), agents: ["alice"])
            let chat = try await server.startChat(group: "sales")
            // Nobody online: the chat waits 6 s (more than 5, less than 60) before it rings.
            try await Task.sleep(for: .seconds(6))
            let alice = try await server.onlineAgent("alice", password: "pw-alice")
            _ = try await alice.event("callIn", session: chat.id)
            try await alice.call("Chat.accept", ["sessionId": .string(chat.id)])

            let chosen = try await server.api(.get, "/api/v1/metrics/live?serviceLevelSeconds=5&serviceLevelByGroup=sales:60&shortAbandonSeconds=10")
            #expect(chosen.status == .ok, "\(chosen.json)")
            let sales = try #require(chosen.json["skillGroups"].array.first { $0["id"].string == "sales" }, "\(chosen.json)")
            #expect(sales["today"]["serviceLevelSeconds"].int == 60 && sales["today"]["serviceLevel"].int == 100, "\(sales)")
            #expect(sales["today"]["shortAbandonSeconds"].int == 10, "\(sales)")
            // Overall is the tenant's: the report's 5 s, which the 6 s wait missed.
            #expect(chosen.json["overall"]["today"]["serviceLevelSeconds"].int == 5 && chosen.json["overall"]["today"]["serviceLevel"].int == 0, "\(chosen.json)")
            let defaults = try await server.api(.get, "/api/v1/metrics/live")
            #expect(defaults.json["overall"]["today"]["serviceLevelSeconds"].int == 20 && defaults.json["overall"]["today"]["serviceLevel"].int == 100)

            for (query, words) in [("serviceLevelSeconds=7", "'serviceLevelSeconds' must be one of"), ("serviceLevelByGroup=sales", "GROUP:SECONDS"), ("colour=blue", "not accepted here")] {
                let refused = try await server.api(.get, "/api/v1/metrics/live?\(query)")
                #expect(refused.status == .badRequest && refused.json["error"]["message"].string?.contains(words) == true, "\(query): \(refused.json)")
            }
        }
    }

    @Test func twoStreamsShareOneFloorASecond() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales"), agents: ["alice"])
            func stream(seconds: Int) throws -> Process {
                let curl = Process()
                curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                curl.arguments = [
                    "curl", "-sN", "-o", "/dev/null", "--max-time", "\(seconds)", "-H", "Authorization: Bearer \(TestServer.adminKey)",
                    "-H", "Accept: text/event-stream", "http://127.0.0.1:\(server.port)/api/v1/metrics/live",
                ]
                try curl.run()
                return curl
            }
            let streams = [try stream(seconds: 8), try stream(seconds: 8)]
            // Both streams have sent their first floor (each computed at connect).
            try await Task.sleep(for: .milliseconds(1500))
            let before = await server.components.liveFloors.computations
            #expect(before >= 2, "\(before)")
            try await Task.sleep(for: .seconds(5))
            let during = await server.components.liveFloors.computations - before
            // Two streams looking once a second each for 5 s: 10 floors if each computed its own;
            // shared, one a second (6 at most, a tick at each end of the window).
            #expect((4...6).contains(during), "\(during) floors computed in 5 s for two streams")
            for curl in streams { curl.waitUntilExit() }
        }
    }
}
