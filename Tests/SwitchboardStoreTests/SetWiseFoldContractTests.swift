@testable import SwitchboardCore
import SwitchboardStore
import Testing

/// The per-session fold of a set-wise commit, line by line: history built by hand (so that orders
/// the core does not produce today are covered too) must leave the same records whether it is
/// committed as one batch or one entry at a time.
@Suite struct SetWiseFoldContractTests {
    static let start = JournalRecorder.start

    /// One entry per line, each at its own second.
    static func entries(from first: Int64, _ lines: [(SessionID, SessionHistoryEntry)]) -> [JournalEntry] {
        lines.enumerated().map { index, line in
            let at = start.adding(seconds: 10 + Int(first) + index)
            return JournalEntry(sequence: first + Int64(index), time: at, command: .tick, events: [RoutingEvent(at: at, effect: .history(line.0, line.1))])
        }
    }

    static func reason() -> OfferReason {
        OfferReason(strategy: .longestIdle, skillLevel: 1, idleMilliseconds: 0, activeSessions: 0, passedOver: [])
    }

    static func created(_ priority: Int = 0) -> SessionHistoryEntry {
        .created(type: .phone, skillGroupId: "g1", priority: priority, customer: CustomerDetails(nickname: "Caller", peerSource: "pstn"))
    }

    @Test(arguments: StoreBackend.all)
    func everyKindOfLineFoldsToWhatOneByOneWrites(_ backend: StoreBackend) async throws {
        // Stored before the batch: s-accepted was accepted in an earlier commit.
        let earlier = Self.entries(from: 1, [("s-accepted", Self.created()), ("s-accepted", .accepted(agent: "a1"))])
        let batch = Self.entries(from: 3, [
            // Changed before it is created in the same batch: the change found no row.
            ("s-all", .queued(skillGroupId: "g0")),
            ("s-all", Self.created(5)),
            ("s-all", .dialled(agent: "a1", phoneNumber: "+100")),
            ("s-all", .digits("12")),
            ("s-all", .digits("34")),
            ("s-all", .queued(skillGroupId: "g2")),
            ("s-all", .offered(agent: "a2", reason: Self.reason())),
            ("s-all", .missed(agent: "a2")),
            ("s-all", .offered(agent: "a3", reason: Self.reason())),
            ("s-all", .accepted(agent: "a3")),
            ("s-all", .transferred(from: "a3", toSkillGroup: "g3", toAgent: nil)),
            ("s-all", .accepted(agent: "a4")),
            ("s-all", .overflowed(from: "g3", to: "g4")),
            ("s-all", .ended(closeBy: .client, agent: nil, mainReason: nil, subReason: nil, why: "left")),
            // Ended again: every column of the last end counts, NULLs too.
            ("s-all", .ended(closeBy: .admin, agent: "a5", mainReason: "spam", subReason: nil, why: nil)),
            // Rings, never accepted, given up: the stored row has no acceptance either.
            ("s-rang", Self.created()),
            ("s-rang", .offered(agent: "a1", reason: Self.reason())),
            ("s-rang", .ended(closeBy: .client, agent: "a1", mainReason: nil, subReason: nil, why: nil)),
            // Accepted in the earlier commit only: its end sees the stored acceptance.
            ("s-accepted", .ended(closeBy: .client, agent: nil, mainReason: nil, subReason: nil, why: nil)),
            // Created twice: the second creation changes nothing.
            ("s-twice", Self.created(1)),
            ("s-twice", Self.created(9)),
            ("s-twice", .ended(closeBy: .admin, agent: nil, mainReason: nil, subReason: "sub", why: nil, endStatus: "custom")),
        ])
        let sessions: [SessionID] = ["s-all", "s-rang", "s-accepted", "s-twice"]
        var batched: SetWiseCommitContractTests.Records?
        try await backend.withStore { store in
            try await store.append(earlier)
            try await store.append(batch)
            batched = try await SetWiseCommitContractTests.Records(store, sessions: sessions, agents: [])
        }
        var oneByOne: SetWiseCommitContractTests.Records?
        try await backend.withStore { store in
            for entry in earlier + batch { try await store.append([entry]) }
            oneByOne = try await SetWiseCommitContractTests.Records(store, sessions: sessions, agents: [])
        }
        let records = try #require(batched)
        #expect(records == oneByOne)

        let all = try #require(records.sessions[0])
        #expect(all.priority == 5 && all.direction == .outbound && all.digits == "1234")
        #expect(all.skillGroupId == "g4" && all.agentId == "a5")
        #expect(all.firstRingAt == Self.start.adding(seconds: 10 + 3 + 6), "the first offer's time")
        #expect(all.acceptedAt == Self.start.adding(seconds: 10 + 3 + 9), "the first acceptance's time")
        #expect(all.closeBy == .admin && all.mainReason == "spam" && all.subReason == nil && all.endStatus == "ok")
        #expect(all.endedAt == Self.start.adding(seconds: 10 + 3 + 14))
        #expect(records.sessions[1]?.endStatus == "ringingGiveUp" && records.sessions[1]?.agentId == "a1")
        #expect(records.sessions[2]?.endStatus == "ok")
        #expect(records.sessions[3]?.priority == 1 && records.sessions[3]?.endStatus == "custom")
        #expect(records.histories[0].count == 15, "every line is kept, the one before the creation too")
    }
}
