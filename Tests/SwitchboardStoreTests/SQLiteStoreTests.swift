import Foundation
import SwitchboardCore
@testable import SwitchboardStore
import Testing

/// What only the SQLite backend promises: its settings, schema, pruning and projections as rows,
/// and errors instead of crashes on damaged rows.
@Suite struct SQLiteStoreTests {
    private func withSQLite(_ body: (SQLiteRoutingStore, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/dirs/store.sqlite").path
        let store = try SQLiteRoutingStore(path: path)
        do {
            try await body(store, path)
        } catch {
            try? await store.close()
            throw error
        }
        try? await store.close()
    }

    private func count(_ store: SQLiteRoutingStore, _ sql: String) async throws -> Int {
        Int(try await store.inspect(sql).first?.first.flatMap { $0 } ?? "") ?? -1
    }

    @Test func theFileIsDurableWalWithForeignKeys() async throws {
        try await withSQLite { (store, path) async throws in
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await store.inspect("PRAGMA journal_mode", onWriter: true) == [["wal"]])
            #expect(try await store.inspect("PRAGMA synchronous", onWriter: true) == [["2"]])  // FULL
            #expect(try await store.inspect("PRAGMA foreign_keys", onWriter: true) == [["1"]])
            #expect(try await store.inspect("PRAGMA busy_timeout", onWriter: true) == [["5000"]])
        }
    }

    @Test func migrationsAreNamedAndRunOnce() async throws {
        try await withSQLite { store, path in
            let names = ["journal and snapshots", "configuration records", "session records", "messages", "credentials", "token revocations", "server starts", "phone records", "login locks", "journal rules version", "supervisor accounts", "api keys", "spent tokens", "webhooks", "canned replies", "session wrap-up", "report tables", "chat attachments", "report hour roll-ups", "webhook pause", "session hold time", "session queued time", "journal origin", "message journal sequence"]
            #expect(try await store.inspect("SELECT identifier FROM grdb_migrations ORDER BY rowid") == names.map { [$0] })
            try await store.close()
            let reopened = try SQLiteRoutingStore(path: path)
            #expect(try await count(reopened, "SELECT COUNT(*) FROM grdb_migrations") == names.count)
            try await reopened.close()
        }
    }

    /// Older snapshots go; the journal entries a snapshot covers stay behind it (the newest 10,000,
    /// for followers catching up), and a load replays only those after it.
    @Test func aSnapshotDeletesOlderSnapshotsAndKeepsTheJournalTail() async throws {
        try await withSQLite { store, _ in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.group("support")
            try recorder.group("billing")
            try await store.append(recorder.take())
            try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: 1)
            try await store.saveSnapshot(recorder.machine.snapshot, throughSequence: 2)
            #expect(try await store.inspect("SELECT sequence FROM journal ORDER BY sequence") == [["1"], ["2"], ["3"]])
            #expect(try await store.loadRoutingState().journal.map(\.sequence) == [3])
            #expect(try await store.inspect("SELECT sequence, taken_at FROM snapshots") == [["2", String(JournalRecorder.start.milliseconds)]])
            #expect(try await count(store, "SELECT COUNT(*) FROM skill_groups") == 3)
        }
    }

    @Test func configurationCommandsAreProjectedIntoRows() async throws {
        try await withSQLite { store, _ in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.group("support")
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "vip", name: "VIP", strategy: .skillLevel, overflowGroupId: "sales")))
            try recorder.run(.upsertAgent(AgentProfile(id: "alice", name: "Alice", memberships: ["sales": .init(skillLevel: 1), "vip": .init(skillLevel: 4)], imCapacity: 3)))
            try recorder.run(.upsertAgent(AgentProfile(id: "bob", memberships: ["sales": .init()])))
            try await store.append(recorder.take())
            #expect(try await store.inspect("SELECT id, name, strategy, overflow_group_id FROM skill_groups WHERE id = 'vip'") == [["vip", "VIP", "skillLevel", "sales"]])
            #expect(try await store.inspect("SELECT id, name, im_capacity FROM agents ORDER BY id") == [["alice", "Alice", "3"], ["bob", "bob", nil]])
            #expect(try await store.inspect("SELECT agent_id, skill_group_id, skill_level FROM memberships ORDER BY 1, 2") == [
                ["alice", "sales", "1"], ["alice", "vip", "4"], ["bob", "sales", "3"],
            ])

            // An upsert replaces the memberships; removals take their rows with them.
            try recorder.run(.upsertAgent(AgentProfile(id: "alice", name: "Alice", memberships: ["support": .init(skillLevel: 2)])))
            try recorder.run(.removeAgent("bob"))
            try recorder.run(.upsertSkillGroup(SkillGroup(id: "vip", name: "VIP")))
            try recorder.run(.removeSkillGroup("vip"))
            try await store.append(recorder.take())
            #expect(try await store.inspect("SELECT agent_id, skill_group_id, skill_level FROM memberships") == [["alice", "support", "2"]])
            #expect(try await store.inspect("SELECT id, im_capacity FROM agents") == [["alice", nil]])
            #expect(try await store.inspect("SELECT id FROM skill_groups ORDER BY id") == [["sales"], ["support"]])
        }
    }

    @Test func damagedRowsAreErrorsNotCrashes() async throws {
        try await withSQLite { store, _ in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            _ = try recorder.create(in: "sales")
            try recorder.run(.tick)
            try await store.append(recorder.take())

            try await store.executeRaw("UPDATE sessions SET type = 'fax' WHERE id = 's-1'")
            await #expect(throws: StoreError(.corruptData, "sessions row s-1: column type holds 'fax', which is not a SessionType")) {
                try await store.session("s-1")
            }
            try await store.executeRaw("UPDATE sessions SET type = 'im', customer = '{not json' WHERE id = 's-1'")
            let customer = await #expect(throws: StoreError.self) { try await store.sessions(SessionListQuery()) }
            #expect(customer?.code == .corruptData)

            try await store.executeRaw("UPDATE journal SET command = '{\"launch\":{}}' WHERE sequence = 2")
            let command = await #expect(throws: StoreError.self) { try await store.loadRoutingState() }
            #expect(command?.code == .corruptData)
            #expect(command?.message.contains("journal entry 2") == true)

            try await store.executeRaw("DELETE FROM journal WHERE sequence = 2")
            let gap = await #expect(throws: StoreError.self) { try await store.loadRoutingState() }
            #expect(gap?.code == .corruptData)

            try await store.executeRaw("UPDATE journal SET time = 'yesterday' WHERE sequence = 1")
            let time = await #expect(throws: StoreError.self) { try await store.loadRoutingState() }
            #expect(time?.code == .corruptData)

            try await store.executeRaw("INSERT INTO snapshots (sequence, taken_at, state) VALUES (1, 0, '[]')")
            let snapshot = await #expect(throws: StoreError.self) { try await store.loadRoutingState() }
            #expect(snapshot?.message.contains("snapshot 1") == true)

            try await store.executeRaw("INSERT INTO messages (session_id, author, text, sent_at) VALUES ('s-1', 'robot', 'beep', 0)")
            let message = await #expect(throws: StoreError.self) { try await store.messages(of: "s-1", query: MessagePageQuery()) }
            #expect(message?.code == .corruptData)
        }
    }

    @Test func aStoreThatCannotBeOpenedOrIsClosedThrows() async throws {
        try await withSQLite { store, path in
            let underAFile = path + "/inside.sqlite"
            #expect(throws: StoreError.self) { try SQLiteRoutingStore(path: underAFile) }
            try await store.close()
            let closed = await #expect(throws: StoreError.self) { try await store.passwordHash(for: "alice") }
            #expect(closed?.code == .database)
            let closedWrite = await #expect(throws: StoreError.self) { try await store.setPasswordHash("x", for: "alice") }
            #expect(closedWrite?.code == .database)
        }
    }

    @Test func concurrentWritesAndReadsAllLand() async throws {
        try await withSQLite { store, _ in
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        if index.isMultiple(of: 4) { _ = try await store.messages(of: "s-1", query: MessagePageQuery(limit: 500)) }
                        return try await store.appendMessage(NewMessage(
                            sessionId: "s-1", author: .customer, text: "n\(index)", sentAt: Timestamp(milliseconds: Int64(index)),
                            clientMessageId: "c\(index % 20)")).id
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            // Twenty distinct client ids: every retry got one of the twenty stored messages.
            #expect(Set(ids).count == 20)
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery(limit: 500)).count == 20)
        }
    }
}
