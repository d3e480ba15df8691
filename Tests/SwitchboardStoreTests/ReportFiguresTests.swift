import Foundation
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// Every derived figure of a report (docs/reports.md, "Derived metrics") checked against a value
/// worked out by hand, per skill group, per agent and per session type: a scripted day on a
/// store whose clock the test holds, read as the report API reads it.
///
/// The script, in seconds after the start (sales takes calls with 30 s of wrap-up, alice and
/// carol answer them; support takes chats without wrap-up, bob answers them):
///
/// | t | what happens |
/// |---|---|
/// | 0 | call P1 rings at alice (carol is offline) |
/// | 4 | P1's caller hangs up while it rings: an abandon after 4 s, short under 5 |
/// | 10 | call P2 rings at alice |
/// | 30 | the offer rings out: alice misses it, is put in notReady and passed over for P2 |
/// | 40 | carol comes online: P2 rings at her; 45 she accepts it (waited 35 s) |
/// | 65–80 | P2 on hold (15 s) |
/// | 105 | carol ends P2 (held 60 s: 45 talk, 15 hold), wrap-up until 135 |
/// | 140 | carol notReady (for the rest of the day), alice free |
/// | 200 | call P3 rings at alice; 206 she accepts it (waited 6 s) |
/// | 266 | alice ends P3 (60 s talk), wrap-up until 296 |
/// | 300 | alice rests (lunch) |
/// | 400 | call P4 waits; 420 its caller hangs up (abandoned in queue after 20 s) |
/// | 500 | alice notReady; 560 rests (training); 600 free |
/// | 1000 | chat C1 rings at bob; 1003 he accepts (waited 3 s); 3 messages; 1063 ends |
/// | 1100 | chat C2 rings at bob; 1110 he accepts (waited 10 s); 2 messages; 1150 ends |
/// | 1160 | bob rests (lunch); 1190 free |
/// | 1200 | the report is asked for |
@Suite struct ReportFiguresTests {
    @Test(arguments: StoreBackend.all)
    func everyFigureOfAScriptedDayIsTheHandWorkedOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let start = try await Self.script(store)
            let day = start - start % 86_400_000
            let range = "interval=day&from=\(day)&to=\(day + 86_400_000)"
            let now = start + 1_200_000
            func report(_ dimension: ReportDimension, _ query: String) async throws -> [String: [String: Any]] {
                let body = try await HistoricalReports.body(dimension, query: "\(range)&\(query)", store: store, now: now)
                let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                let totals = try #require(json["totals"] as? [[String: Any]])
                let rows = try #require(json["rows"] as? [[String: Any]])
                // One day: each subject's only row is its total.
                #expect(rows.count == totals.count)
                return Dictionary(uniqueKeysWithValues: totals.map { ($0["subject"] as? String ?? "", $0) })
            }

            // Per group, sales with its own service-level wait (45 s) and support with the
            // report's (5 s).
            let groups = try await report(.skillGroup, "serviceLevelSeconds=5&serviceLevelByGroup=sales:45")
            Self.expect(try #require(groups["sales"]), [
                "offered": 4, "accepted": 2, "abandonedInQueue": 1, "abandonedWhileRinging": 0, "shortAbandons": 1,
                "missedOffers": 1, "handled": 2, "holds": 1, "serviceLevelSeconds": 45,
                // P2 (35 s) and P3 (6 s) within 45 s, of 2 accepted + P4 abandoned; P1 was short.
                "serviceLevel": 66.67,
                // P4 of the 3 contacts that were not short abandons.
                "abandonmentRate": 33.33,
                "averageWaitSeconds": 20.5, "maxWaitSeconds": 35,
                // P4's 20 s and P1's 4 s: short abandons count in the abandon wait.
                "averageAbandonWaitSeconds": 12,
                "averageTalkSeconds": 52.5, "averageHoldSeconds": 7.5, "averageWrapUpSeconds": 30,
                // (105 talk + 15 hold + 60 wrap-up) ÷ 2.
                "averageHandleSeconds": 90,
                "imSessionsEnded": 0, "messages": 0, "messagesPerImSession": nil,
            ])
            Self.expect(try #require(groups["support"]), [
                "offered": 2, "accepted": 2, "abandonedInQueue": 0, "shortAbandons": 0, "missedOffers": 0, "handled": 2,
                "serviceLevelSeconds": 5, "serviceLevel": 50, "abandonmentRate": 0,
                "averageWaitSeconds": 6.5, "maxWaitSeconds": 10, "averageAbandonWaitSeconds": nil,
                "averageTalkSeconds": 50, "averageHoldSeconds": 0, "holds": 0, "averageWrapUpSeconds": nil, "averageHandleSeconds": 50,
                "imSessionsEnded": 2, "messages": 5, "messagesPerImSession": 2.5,
            ])

            // A short-abandon threshold of 3 s makes P1's 4 s a real abandon while ringing.
            let strict = try await report(.skillGroup, "shortAbandonSeconds=3")
            Self.expect(try #require(strict["sales"]), [
                "abandonedWhileRinging": 1, "shortAbandons": 0, "serviceLevelSeconds": 20,
                // P3 within 20 s, of 2 accepted + 2 abandoned.
                "serviceLevel": 25, "abandonmentRate": 50, "averageAbandonWaitSeconds": 12,
            ])

            // Per agent: what each did, and its time in each status up to now.
            let agents = try await report(.agent, "")
            Self.expect(try #require(agents["alice"]), [
                "accepted": 1, "offersRung": 3, "missedOffers": 1, "handled": 1, "holds": 0,
                "averageWaitSeconds": 6, "maxWaitSeconds": 6, "averageTalkSeconds": 60, "averageHoldSeconds": 0,
                "averageWrapUpSeconds": 30, "averageHandleSeconds": 90,
                // busy 60 + arrange 30 of free 700 + busy + arrange.
                "occupancy": 11.39,
                // of every online second: 1,200.
                "utilisation": 7.5,
            ])
            #expect(agents["alice"]?["statusSeconds"] as? [String: Double] == [
                "free": 700, "notReady": 170, "busy": 60, "arrange": 30, "rest": 240,
            ], "\(agents["alice"] ?? [:])")
            #expect(agents["alice"]?["restReasonSeconds"] as? [String: Double] == ["lunch": 200, "training": 40])
            Self.expect(try #require(agents["carol"]), [
                "accepted": 1, "offersRung": 1, "missedOffers": 0, "handled": 1, "holds": 1,
                "averageWaitSeconds": 35, "maxWaitSeconds": 35, "averageTalkSeconds": 45, "averageHoldSeconds": 15,
                "averageWrapUpSeconds": 30, "averageHandleSeconds": 90,
                // busy 60 + arrange 30 of free 10 + busy + arrange; of 1,160 online (from t=40).
                "occupancy": 90, "utilisation": 7.76,
            ])
            #expect(agents["carol"]?["statusSeconds"] as? [String: Double] == [
                "free": 10, "notReady": 1060, "busy": 60, "arrange": 30,
            ], "\(agents["carol"] ?? [:])")
            Self.expect(try #require(agents["bob"]), [
                "accepted": 2, "offersRung": 2, "missedOffers": 0, "handled": 2, "averageWaitSeconds": 6.5, "maxWaitSeconds": 10,
                "averageTalkSeconds": 50, "averageWrapUpSeconds": nil, "averageHandleSeconds": 50,
                "imSessionsEnded": 2, "messages": 5, "messagesPerImSession": 2.5,
                // busy 100 of free 1,070 + busy; of 1,200 online.
                "occupancy": 8.55, "utilisation": 8.33,
            ])
            #expect(agents["bob"]?["statusSeconds"] as? [String: Double] == ["free": 1070, "busy": 100, "rest": 30], "\(agents["bob"] ?? [:])")
            #expect(agents["bob"]?["restReasonSeconds"] as? [String: Double] == ["lunch": 30])

            // Per session type: the calls are sales's contacts, the chats support's; the
            // report's one service-level wait applies to both.
            let types = try await report(.sessionType, "serviceLevelSeconds=10")
            Self.expect(try #require(types["phone"]), [
                "offered": 4, "accepted": 2, "abandonedInQueue": 1, "shortAbandons": 1, "missedOffers": 1,
                "serviceLevel": 33.33, "abandonmentRate": 33.33, "averageWaitSeconds": 20.5, "maxWaitSeconds": 35,
                "averageHandleSeconds": 90, "messagesPerImSession": nil,
            ])
            Self.expect(try #require(types["im"]), [
                "offered": 2, "accepted": 2, "serviceLevel": 100, "averageWaitSeconds": 6.5, "maxWaitSeconds": 10,
                "averageHandleSeconds": 50, "imSessionsEnded": 2, "messagesPerImSession": 2.5,
            ])
            // Status time is the agents' only.
            Self.expect(try #require(types["phone"]), ["occupancy": nil, "utilisation": nil])
        }
    }

    /// Runs the script in the table above; returns its start in milliseconds.
    static func script(_ store: any RoutingStore) async throws -> Int64 {
        var recorder = JournalRecorder()
        let start = recorder.now
        func at(_ seconds: Int) { recorder.now = start.adding(seconds: seconds) }
        try recorder.run(.upsertSkillGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 20, wrapUpSeconds: 30)))
        try recorder.run(.upsertSkillGroup(SkillGroup(id: "support", offerTimeoutSeconds: 20)))
        try recorder.agent("alice", in: ["sales"])
        try recorder.agent("carol", in: ["sales"], online: false)
        try recorder.agent("bob", in: ["support"])

        let p1 = try recorder.create(.phone, in: "sales")
        at(4)
        try recorder.run(.customerLeft(p1))
        at(10)
        let p2 = try recorder.create(.phone, in: "sales")
        at(30)
        try recorder.run(.tick)
        at(40)
        try recorder.run(.online("carol"))
        at(45)
        try recorder.run(.accept("carol", p2))
        try await store.append(recorder.take())
        try await store.recordHold(p2, agent: "carol", at: start.adding(seconds: 65), on: true)
        try await store.recordHold(p2, agent: "carol", at: start.adding(seconds: 80), on: false)
        at(105)
        try recorder.run(.end("carol", p2))
        at(135)
        try recorder.run(.tick)
        at(140)
        try recorder.run(.setStatus("carol", status: "notReady", restReason: nil))
        try recorder.run(.setStatus("alice", status: "free", restReason: nil))
        at(200)
        let p3 = try recorder.create(.phone, in: "sales")
        at(206)
        try recorder.run(.accept("alice", p3))
        at(266)
        try recorder.run(.end("alice", p3))
        at(296)
        try recorder.run(.tick)
        at(300)
        try recorder.run(.setStatus("alice", status: "rest", restReason: "lunch"))
        at(400)
        let p4 = try recorder.create(.phone, in: "sales")
        at(420)
        try recorder.run(.customerLeft(p4))
        at(500)
        try recorder.run(.setStatus("alice", status: "notReady", restReason: nil))
        at(560)
        try recorder.run(.setStatus("alice", status: "rest", restReason: "training"))
        at(600)
        try recorder.run(.setStatus("alice", status: "free", restReason: nil))
        try await store.append(recorder.take())

        for (opened, accepted, ended, messages) in [(1000, 1003, 1063, 3), (1100, 1110, 1150, 2)] {
            at(opened)
            let chat = try recorder.create(.im, in: "support")
            at(accepted)
            try recorder.run(.accept("bob", chat))
            try await store.append(recorder.take())
            for index in 0..<messages {
                _ = try await store.appendMessage(NewMessage(
                    sessionId: chat, author: index % 2 == 0 ? .customer : .agent, agentId: index % 2 == 0 ? nil : "bob",
                    text: "message \(index)", sentAt: start.adding(seconds: accepted + 1 + index)))
            }
            at(ended)
            try recorder.run(.end("bob", chat))
            try await store.append(recorder.take())
        }
        at(1160)
        try recorder.run(.setStatus("bob", status: "rest", restReason: "lunch"))
        at(1190)
        try recorder.run(.setStatus("bob", status: "free", restReason: nil))
        try await store.append(recorder.take())
        return start.milliseconds
    }

    /// Each named figure of `row` is the expected number, or null where nil is expected.
    static func expect(_ row: [String: Any], _ expected: KeyValuePairs<String, Double?>, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, value) in expected {
            guard let found = row[name] else {
                Issue.record("\(row["subject"] ?? "?"): no '\(name)' in \(row)", sourceLocation: sourceLocation)
                continue
            }
            let number = (found as? NSNumber)?.doubleValue
            if let value {
                #expect(number == value, "\(row["subject"] ?? "?").\(name) is \(found), not \(value)", sourceLocation: sourceLocation)
            } else {
                #expect(found is NSNull, "\(row["subject"] ?? "?").\(name) is \(found), not null", sourceLocation: sourceLocation)
            }
        }
    }
}
