import SwitchboardCore
import SwitchboardStore
import Testing

/// What a journal entry is once stored: the events are not kept.
struct StoredEntry: Equatable {
    var sequence: Int64
    var time: Timestamp
    var command: RoutingCommand
    var rulesVersion: Int

    init(_ entry: JournalEntry) {
        sequence = entry.sequence
        time = entry.time
        command = entry.command
        rulesVersion = entry.rulesVersion
    }
}

/// The routing journal and snapshots: what a restarting server rebuilds its core from.
@Suite struct JournalContractTests {
    @Test(arguments: StoreBackend.all)
    func aNewStoreLoadsNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let state = try await store.loadRoutingState()
            #expect(state.snapshot == nil)
            #expect(state.snapshotSequence == 0)
            #expect(state.journal.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func appendedEntriesLoadBackAndReplayToTheSameState(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            try await store.append(recorder.take())
            let session = try recorder.create(in: "sales")
            #expect(recorder.ringing(session) == "alice")
            try recorder.run(.accept("alice", session))
            recorder.now = recorder.now.adding(seconds: 30)
            try recorder.run(.end("alice", session))
            let second = recorder.take()
            try await store.append(second)

            let state = try await store.loadRoutingState()
            #expect(state.snapshot == nil)
            #expect(state.journal.map(\.sequence) == Array(1...recorder.lastSequence))
            #expect(state.journal.allSatisfy { $0.events.isEmpty })
            #expect(state.journal.suffix(second.count).map(StoredEntry.init) == second.map(StoredEntry.init))

            let replayed = try replay(state.journal, onto: RoutingStateMachine(now: JournalRecorder.start))
            #expect(replayed.snapshot == recorder.machine.snapshot)
        }
    }

    @Test(arguments: StoreBackend.all)
    func eachEntryKeepsTheRoutingRulesItWasDecidedBy(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            var entries = recorder.take()
            entries[0].rulesVersion = 1
            try await store.append(entries)
            let loaded = try await store.loadRoutingState().journal
            #expect(loaded.map(\.rulesVersion) == [1] + Array(repeating: RoutingStateMachine.rulesVersion, count: entries.count - 1))
        }
    }

    @Test(arguments: StoreBackend.all)
    func aSnapshotPrunesTheJournalAndLoadsWithTheEntriesAfterIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            let first = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            let snapshot = recorder.machine.snapshot
            let through = recorder.lastSequence
            try await store.saveSnapshot(snapshot, throughSequence: through)

            try recorder.run(.accept("alice", first))
            _ = try recorder.create(in: "sales")
            try recorder.advance(seconds: 5)
            let later = recorder.take()
            try await store.append(later)

            let state = try await store.loadRoutingState()
            #expect(state.snapshot == snapshot)
            #expect(state.snapshotSequence == through)
            #expect(state.journal.map(StoredEntry.init) == later.map(StoredEntry.init))
            let rebuilt = try replay(state.journal, onto: RoutingStateMachine(snapshot: try #require(state.snapshot)))
            #expect(rebuilt.snapshot == recorder.machine.snapshot)

            // A newer snapshot replaces the older one and prunes what it covers.
            try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: recorder.lastSequence)
            let newer = try await store.loadRoutingState()
            #expect(newer.snapshotSequence == recorder.lastSequence)
            #expect(newer.snapshot == recorder.machine.snapshot)
            #expect(newer.journal.isEmpty)

            // Sequence numbers go on after the pruned entries.
            try recorder.advance(seconds: 1)
            try await store.append(recorder.take())
            #expect(try await store.loadRoutingState().journal.map(\.sequence) == [recorder.lastSequence])
        }
    }

    @Test(arguments: StoreBackend.all)
    func aSnapshotThatDoesNotFitTheJournalIsRefused(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.group("support")
            try await store.append(recorder.take())
            let error = await #expect(throws: StoreError.self) {
                try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: 3)
            }
            #expect(error?.code == .invalidSnapshot)
            try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: 2)
            let older = await #expect(throws: StoreError.self) {
                try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: 1)
            }
            #expect(older?.code == .invalidSnapshot)
            #expect(try await store.loadRoutingState().snapshotSequence == 2)
        }
    }

    @Test(arguments: StoreBackend.all)
    func entriesThatDoNotFollowTheLastOneAreRefusedAndNothingIsWritten(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.group("support")
            try recorder.group("billing")
            var entries = recorder.take()

            // A new store starts at 1.
            let notFirst = await #expect(throws: StoreError.self) { try await store.append(Array(entries[1...])) }
            #expect(notFirst?.code == .sequenceGap)
            #expect(try await store.loadRoutingState().journal.isEmpty)

            try await store.append(Array(entries[..<2]))
            // A repeat, and a gap inside a batch: the whole batch is refused.
            let repeated = await #expect(throws: StoreError.self) { try await store.append([entries[1]]) }
            #expect(repeated?.code == .sequenceGap)
            entries[2].sequence = 4
            let gap = await #expect(throws: StoreError.self) { try await store.append([entries[2]]) }
            #expect(gap?.code == .sequenceGap)
            #expect(gap?.message.contains("expected 3") == true)
            #expect(try await store.loadRoutingState().journal.map(\.sequence) == [1, 2])

            try await store.append([])
            entries[2].sequence = 3
            try await store.append([entries[2]])
            #expect(try await store.loadRoutingState().journal.map(\.sequence) == [1, 2, 3])
        }
    }
}
