import SwitchboardCore
import SwitchboardStore
import Testing

/// A commit writes each table once for its whole batch (multi-row statements on PostgreSQL).
/// What that risks: a batch touching the same row several times must end as if each entry had
/// been written alone, in journal order, and a very large batch must still fit.
@Suite struct SetWiseCommitContractTests {
    /// Everything the records and reports say about some sessions and agents, for comparing stores.
    struct Records: Equatable {
        var sessions: [SessionRecord?] = []
        var histories: [[HistoryRecord]] = []
        var statuses: [[StatusRecord]] = []
        var openPeriods: [AgentStatusClock] = []
        var counts: [[ReportSlotCounts]] = []
        var statusTime: [ReportStatusTime] = []
        var messages: [[String]] = []

        init(_ store: any RoutingStore, sessions: [SessionID], agents: [AgentID]) async throws {
            for session in sessions {
                self.sessions.append(try await store.session(session))
                histories.append(try await store.history(of: session))
                messages.append(try await store.messages(of: session, query: MessagePageQuery()).map(\.text))
            }
            for agent in agents { statuses.append(try await store.statusHistory(of: agent, limit: 100)) }
            openPeriods = try await store.openStatusPeriods()
            let from = Timestamp(milliseconds: ReportInterval.milliseconds * (JournalRecorder.start.milliseconds / ReportInterval.milliseconds))
            let to = Timestamp(milliseconds: from.milliseconds + 86_400_000)
            let day = ReportSlots(offset: 0, length: 86_400_000)
            for dimension in [ReportDimension.skillGroup, .agent, .sessionType] {
                counts.append(try await store.reportCounts(dimension, from: from, to: to, slots: day))
            }
            statusTime = try await store.reportStatusTime(from: from, to: to, slots: day)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aBatchChangingOneSessionAndAgentManyTimesEndsWithTheLastState(_ backend: StoreBackend) async throws {
        var recorder = JournalRecorder()
        try recorder.run(.upsertSkillGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 20, wrapUpSeconds: 10)))
        try recorder.group("support")
        // The same agent's profile twice in the batch: the second one counts.
        try recorder.agent("alice", in: ["sales"])
        try recorder.run(.upsertAgent(AgentProfile(id: "alice", name: "Alice Second", memberships: ["sales": Membership(skillLevel: 3)])))
        try recorder.agent("bob", in: ["sales"], online: false)
        try recorder.agent("carol", in: ["support"])
        let createdAt = recorder.now
        let session = try recorder.create(.phone, in: "sales")  // rings at alice
        try recorder.advance(seconds: 25)  // alice misses it; nobody else free in sales: back to queue
        try recorder.run(.online("bob"))  // rings at bob
        recorder.now = recorder.now.adding(seconds: 2)
        try recorder.run(.accept("bob", session))
        let acceptedAt = recorder.now
        recorder.now = recorder.now.adding(seconds: 30)
        try recorder.run(.transfer("bob", session, skillGroupId: "support", userId: nil))  // rings at carol
        recorder.now = recorder.now.adding(seconds: 3)
        try recorder.run(.accept("carol", session))
        recorder.now = recorder.now.adding(seconds: 40)
        try recorder.run(.end("carol", session))
        // A second session that rings and is given up, and alice's status changed again and again.
        let givenUp = try recorder.create(in: "support")
        try recorder.run(.setStatus("alice", status: "free", restReason: nil))  // missing the offer made her notReady
        try recorder.run(.setStatus("alice", status: "notReady", restReason: "lunch"))
        try recorder.run(.setStatus("alice", status: "free", restReason: nil))
        try recorder.run(.setStatus("alice", status: "notReady", restReason: "break"))
        try recorder.advance(seconds: 15)  // wrap-ups end
        try recorder.run(.customerLeft(givenUp))
        let entries = recorder.take()
        let messages = [
            NewMessage(sessionId: session, author: .customer, text: "first", sentAt: createdAt, journalSequence: entries[entries.count - 3].sequence),
            NewMessage(sessionId: givenUp, author: .customer, text: "second", sentAt: recorder.now, journalSequence: entries.last?.sequence),
        ]
        #expect(entries.count > 15)
        let sessions = [session, givenUp]
        let agents: [AgentID] = ["alice", "bob", "carol"]

        // One store takes the batch in one commit, another one entry per commit.
        var batched: Records?
        try await backend.withStore { store in
            _ = try await store.commit(entries, messages: messages)
            batched = try await Records(store, sessions: sessions, agents: agents)
        }
        var oneByOne: Records?
        try await backend.withStore { store in
            for entry in entries {
                _ = try await store.commit([entry], messages: messages.filter { $0.journalSequence == entry.sequence })
            }
            oneByOne = try await Records(store, sessions: sessions, agents: agents)
        }
        let records = try #require(batched)
        #expect(records == oneByOne)

        let record = try #require(records.sessions[0])
        #expect(record.firstRingAt == createdAt, "the first ring is kept")
        #expect(record.acceptedAt == acceptedAt, "the first acceptance is kept")
        #expect(record.agentId == "carol" && record.skillGroupId == "support", "the last agent and group win")
        #expect(record.endStatus == "ok" && record.closeBy == .seat)
        #expect(records.sessions[1]?.endStatus == "ringingGiveUp")
        #expect(records.histories[0].count > 8)
        // Alice's status changed many times in the batch; what is stored is the core's last change.
        let changes = recorder.events.compactMap { event -> StatusChange? in
            if case .agent("alice", .statusChanged(let change)) = event.effect { change } else { nil }
        }
        #expect(changes.count >= 5)
        let last = try #require(changes.last)
        #expect(records.openPeriods.first { $0.agent == "alice" }.map { [$0.status, $0.restReason] } == [last.status.rawValue, last.restReason])
        #expect(records.statuses[0].first.map { [$0.status.rawValue, $0.restReason] } == [last.status.rawValue, last.restReason], "newest first")
        #expect(records.statuses[0].count == changes.count)
        #expect(records.messages == [["first"], ["second"]])
    }

    @Test(arguments: StoreBackend.all)
    func aBatchOfThousandsOfEntriesCommitsWhole(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try await store.append(recorder.take())
            // Nobody online: every session queues, then an admin ends it. Past PostgreSQL's
            // 65,535 parameters a statement for the history lines and the session updates.
            var sessions: [SessionID] = []
            for number in 0..<4_000 {
                sessions.append(try recorder.create(in: "sales", nickname: "Visitor \(number)"))
                try recorder.run(.adminEnd(sessions[number], mainReason: "closed \(number)", subReason: nil))
            }
            let batch = recorder.take()
            #expect(batch.count == 8_000)
            try await store.append(batch)

            let state = try await store.loadRoutingState()
            #expect(state.journal.count == 8_001 && state.journal.last?.sequence == batch.last?.sequence)
            for index in [0, 1_999, 3_999] {
                let record = try #require(try await store.session(sessions[index]))
                #expect(record.customer.nickname == "Visitor \(index)")
                #expect(record.endStatus == "adminEnded" && record.mainReason == "closed \(index)")
                #expect(try await store.history(of: sessions[index]).map(\.kind) == ["created", "queued", "ended"])
            }
            var query = SessionListQuery()
            query.limit = 500
            query.oldestFirst = true
            query.offset = 3_500
            #expect(try await store.sessions(query).map(\.id) == Array(sessions[3_500...]), "created in journal order")
            let from = Timestamp(milliseconds: ReportInterval.milliseconds * (JournalRecorder.start.milliseconds / ReportInterval.milliseconds))
            let counts = try await store.reportCounts(.skillGroup, from: from, to: Timestamp(milliseconds: from.milliseconds + 86_400_000), slots: ReportSlots(offset: 0, length: 86_400_000))
            #expect(counts.first?.counts[.offered] == 4_000)
        }
    }
}
