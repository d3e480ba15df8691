import SwitchboardCore
import SwitchboardStore
import Testing

/// What was committed survives closing and reopening; what failed leaves no trace.
@Suite struct DurabilityContractTests {
    @Test(arguments: StoreBackend.all)
    func reopeningTheStoreSeesEverythingCommitted(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            let session = try recorder.create(in: "sales")
            let first = try await location.open()
            try await first.append(recorder.take())
            try await first.saveSnapshot(recorder.machine.snapshot, throughSequence: recorder.lastSequence)
            try recorder.run(.accept("alice", session))
            try await first.append(recorder.take())
            let message = try await first.appendMessage(NewMessage(sessionId: session, author: .customer, text: "hi", sentAt: recorder.now, clientMessageId: "x"))
            try await first.setPasswordHash("hash", for: "alice")
            let before = try await first.loadRoutingState()
            let record = try await first.session(session)
            let history = try await first.history(of: session)
            let statuses = try await first.statusHistory(of: "alice", limit: 50)
            try await first.close()

            let second = try await location.open()
            let after = try await second.loadRoutingState()
            #expect(after.snapshot == before.snapshot)
            #expect(after.snapshotSequence == before.snapshotSequence)
            #expect(after.journal.map(StoredEntry.init) == before.journal.map(StoredEntry.init))
            #expect(try await second.session(session) == record)
            #expect(try await second.history(of: session) == history)
            #expect(try await second.statusHistory(of: "alice", limit: 50) == statuses)
            #expect(try await second.messages(of: session, query: MessagePageQuery()) == [message])
            #expect(try await second.passwordHash(for: "alice") == "hash")
            // The reopened store goes on where the first stopped.
            try recorder.run(.end("alice", session))
            try await second.append(recorder.take())
            #expect(try await second.session(session)?.endStatus == "ok")
            let retried = try await second.appendMessage(NewMessage(sessionId: session, author: .customer, text: "hi", sentAt: recorder.now, clientMessageId: "x"))
            #expect(retried == message && retried.storedBefore, "a retry after reopening is still known as one")
            try await second.close()
        }
    }

    @Test(arguments: StoreBackend.all)
    func aFailedBatchLeavesNothingBehind(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            let session = try recorder.create(in: "sales")
            try recorder.run(.accept("alice", session))
            var entries = recorder.take()
            // The last entry breaks the sequence after the others were written and projected.
            entries[entries.count - 1].sequence += 1
            let error = await #expect(throws: StoreError.self) { try await store.append(entries) }
            #expect(error?.code == .sequenceGap)

            #expect(try await store.loadRoutingState().journal.isEmpty)
            #expect(try await store.session(session) == nil)
            #expect(try await store.history(of: session).isEmpty)
            #expect(try await store.statusHistory(of: "alice", limit: 10).isEmpty)
            #expect(try await store.sessions(SessionListQuery()).isEmpty)

            // The same entries, numbered right, then go in whole.
            entries[entries.count - 1].sequence -= 1
            try await store.append(entries)
            #expect(try await store.session(session)?.acceptedAt != nil)
            #expect(try await store.loadRoutingState().journal.count == entries.count)
        }
    }
}
