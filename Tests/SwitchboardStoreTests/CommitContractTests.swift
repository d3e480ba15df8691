import SwitchboardCore
import SwitchboardStore
import Testing

/// The group commit: journal entries and messages written together, or not at all.
@Suite struct CommitContractTests {
    @Test(arguments: StoreBackend.all)
    func entriesAndMessagesCommitTogether(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            let session = try recorder.create(in: "sales")
            let entries = recorder.take()
            let messages = [
                NewMessage(sessionId: session, author: .customer, text: "hello", sentAt: JournalRecorder.start, clientMessageId: "c-1"),
                NewMessage(sessionId: session, author: .customer, text: "again", sentAt: JournalRecorder.start),
            ]
            let stored = try await store.commit(entries, messages: messages)
            #expect(stored.map(\.text) == ["hello", "again"])
            #expect(stored[0].id < stored[1].id)
            #expect(try await store.loadRoutingState().journal.map(\.sequence) == entries.map(\.sequence))
            #expect(try await store.session(session) != nil)

            // A retried clientMessageId in a later commit comes back as the first one.
            let retried = try await store.commit([], messages: [messages[0]])
            #expect(retried == [stored[0]])
            #expect(retried[0].storedBefore && !stored[0].storedBefore)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aFailingCommitWritesNeitherEntriesNorMessages(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            let session = try recorder.create(in: "sales")
            var entries = recorder.take()
            // A gap in the sequence makes the whole commit fail.
            entries[entries.count - 1].sequence += 5
            let message = NewMessage(sessionId: session, author: .customer, text: "lost?", sentAt: JournalRecorder.start)
            await #expect(throws: StoreError.self) { try await store.commit(entries, messages: [message]) }
            #expect(try await store.loadRoutingState().journal.isEmpty)
            #expect(try await store.messages(of: session, query: MessagePageQuery()).isEmpty)
        }
    }

    /// What a follower catching up from the journal reads: each entry's origin (the request a
    /// follower forwarded), and the messages committed with each entry.
    @Test(arguments: StoreBackend.all)
    func entriesKeepTheirOriginAndMessagesTheirEntry(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            let session = try recorder.create(in: "sales")
            var entries = recorder.take()
            entries[entries.count - 1].origin = "k3x9qp-7"
            let last = entries[entries.count - 1].sequence
            let messages = [
                NewMessage(sessionId: session, author: .customer, text: "with the entry", sentAt: JournalRecorder.start, journalSequence: last),
                NewMessage(sessionId: session, author: .customer, text: "on its own", sentAt: JournalRecorder.start),
            ]
            _ = try await store.commit(entries, messages: messages)
            let journal = try await store.loadRoutingState().journal
            #expect(journal.map(\.origin) == entries.map(\.origin))
            let found = try await store.messages(committedWith: 1...last)
            #expect(found.keys.sorted() == [last])
            #expect(found[last]?.map(\.text) == ["with the entry"])
            #expect(try await store.messages(committedWith: (last + 1)...(last + 5)).isEmpty)
        }
    }

    /// A snapshot leaves the newest entries it covers behind it, so a follower a little behind
    /// reads them; one further behind than that is told they are gone.
    @Test(arguments: StoreBackend.all)
    func theJournalAfterAnEntryOutlivesASnapshotForAWhile(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            for _ in 0..<3 { _ = try recorder.create(in: "sales") }
            let entries = recorder.take()
            _ = try await store.commit(entries, messages: [])
            let last = entries[entries.count - 1].sequence
            try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: last)
            #expect(try await store.loadRoutingState().journal.isEmpty)
            #expect(try await store.journal(after: 1)?.map(\.sequence) == Array(2...last))
            #expect(try await store.journal(after: last)?.isEmpty == true)
            #expect(try await store.journal(after: last + 3)?.isEmpty == true)
        }
    }
}
