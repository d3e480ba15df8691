import Foundation
import Synchronization
import SwitchboardCore
@_spi(FaultInjection) import SwitchboardPostgres
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The routing lease on PostgreSQL (several nodes on one database): one holder at a time, taken
/// over only once it expires or is given up, and a node that lost it writes nothing at all,
/// whatever it tries, even before it knows it lost it. Two stores on one database stand for two
/// nodes: each has its own connection, as separate processes would.
@Suite("Routing lease on PostgreSQL", .serialized)
struct RoutingLeaseTests {
    /// Two stores on a fresh database, closed and dropped after `body`.
    private func withTwoNodes(_ body: (PostgresRoutingStore, PostgresRoutingStore) async throws -> Void) async throws {
        let location = try await PostgresServer.shared.newDatabase()
        let first = try await PostgresRoutingStore.open(location)
        let second = try await PostgresRoutingStore.open(location)
        do {
            try await body(first, second)
        } catch {
            try? await first.close()
            try? await second.close()
            await PostgresServer.shared.dropDatabase(location)
            throw error
        }
        try? await first.close()
        try? await second.close()
        await PostgresServer.shared.dropDatabase(location)
    }

    /// Waits (polling the database's own view) until the lease has run out.
    private func waitUntilExpired(_ store: PostgresRoutingStore) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await store.leaseView().isLive {
            guard ContinuousClock.now < deadline else { throw TestFailure("the lease did not expire within 10 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func expectFenced(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("\(what) was written by a node that lost the lease")
        } catch let error as StoreError {
            #expect(error.code == .fenced, "\(what): \(error)")
            #expect(error.message.contains("lost the routing lease") || error.message.contains("gave the routing lease"), "\(what): \(error.message)")
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test func theFirstNodeTakesTheLeaseAndASecondCannotWhileItRuns() async throws {
        try await withTwoNodes { first, second in
            let before = try await first.leaseView()
            #expect(before.epoch == 0 && !before.isLive && before.holder == nil)
            #expect(try await first.tryAcquireLease(node: "node-a", address: "http://a.example:8080", durationMilliseconds: 60_000) == 1)
            #expect(try await second.tryAcquireLease(node: "node-b", address: nil, durationMilliseconds: 60_000) == nil)
            let view = try await second.leaseView()
            #expect(view.epoch == 1 && view.holder == "node-a" && view.address == "http://a.example:8080" && view.isLive)
            #expect(view.expiresInMilliseconds > 50_000)
            // Renewing moves the expiry by the database's clock.
            try await first.renewLease(durationMilliseconds: 120_000)
            #expect(try await second.leaseView().expiresInMilliseconds > 100_000)
        }
    }

    @Test func aNodeWhoseLeaseWasTakenOverWritesNothing() async throws {
        try await withTwoNodes { old, new in
            #expect(try await old.tryAcquireLease(node: "old", address: nil, durationMilliseconds: 300) == 1)
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try await old.append(recorder.take())
            #expect(try await new.leaseView().lastSequence == 1)
            try await waitUntilExpired(new)
            #expect(try await new.tryAcquireLease(node: "new", address: nil, durationMilliseconds: 60_000) == 2)

            // The old holder does not know yet; every kind of write it tries is refused whole.
            try recorder.agent("alice", in: ["sales"])
            let late = recorder.take()
            await expectFenced("a journal entry") { try await old.append(late) }
            await expectFenced("a snapshot") { try await old.saveSnapshot(recorder.machine.snapshot, throughSequence: 1) }
            await expectFenced("a password") { try await old.setPasswordHash("hash", for: "alice") }
            await expectFenced("a renewal") { try await old.renewLease(durationMilliseconds: 60_000) }

            let state = try await new.loadRoutingState()
            #expect(state.journal.map(\.sequence) == [1], "nothing the old holder tried exists")
            #expect(try await new.passwordHash(for: "alice") == nil)
            // The new holder continues the journal where the last committed entry left it.
            try await new.append(late)
            #expect(try await new.loadRoutingState().journal.map(\.sequence) == [1] + late.map(\.sequence))
            #expect(try await new.leaseView().lastSequence == late.last?.sequence)
        }
    }

    /// The fence is the commit's first statement: a stale epoch's whole batch (journal, session
    /// rows, history, status changes, messages, report aggregates) is refused with nothing of it
    /// written, and the lease keeps the journal's end the new holder left.
    @Test func aStaleEpochsBatchWritesNothingOfAnyTable() async throws {
        try await withTwoNodes { old, new in
            #expect(try await old.tryAcquireLease(node: "old", address: nil, durationMilliseconds: 300) == 1)
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try await old.append(recorder.take())
            try await waitUntilExpired(new)
            #expect(try await new.tryAcquireLease(node: "new", address: nil, durationMilliseconds: 60_000) == 2)

            try recorder.agent("alice", in: ["sales"])
            let session = try recorder.create(in: "sales")  // rings at alice
            try recorder.run(.accept("alice", session))
            try recorder.run(.setStatus("alice", status: "notReady", restReason: "break"))
            let late = recorder.take()
            let message = NewMessage(sessionId: session, author: .customer, text: "hello", sentAt: recorder.now, journalSequence: late.last?.sequence)
            await expectFenced("a batch of the old epoch") { _ = try await old.commit(late, messages: [message]) }

            #expect(try await new.loadRoutingState().journal.map(\.sequence) == [1])
            #expect(try await new.session(session) == nil)
            #expect(try await new.history(of: session).isEmpty)
            #expect(try await new.statusHistory(of: "alice", limit: 10).isEmpty)
            #expect(try await new.messages(of: session, query: MessagePageQuery()).isEmpty)
            #expect(try await new.openStatusPeriods().isEmpty)
            let view = try await new.leaseView()
            #expect(view.epoch == 2 && view.holder == "new" && view.lastSequence == 1)
        }
    }

    /// The holder's own batch that does not follow the stored journal is refused whole, and the
    /// journal's end recorded with the lease stays where it was.
    @Test func theHoldersBatchWithAGapIsRefusedAndTheLeaseKeepsTheJournalsEnd() async throws {
        try await withTwoNodes { store, other in
            #expect(try await store.tryAcquireLease(node: "node", address: nil, durationMilliseconds: 60_000) == 1)
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try await store.append(recorder.take())
            try recorder.agent("alice", in: ["sales"])
            var gapped = recorder.take()
            for index in gapped.indices { gapped[index].sequence += 1 }
            do {
                try await store.append(gapped)
                Issue.record("a batch after a gap was stored")
            } catch let error as StoreError {
                #expect(error.code == .sequenceGap, "\(error)")
            }
            #expect(try await other.leaseView().lastSequence == 1)
            #expect(try await other.statusHistory(of: "alice", limit: 10).isEmpty)
            // Still the holder: the right batch goes in, and the lease follows the journal.
            for index in gapped.indices { gapped[index].sequence -= 1 }
            try await store.append(gapped)
            #expect(try await other.leaseView().lastSequence == gapped.last?.sequence)
            #expect(try await other.loadRoutingState().journal.count == 1 + gapped.count)
        }
    }

    @Test func aLeaseGivenUpIsTakenAtOnceAndTheGiverWritesNothingMore() async throws {
        try await withTwoNodes { first, second in
            #expect(try await first.tryAcquireLease(node: "first", address: nil, durationMilliseconds: 60_000) == 1)
            try await first.releaseLease()
            #expect(try await second.tryAcquireLease(node: "second", address: nil, durationMilliseconds: 60_000) == 2)
            await expectFenced("a write after giving the lease up") { try await first.setPasswordHash("hash", for: "alice") }
            // Renewing a lease given up is nothing to do, not an error (shutdown order).
            try await first.renewLease(durationMilliseconds: 60_000)
            #expect(try await second.leaseView().holder == "second")
        }
    }

    /// SIGTERM gives the lease up while the renewal timer may have a renewal on its way: that
    /// renewal must not come back as "fenced" (the node would exit as if it lost leadership).
    @Test func aRenewalRacingTheGiveUpIsNoLossOfLeadership() async throws {
        for round in 1...20 {
            try await withTwoNodes { first, _ in
                #expect(try await first.tryAcquireLease(node: "first", address: nil, durationMilliseconds: 60_000) == 1)
                async let renewal: Void = first.renewLease(durationMilliseconds: 60_000)
                try await first.releaseLease()
                do { try await renewal } catch { Issue.record("round \(round): \(error)") }
            }
        }
    }

    @Test func theSharedSecretsAreCreatedOnceAndEveryNodeGetsTheSame() async throws {
        try await withTwoNodes { first, second in
            let made = SharedSecrets(adminAPIKey: "sbk_first", signingSecret: "signing-first")
            let (a, created) = try await first.sharedSecrets { made }
            #expect(a == made && created)
            let (b, createdAgain) = try await second.sharedSecrets { SharedSecrets(adminAPIKey: "sbk_second", signingSecret: "signing-second") }
            #expect(b == made && !createdAgain)
        }
    }

    /// The connection lost after `COMMIT` went through: the store cannot say it failed (it did
    /// not), so it says the outcome is unknown; reading back shows what happened.
    @Test func aCommitWhoseAnswerIsLostIsReportedAsUnknownAndReadsBackCommitted() async throws {
        try await withTwoNodes { store, _ in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            store.loseTheConnectionAfterTheNextCommit()
            do {
                try await store.append(recorder.take())
                Issue.record("the lost answer was reported as a success")
            } catch let error as StoreError {
                #expect(error.code == .outcomeUnknown, "\(error)")
            }
            // The next transaction reconnects and finds the entry kept.
            #expect(try await store.loadRoutingState().journal.map(\.sequence) == [1])
        }
    }

    /// A leader that stops in the middle of a transaction (paused, cut off) holds the lease row's
    /// lock: the server ends its idle transaction after a short limit, so a standby still takes
    /// over, and the stopped write is rolled back whole.
    @Test func aLeaderStoppedInsideATransactionDoesNotBlockTheTakeover() async throws {
        try await withTwoNodes { old, new in
            #expect(try await old.tryAcquireLease(node: "old", address: nil, durationMilliseconds: 300) == 1)
            let stalled = Task {
                try await old.write("a write that stalls halfway") { db in
                    try db.execute("INSERT INTO credentials (agent_id, password_hash) VALUES (?, ?)", ["alice", "hash"])
                    Thread.sleep(forTimeInterval: 4)  // the process is paused here, its transaction open
                    try db.execute("INSERT INTO credentials (agent_id, password_hash) VALUES (?, ?)", ["bob", "hash"])
                }
            }
            let start = ContinuousClock.now
            var taken: Int64?
            while taken == nil {
                guard ContinuousClock.now - start < .seconds(15) else { throw TestFailure("the standby never took the lease") }
                taken = try? await new.tryAcquireLease(node: "new", address: nil, durationMilliseconds: 60_000)
                if taken == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(taken == 2)
            #expect(ContinuousClock.now - start < .seconds(4), "the takeover waited for the stalled transaction to end by itself")
            await #expect(throws: (any Error).self) { try await stalled.value }
            #expect(try await new.passwordHash(for: "alice") == nil, "the stalled write left nothing")
            #expect(try await new.passwordHash(for: "bob") == nil)
        }
    }

    /// The leader's work beside routing (renewing the lease, reading it, the webhook worker's
    /// reads and bookkeeping, reports) has a connection of its own: while routing's connection is
    /// stuck (here: waiting for a lock the other node holds), all of it still gets done, and the
    /// lease is renewed rather than left to run out behind a queue of commits.
    @Test func workBesideRoutingGoesOnWhileRoutingsConnectionIsBusy() async throws {
        try await withTwoNodes { leader, other in
            #expect(try await leader.tryAcquireLease(node: "leader", address: nil, durationMilliseconds: 60_000) == 1)
            let lock: Int64 = 424_242
            try await other.read("holding a lock the leader's routing connection will wait for") { db in
                try db.execute("SELECT pg_advisory_lock(?)", [lock])
            }
            let routingDone = LockedFlag()
            let stuck = Task {
                let read = try await leader.read("a routing read that waits for the lock") { db in
                    try db.execute("SELECT pg_advisory_xact_lock(?)", [lock])
                    return true
                }
                routingDone.set()
                return read
            }
            // Only once the routing connection is really waiting on the lock.
            let deadline = ContinuousClock.now + .seconds(10)
            while try await other.read("is the leader waiting", { db in
                try db.rows("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", []).isEmpty
            }) {
                guard ContinuousClock.now < deadline else { throw TestFailure("the leader's routing connection never waited for the lock") }
                try await Task.sleep(for: .milliseconds(20))
            }

            let finished = LockedFlag()
            let beside = Task {
                let before = try await leader.leaseView()
                try await leader.renewLease(durationMilliseconds: 120_000)
                let after = try await leader.leaseView()
                #expect(after.epoch == 1 && after.holder == "leader")
                #expect(after.expiresInMilliseconds > before.expiresInMilliseconds + 30_000, "the renewal did not reach the lease row")
                #expect(try await leader.dueWebhookDeliveries(at: Timestamp.now(), excluding: [], skippingSubscriptions: [], limit: 10).isEmpty)
                #expect(try await leader.recordWebhookAttempt(1, .delivered(at: Timestamp.now(), statusCode: 200)) == false)
                #expect(try await leader.pruneWebhookDeliveries(finishedBefore: Timestamp.now()) == 0)
                #expect(try await leader.openStatusPeriods().isEmpty)
                finished.set()
            }
            // Work stuck behind routing's connection would wait for the lock for ever: give it
            // 10 s, then let the lock go either way, so a failure is reported and nothing hangs.
            let giveUp = ContinuousClock.now + .seconds(10)
            while !finished.isSet, ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(20)) }
            #expect(finished.isSet, "work beside routing waited for routing's busy connection")
            #expect(!routingDone.isSet, "routing's connection was not busy while the work beside it ran")

            try await other.read("letting the lock go") { db in try db.execute("SELECT pg_advisory_unlock(?)", [lock]) }
            try await beside.value
            #expect(try await stuck.value)
        }
    }
}

/// A flag set once, read from another task.
private final class LockedFlag: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}
