import SwitchboardCore
import SwitchboardStore
import Testing

/// im messages: ids, paging both ways, and retried sends stored once.
@Suite struct MessageContractTests {
    /// Stores `count` messages in session s-1, alternating customer and agent, with one from s-2 in between.
    private func fill(_ store: any RoutingStore, count: Int) async throws -> [StoredMessage] {
        var stored: [StoredMessage] = []
        for index in 1...count {
            let fromAgent = index.isMultiple(of: 2)
            stored.append(try await store.appendMessage(NewMessage(
                sessionId: "s-1", author: fromAgent ? .agent : .customer, agentId: fromAgent ? "alice" : nil,
                text: "message \(index)", sentAt: Timestamp(seconds: 1_700_000_000 + Int64(index)), clientMessageId: "m\(index)")))
            if index == 3 {
                _ = try await store.appendMessage(NewMessage(sessionId: "s-2", author: .system, text: "other session", sentAt: Timestamp(seconds: 1)))
            }
        }
        return stored
    }

    @Test(arguments: StoreBackend.all)
    func messagesGetIncreasingIdsAndReadBackAsStored(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let stored = try await fill(store, count: 5)
            #expect(stored.map(\.id) == stored.map(\.id).sorted())
            #expect(Set(stored.map(\.id)).count == 5)
            #expect(stored[1].author == .agent && stored[1].agentId == "alice" && stored[1].clientMessageId == "m2")
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery()) == stored)
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery(oldestFirst: false)) == stored.reversed())
            #expect(try await store.messages(of: "s-2", query: MessagePageQuery()).map(\.text) == ["other session"])
            #expect(try await store.messages(of: "s-9", query: MessagePageQuery()).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func pagesFollowEachOtherInEitherOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let stored = try await fill(store, count: 7)
            // Oldest first, paging forward with afterId.
            var forward: [[StoredMessage]] = []
            var after: Int64? = nil
            repeat {
                let page = try await store.messages(of: "s-1", query: MessagePageQuery(oldestFirst: true, limit: 3, afterId: after))
                forward.append(page)
                after = page.last?.id
            } while forward.last?.count == 3
            #expect(forward.map(\.count) == [3, 3, 1])
            #expect(forward.flatMap { $0 } == stored)

            // Newest first, paging backward with beforeId.
            var backward: [[StoredMessage]] = []
            var before: Int64? = nil
            repeat {
                let page = try await store.messages(of: "s-1", query: MessagePageQuery(oldestFirst: false, limit: 3, beforeId: before))
                backward.append(page)
                before = page.last?.id
            } while backward.last?.count == 3
            #expect(backward.map(\.count) == [3, 3, 1])
            #expect(backward.flatMap { $0 } == stored.reversed())

            // The newest messages before an id, oldest first; and a window between two ids.
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery(oldestFirst: true, limit: 2, beforeId: stored[4].id)) == Array(stored[0...1]))
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery(oldestFirst: false, limit: 2, afterId: stored[4].id)) == [stored[6], stored[5]])
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery(limit: 500, beforeId: stored[5].id, afterId: stored[1].id)) == Array(stored[2...4]))
        }
    }

    @Test(arguments: StoreBackend.all)
    func limitsOutsideOneToFiveHundredAreRefused(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let smallest = try await store.messages(of: "s-1", query: MessagePageQuery(limit: 1))
            let largest = try await store.messages(of: "s-1", query: MessagePageQuery(limit: 500))
            #expect(smallest.isEmpty && largest.isEmpty)
            for query in [MessagePageQuery(limit: 0), MessagePageQuery(limit: 501), MessagePageQuery(limit: -3), MessagePageQuery(beforeId: 0)] {
                let error = await #expect(throws: StoreError.self) { try await store.messages(of: "s-1", query: query) }
                #expect(error?.code == .invalidQuery)
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func aRetriedSendReturnsTheOriginalMessage(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let message = NewMessage(sessionId: "s-1", author: .customer, text: "hello", sentAt: Timestamp(seconds: 10), clientMessageId: "c-1")
            let first = try await store.appendMessage(message)
            // The retry is told it was stored before, even when it arrives in the same millisecond.
            let again = try await store.appendMessage(message)
            #expect(!first.storedBefore && again.storedBefore)
            #expect(again == first)
            var retry = message
            retry.sentAt = Timestamp(seconds: 12)
            let later = try await store.appendMessage(retry)
            #expect(later.storedBefore && later.sentAt == first.sentAt && later.id == first.id)
            // The same client id in another session, and messages without one, are separate messages.
            let elsewhere = try await store.appendMessage(NewMessage(sessionId: "s-2", author: .customer, text: "hello", sentAt: Timestamp(seconds: 11), clientMessageId: "c-1"))
            #expect(elsewhere.id != first.id)
            let anonymous = NewMessage(sessionId: "s-1", author: .system, text: "joined", sentAt: Timestamp(seconds: 13))
            let one = try await store.appendMessage(anonymous)
            let two = try await store.appendMessage(anonymous)
            #expect(one.id != two.id)
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery()).map(\.id) == [first.id, one.id, two.id])
        }
    }
}
