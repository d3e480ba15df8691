import SwitchboardCore
import SwitchboardStore
import Testing

/// The report aggregates the store keeps as records land, checked against what the definitions
/// in docs/reports.md say and against a recomputation from the records.
@Suite struct ReportContractTests {
    static let quarterHours = ReportSlots(offset: 0, length: ReportInterval.milliseconds)

    @Test(arguments: StoreBackend.all)
    func aContactAnsweredAfterAWaitCountsItsClocks(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales", offerTimeout: 20)
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 20, wrapUpSeconds: 30)))
            try recorder.agent("alice", in: ["sales"], online: false)
            let session = try recorder.create(.phone, in: "sales")  // nobody online: it waits
            recorder.now = recorder.now.adding(seconds: 12)
            try recorder.run(.online("alice"))  // rings at alice
            recorder.now = recorder.now.adding(seconds: 3)
            try recorder.run(.accept("alice", session))  // answered after 15 s
            try await store.append(recorder.take())
            recorder.now = recorder.now.adding(seconds: 40)
            #expect(try await store.session(session)?.holdMilliseconds == 0, "handled, never held yet")
            try await store.recordHold(session, agent: "alice", at: recorder.now, on: true)
            recorder.now = recorder.now.adding(seconds: 20)
            try await store.recordHold(session, agent: "alice", at: recorder.now, on: false)
            #expect(try await store.session(session)?.holdMilliseconds == 20_000, "the record's hold time as the hold ends")
            recorder.now = recorder.now.adding(seconds: 30)
            try recorder.run(.end("alice", session))  // 90 s held, 20 s of it on hold
            try recorder.advance(seconds: 30)  // wrap-up ends
            try await store.append(recorder.take())

            let day = ReportSlots(offset: 0, length: 86_400_000)
            let from = Timestamp(milliseconds: ReportInterval.milliseconds * (JournalRecorder.start.milliseconds / ReportInterval.milliseconds))
            let to = Timestamp(milliseconds: from.milliseconds + 86_400_000)
            let group = try #require(try await store.reportCounts(.skillGroup, from: from, to: to, slots: day).first { $0.subject == "sales" }).counts
            #expect(group[.offered] == 1)
            #expect(group[.accepted] == 1)
            #expect(group[.answerWaitMilliseconds] == 15_000)
            #expect(group.answered(within: 15) == 1 && group.answered(within: 10) == 0)
            #expect(group[.handled] == 1)
            #expect(group[.talkMilliseconds] == 70_000)
            #expect(group[.holdMilliseconds] == 20_000 && group[.holds] == 1)
            #expect(group[.wrapUpMilliseconds] == 30_000 && group[.wrapUps] == 1)
            let agent = try #require(try await store.reportCounts(.agent, from: from, to: to, slots: day).first { $0.subject == "alice" }).counts
            #expect(agent[.accepted] == 1 && agent[.offersRung] == 1 && agent[.wrapUpMilliseconds] == 30_000)
            let type = try #require(try await store.reportCounts(.sessionType, from: from, to: to, slots: day).first).counts
            #expect(type == group)
            let status = try await store.reportStatusTime(from: from, to: to, slots: day).filter { $0.agent == "alice" }
            #expect(status.first { $0.status == "busy" }?.milliseconds == 90_000)
            #expect(status.first { $0.status == "arrange" }?.milliseconds == 30_000)
            #expect(status.first { $0.status == "free" }?.milliseconds == 3_000)
            #expect(try await store.openStatusPeriods().first { $0.agent == "alice" }?.status == "free")
            #expect(try await store.session(session)?.holdMilliseconds == 20_000)
            // Recomputed from the history, the record's hold time is the same.
            _ = try await store.rebuildReports()
            #expect(try await store.session(session)?.holdMilliseconds == 20_000)
        }
    }

    @Test(arguments: StoreBackend.all)
    func abandonsTransfersAndOverflowsCountForTheRightQueue(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("billing")
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "sales", queueTimeoutSeconds: 60, overflowGroupId: "billing")))
            try recorder.agent("alice", in: ["sales"])
            try recorder.agent("bob", in: ["billing"], online: false)
            let short = try recorder.create(in: "sales")  // rings at alice
            recorder.now = recorder.now.adding(seconds: 2)
            try recorder.run(.customerLeft(short))  // a short abandon while ringing
            try recorder.run(.setStatus("alice", status: "notReady", restReason: nil))
            let overflowing = try recorder.create(in: "sales")
            try recorder.advance(seconds: 61)  // overflows into billing at its deadline, 60 s
            recorder.now = recorder.now.adding(seconds: 9)
            try recorder.run(.customerLeft(overflowing))  // abandoned in billing's queue after 10 s
            try recorder.run(.setStatus("alice", status: "free", restReason: nil))
            let transferred = try recorder.create(in: "sales")
            try recorder.run(.accept("alice", transferred))
            try recorder.run(.online("bob"))
            try recorder.run(.transfer("alice", transferred, skillGroupId: "billing", userId: nil))
            try recorder.run(.accept("bob", transferred))
            try recorder.run(.end("bob", transferred))
            try await store.append(recorder.take())

            let from = Timestamp(milliseconds: 0)
            let to = Timestamp(milliseconds: ReportInterval.milliseconds * 10_000_000)
            let everything = ReportSlots(offset: 0, length: to.milliseconds)
            let groups = Dictionary(uniqueKeysWithValues: try await store.reportCounts(.skillGroup, from: from, to: to, slots: everything).map { ($0.subject, $0.counts) })
            let sales = try #require(groups["sales"])
            let billing = try #require(groups["billing"])
            #expect(sales[.offered] == 3 && sales[.overflowedOut] == 1 && sales[.transferredOut] == 1 && sales[.accepted] == 1)
            #expect(sales[.abandonedRinging] == 1 && sales.abandoned(ringing: true, within: 3) == 1 && sales.abandoned(ringing: true, within: 5) == 1)
            #expect(billing[.offered] == 2 && billing[.overflowedIn] == 1 && billing[.transferredIn] == 1)
            #expect(billing[.abandonedInQueue] == 1 && billing[.abandonedInQueueWaitMilliseconds] == 10_000)
            // Short means under the threshold: 10 s is not short at 10, and is at 15.
            #expect(billing.abandoned(ringing: false, within: 10) == 0 && billing.abandoned(ringing: false, within: 15) == 1)
            #expect(billing[.accepted] == 1 && billing[.handled] == 1 && sales[.handled] == 1)
        }
    }

    /// Random traffic (queues, overflows, transfers, misses, abandons, holds, chats with messages,
    /// status changes) projected as it lands, then rebuilt from the records: the two agree.
    @Test(arguments: StoreBackend.all)
    func theKeptAggregatesEqualARecomputationAfterRandomTraffic(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var random = SeededRandom(seed: 17)
            var recorder = JournalRecorder()
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "overflow", offerTimeoutSeconds: 15, wrapUpSeconds: 5)))
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 10, queueTimeoutSeconds: 90, overflowGroupId: "overflow", wrapUpSeconds: 10)))
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "chat", offerTimeoutSeconds: 10, queueTimeoutSeconds: 120)))
            let agents: [AgentID] = ["a1", "a2", "a3", "a4"]
            try recorder.agent("a1", in: ["sales", "chat"])
            try recorder.agent("a2", in: ["sales", "overflow"])
            try recorder.agent("a3", in: ["chat", "overflow"])
            try recorder.agent("a4", in: ["sales", "chat", "overflow"])
            var messages: [NewMessage] = []
            var holdsRecorded = 0
            for _ in 0..<600 {
                let live = recorder.machine.sessions.values.sorted { $0.id.rawValue < $1.id.rawValue }
                switch random.next(14) {
                case 0, 1, 2:
                    // Calls to sales, chats to chat (now and then a chat to sales too).
                    let group: SkillGroupID = random.next(2) == 0 ? "sales" : "chat"
                    _ = try? recorder.create(group == "sales" && random.next(5) > 0 ? .phone : .im, in: group)
                case 3, 4:
                    if let session = live.filter({ if case .ringing = $0.state { true } else { false } }).randomElement(using: &random),
                       let agent = session.ringingAgents.first {
                        try? recorder.run(.accept(agent, session.id))
                    }
                case 5:
                    if let session = live.randomElement(using: &random) { try? recorder.run(.customerLeft(session.id)) }
                case 6, 7:
                    if let session = live.first(where: { if case .accepted = $0.state { true } else { false } }), let agent = session.state.agent {
                        try? recorder.run(.end(agent, session.id))
                    }
                case 8:
                    if let session = live.filter({ if case .accepted = $0.state { true } else { false } }).randomElement(using: &random),
                       let agent = session.state.agent {
                        try? recorder.run(.transfer(agent, session.id, skillGroupId: ["sales", "overflow", "chat"][random.next(3)], userId: nil))
                    }
                case 9:
                    let agent = agents[random.next(agents.count)]
                    try? recorder.run(.setStatus(agent, status: ["free", "rest", "notReady", "arrange"][random.next(4)], restReason: "lunch"))
                case 10:
                    if let session = live.filter({ $0.type == .im && $0.state.agent != nil }).randomElement(using: &random) {
                        messages.append(NewMessage(sessionId: session.id, author: .customer, agentId: nil, text: "hello", sentAt: recorder.now))
                    }
                case 11:
                    if let session = live.filter({ if case .accepted = $0.state { $0.type == .phone } else { false } }).randomElement(using: &random),
                       let agent = session.state.agent {
                        try await store.commit(recorder.take(), messages: messages)
                        messages = []
                        try await store.recordHold(session.id, agent: agent, at: recorder.now, on: true)
                        holdsRecorded += 1
                        // Some holds end with the call, not with an unhold.
                        if random.next(3) > 0 {
                            recorder.now = recorder.now.adding(seconds: 1 + random.next(20))
                            try await store.recordHold(session.id, agent: agent, at: recorder.now, on: false)
                        }
                    }
                default:
                    try recorder.advance(seconds: 1 + random.next(40))
                }
                if random.next(4) == 0 {
                    try await store.commit(recorder.take(), messages: messages)
                    messages = []
                }
            }
            try await store.commit(recorder.take(), messages: messages)

            let kept = try await Self.everything(in: store)
            #expect(kept.counts.count > 20)
            #expect(kept.counts.contains { $0.counts[.holds] > 0 }, "holds recorded: \(holdsRecorded)")
            #expect(kept.counts.contains { $0.counts[.messages] > 0 })
            #expect(kept.counts.contains { $0.counts[.overflowedOut] > 0 })
            #expect(kept.counts.contains { $0.counts[.wrapUps] > 0 })
            let summary = try await store.rebuildReports()
            #expect(summary.sessions > 50)
            let rebuilt = try await Self.everything(in: store)
            #expect(rebuilt.counts == kept.counts)
            #expect(rebuilt.status == kept.status)
            #expect(rebuilt.open == kept.open)
            // The running clocks were rebuilt too: traffic after the rebuild keeps agreeing.
            for agent in agents { try? recorder.run(.setStatus(agent, status: "free", restReason: nil)) }
            try recorder.advance(seconds: 600)
            try await store.commit(recorder.take(), messages: [])
            let continued = try await Self.everything(in: store)
            _ = try await store.rebuildReports()
            #expect(try await Self.everything(in: store) == continued)
        }
    }

    struct Everything: Equatable {
        var counts: [ReportSlotCounts]
        var status: [ReportStatusTime]
        var open: [AgentStatusClock]
        /// The same read per hour and per day, which the hourly roll-ups serve.
        var hourCounts: [ReportSlotCounts]
        var hourStatus: [ReportStatusTime]
        var dayCounts: [ReportSlotCounts]
    }

    static let hours = ReportSlots(offset: 0, length: 3_600_000)
    static let days = ReportSlots(offset: -3 * 3_600_000, length: 86_400_000)

    static func everything(in store: any RoutingStore) async throws -> Everything {
        let from = Timestamp(milliseconds: 0)
        let to = Timestamp(milliseconds: ReportInterval.milliseconds * 10_000_000)
        var counts: [ReportSlotCounts] = []
        var hourCounts: [ReportSlotCounts] = []
        var dayCounts: [ReportSlotCounts] = []
        for dimension in ReportDimension.allCases {
            let quarters = try await store.reportCounts(dimension, from: from, to: to, slots: quarterHours)
            let hourly = try await store.reportCounts(dimension, from: from, to: to, slots: hours)
            let daily = try await store.reportCounts(dimension, from: from, to: to, slots: days)
            // The hour roll-ups hold exactly the 15-minute rows summed per hour.
            #expect(hourly == rolledUp(quarters, to: hours))
            #expect(daily == rolledUp(quarters, to: days))
            counts += quarters
            hourCounts += hourly
            dayCounts += daily
        }
        let status = try await store.reportStatusTime(from: from, to: to, slots: quarterHours)
        let hourStatus = try await store.reportStatusTime(from: from, to: to, slots: hours)
        #expect(hourStatus == rolledUp(status, to: hours))
        return Everything(
            counts: counts, status: status, open: try await store.openStatusPeriods(),
            hourCounts: hourCounts, hourStatus: hourStatus, dayCounts: dayCounts)
    }

    /// One dimension's 15-minute rows summed into `slots`, in the store's order (slot, subject).
    static func rolledUp(_ rows: [ReportSlotCounts], to slots: ReportSlots) -> [ReportSlotCounts] {
        var grouped: [Int64: [String: ReportCounts]] = [:]
        for row in rows {
            grouped[slotStart(of: row.slotStart, in: slots), default: [:]][row.subject, default: ReportCounts()].add(row.counts)
        }
        return grouped.keys.sorted().flatMap { slot in
            grouped[slot]!.keys.sorted().map { ReportSlotCounts(slotStart: slot, subject: $0, counts: grouped[slot]![$0]!) }
        }
    }

    static func rolledUp(_ rows: [ReportStatusTime], to slots: ReportSlots) -> [ReportStatusTime] {
        var grouped: [Int64: [String: [String: [String: Int64]]]] = [:]
        for row in rows {
            grouped[slotStart(of: row.slotStart, in: slots), default: [:]][row.agent, default: [:]][row.status, default: [:]][row.restReason ?? "", default: 0] += row.milliseconds
        }
        var result: [ReportStatusTime] = []
        for slot in grouped.keys.sorted() {
            for agent in grouped[slot]!.keys.sorted() {
                for status in grouped[slot]![agent]!.keys.sorted() {
                    for reason in grouped[slot]![agent]![status]!.keys.sorted() {
                        result.append(ReportStatusTime(
                            slotStart: slot, agent: agent, status: status, restReason: reason.isEmpty ? nil : reason,
                            milliseconds: grouped[slot]![agent]![status]![reason]!))
                    }
                }
            }
        }
        return result
    }

    static func slotStart(of time: Int64, in slots: ReportSlots) -> Int64 {
        let shifted = time + slots.offset
        return (shifted - ((shifted % slots.length) + slots.length) % slots.length) - slots.offset
    }

    @Test(arguments: StoreBackend.all)
    func aRangeOffTheQuarterHourIsRefused(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            await #expect(throws: StoreError.self) {
                try await store.reportCounts(.agent, from: Timestamp(milliseconds: 1000), to: Timestamp(milliseconds: 900_000), slots: Self.quarterHours)
            }
            await #expect(throws: StoreError.self) {
                try await store.reportCounts(.agent, from: Timestamp(milliseconds: 900_000), to: Timestamp(milliseconds: 900_000), slots: Self.quarterHours)
            }
        }
    }

    @Test func theCounterColumnsAreTheMigratedOnes() {
        #expect(ReportCounts.columnNames == ReportSchema.counterColumns)
        #expect(ReportCounts.maximumColumnNames == ReportSchema.maximumCounterColumns, "the hour roll-ups' migration takes these maxima")
    }
}

/// A small deterministic generator (SplitMix64), so a failing run can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
