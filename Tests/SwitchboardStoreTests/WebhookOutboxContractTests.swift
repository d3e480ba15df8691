import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// The webhook outbox: deliveries written in the same transaction as the change they report,
/// for the subscriptions that exist then, and handed to the worker a key at a time, in order.
@Suite struct WebhookOutboxContractTests {
    static let everything = WebhookEventKind.allCases

    static func subscription(_ id: String, _ kinds: [WebhookEventKind] = everything) -> StoredWebhook {
        StoredWebhook(
            id: id, url: "https://crm.example.com/hooks/\(id)", kinds: kinds, sealedSecret: "sealed-\(id)", description: nil,
            createdAt: JournalRecorder.start, updatedAt: JournalRecorder.start)
    }

    /// Every delivery of a subscription, oldest first.
    static func log(_ store: any RoutingStore, _ subscription: String) async throws -> [WebhookDelivery] {
        try await store.webhookDeliveries(of: subscription, status: nil, limit: 500, offset: 0).reversed()
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: StoreBackend.all)
    func deliveriesAreCommittedWithTheChangeInItsOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.createWebhook(Self.subscription("wh_all")))
            #expect(try await store.createWebhook(Self.subscription("wh_ends", [.sessionEnded])))
            #expect(try await !store.createWebhook(Self.subscription("wh_ends")), "an id is taken once")

            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            let session = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            try recorder.run(.accept("alice", session))
            // The message is committed with the session's activity entry, before the end in the same batch.
            try recorder.run(.activity(session))
            let activity = recorder.lastSequence
            try recorder.run(.end("alice", session))
            let message = NewMessage(
                sessionId: session, author: .customer, text: "thanks", sentAt: recorder.now, clientMessageId: "m-1", journalSequence: activity)
            let stored = try await store.commit(recorder.take(), messages: [message])

            let all = try await Self.log(store, "wh_all")
            let sessionKinds = all.filter { $0.orderingKey == "session:\(session.rawValue)" }
            #expect(sessionKinds.map(\.kind) == [.sessionCreated, .sessionOffered, .sessionAccepted, .sessionMessage, .sessionEnded])
            let statuses = all.filter { $0.orderingKey == "agent:alice" }
            #expect(statuses.map(\.kind) == [.agentStatusChanged, .agentStatusChanged, .agentStatusChanged])
            #expect(try statuses.map { try Self.json($0.data)["status"] as? String } == ["free", "busy", "free"])
            #expect(sessionKinds.count + statuses.count == all.count)
            #expect(all.map(\.id) == all.map(\.id).sorted(), "ids increase in commit order")
            #expect(all.allSatisfy { $0.status == .pending && $0.attempts == 0 })
            // Only the first of each key is due; the others wait their turn.
            #expect(all.filter { $0.nextAttemptAt != nil }.map(\.id) == [statuses[0].id, sessionKinds[0].id])
            #expect(sessionKinds[0].nextAttemptAt == sessionKinds[0].occurredAt)
            let messageDelivery = sessionKinds[3]
            #expect(messageDelivery.eventId == "msg_\(stored[0].id)")
            #expect(try Self.json(messageDelivery.data)["text"] as? String == "thanks")
            #expect(try Self.json(sessionKinds[0].data)["skillGroupId"] as? String == "sales")
            #expect(try Self.json(sessionKinds[2].data)["agentId"] as? String == "alice")
            #expect(sessionKinds[0].eventId.hasPrefix("evt_"))
            #expect(Set(all.map(\.eventId)).count == all.count)

            let ends = try await Self.log(store, "wh_ends")
            #expect(ends.map(\.kind) == [.sessionEnded])
            #expect(ends[0].eventId == sessionKinds[4].eventId, "one event, one id, whichever subscription gets it")
            let record = try #require(try Self.json(ends[0].data)["record"] as? [String: Any])
            #expect(record["id"] as? String == session.rawValue)
            #expect(record["closeBy"] as? String == "seat" && record["endedAt"] != nil && record["acceptedAt"] != nil)

            // A retried message (stored before) is not reported twice.
            _ = try await store.commit([], messages: [message])
            #expect(try await Self.log(store, "wh_all").count == all.count)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aRefusedCommitQueuesNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createWebhook(Self.subscription("wh_all"))
            var recorder = JournalRecorder()
            try recorder.group("sales")
            let session = try recorder.create(in: "sales")
            var entries = recorder.take()
            entries[entries.count - 1].sequence += 5
            let message = NewMessage(sessionId: session, author: .customer, text: "lost?", sentAt: JournalRecorder.start)
            await #expect(throws: StoreError.self) { try await store.commit(entries, messages: [message]) }
            #expect(try await Self.log(store, "wh_all").isEmpty)
            #expect(try await store.dueWebhookDeliveries(at: JournalRecorder.start.adding(seconds: 3600), excluding: [], limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func onlySubscriptionsExistingAtCommitGetDeliveries(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            _ = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            _ = try await store.createWebhook(Self.subscription("wh_late", [.sessionCreated]))
            #expect(try await Self.log(store, "wh_late").isEmpty, "nothing committed before it existed")

            _ = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            #expect(try await Self.log(store, "wh_late").map(\.kind) == [.sessionCreated])

            // Narrowing the kinds applies to later commits; deleting takes its deliveries along.
            var changed = try #require(try await store.webhook(id: "wh_late"))
            changed.kinds = [.sessionEnded]
            #expect(try await store.updateWebhook(changed))
            #expect(try await store.webhook(id: "wh_late")?.kinds == [.sessionEnded])
            _ = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            #expect(try await Self.log(store, "wh_late").count == 1)
            #expect(try await store.deleteWebhook(id: "wh_late"))
            #expect(try await !store.deleteWebhook(id: "wh_late"))
            #expect(try await store.webhookDeliveries(of: "wh_late", status: nil, limit: 10, offset: 0).isEmpty)
            #expect(try await store.webhooks().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func theWorkerGetsOneDeliveryPerKeyInOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createWebhook(Self.subscription("wh_sessions", [.sessionCreated, .sessionEnded]))
            var recorder = JournalRecorder()
            try recorder.group("sales")
            let first = try recorder.create(in: "sales")
            let second = try recorder.create(in: "sales")
            try recorder.run(.customerLeft(first))
            try await store.append(recorder.take())
            let now = recorder.now
            let log = try await Self.log(store, "wh_sessions")
            #expect(log.map(\.kind) == [.sessionCreated, .sessionCreated, .sessionEnded])

            // The heads of the two sessions; the first session's end waits behind its creation.
            let due = try await store.dueWebhookDeliveries(at: now, excluding: [], limit: 10)
            #expect(due.map(\.delivery.id) == [log[0].id, log[1].id])
            #expect(due[0].url == "https://crm.example.com/hooks/wh_sessions" && due[0].sealedSecret == "sealed-wh_sessions")
            #expect(try await store.dueWebhookDeliveries(at: now, excluding: [log[0].id], limit: 10).map(\.delivery.id) == [log[1].id])

            // A failed attempt keeps its key's later deliveries waiting until it is retried.
            let later = now.adding(seconds: 30)
            #expect(try await store.recordWebhookAttempt(log[0].id, .retry(at: now, error: "HTTP 503", statusCode: 503, next: later)))
            #expect(try await store.dueWebhookDeliveries(at: now, excluding: [], limit: 10).map(\.delivery.id) == [log[1].id])
            let retried = try #require(try await store.webhookDelivery(log[0].id, of: "wh_sessions"))
            #expect(retried.attempts == 1 && retried.lastError == "HTTP 503" && retried.lastStatusCode == 503 && retried.nextAttemptAt == later)

            #expect(try await store.webhookDelivery(log[2].id, of: "wh_sessions")?.nextAttemptAt == nil, "waiting its turn")
            #expect(try await store.recordWebhookAttempt(log[0].id, .delivered(at: later, statusCode: 204)))
            #expect(try await store.webhookDelivery(log[2].id, of: "wh_sessions")?.nextAttemptAt == later, "its turn came")
            #expect(try await !store.recordWebhookAttempt(log[0].id, .delivered(at: later, statusCode: 204)), "only a pending delivery is recorded")
            #expect(try await store.dueWebhookDeliveries(at: later, excluding: [], limit: 10).map(\.delivery.id) == [log[1].id, log[2].id])
            #expect(try await store.recordWebhookAttempt(log[2].id, .failed(at: later, error: "timed out", statusCode: nil)))
            let failed = try #require(try await store.webhookDelivery(log[2].id, of: "wh_sessions"))
            #expect(failed.status == .failed && failed.finishedAt == later && failed.nextAttemptAt == nil)
            #expect(try await store.webhookDeliveries(of: "wh_sessions", status: .failed, limit: 10, offset: 0).map(\.id) == [log[2].id])

            // Redelivering a finished delivery queues a copy with the same event id; due at once
            // when its key has nothing pending (session one has not: it waits for none).
            let copy = try #require(try await store.redeliverWebhook(log[2].id, of: "wh_sessions", at: later))
            #expect(copy.id > log[2].id && copy.eventId == log[2].eventId && copy.data == log[2].data)
            #expect(copy.status == .pending && copy.redeliveryOf == log[2].id && copy.attempts == 0 && copy.nextAttemptAt == later)
            // A copy behind a pending delivery of its key waits for it.
            let behind = try #require(try await store.redeliverWebhook(log[0].id, of: "wh_sessions", at: later))
            #expect(behind.nextAttemptAt == nil)
            #expect(try await store.redeliverWebhook(log[2].id, of: "wh_other", at: later) == nil)
            // A pending one is made due now.
            let pending = try #require(try await store.redeliverWebhook(log[1].id, of: "wh_sessions", at: now))
            #expect(pending.id == log[1].id && pending.nextAttemptAt == now)

            #expect(try await store.pruneWebhookDeliveries(finishedBefore: later.adding(seconds: 1)) == 2)
            #expect(try await Self.log(store, "wh_sessions").map(\.id) == [log[1].id, copy.id, behind.id])
            _ = second
        }
    }
}
