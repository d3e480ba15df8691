import Foundation
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// A server started on a store written under other routing rules says what it does: replays
/// older entries under their own rules, refuses newer ones with a message.
@Suite("Routing rules version on restart")
struct RulesVersionReplayTests {
    static func withStore(_ body: (SQLiteRoutingStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(try SQLiteRoutingStore(path: directory + "/db.sqlite"))
    }

    /// The commands of a chat whose group's inactivity timeout is shortened while it is quiet.
    static let commands: [(Double, RoutingCommand)] = [
        (0, .upsertSkillGroup(SkillGroup(id: "support", imInactivityTimeoutSeconds: 60))),
        (0, .upsertAgent(AgentProfile(id: "a1", name: "A", memberships: ["support": Membership()]))),
        (0, .connect("a1", "c1")),
        (0, .online("a1")),
        (0, .createSession(NewSession(type: .im, skillGroupId: "support", customer: CustomerDetails(nickname: "Ann")))),
        (1, .accept("a1", "s-1")),
        (30, .upsertSkillGroup(SkillGroup(id: "support", imInactivityTimeoutSeconds: 40))),
        (3600, .tick),
    ]

    static func journal(rules: Int) -> (entries: [JournalEntry], expected: RoutingStateMachine) {
        let start = Timestamp(seconds: 1_000_000)
        var machine = RoutingStateMachine(now: start)
        machine.rules = rules
        var entries: [JournalEntry] = []
        for (offset, command) in commands {
            let time = start.adding(seconds: Int(offset))
            _ = machine.handle(command, at: time)
            entries.append(JournalEntry(sequence: Int64(entries.count + 1), time: time, command: command, events: [], rulesVersion: rules))
        }
        return (entries, machine)
    }

    @Test func entriesWrittenUnderOlderRulesReplayUnderThem() async throws {
        try await Self.withStore { store in
            let (entries, expected) = Self.journal(rules: 1)
            try await store.append(entries)
            let service = try await RoutingService(store: store, logger: Logger(label: "test"), delivery: NoDelivery())
            let replayed = await service.read { $0 }
            // Under rules 1 the shortened timeout dropped the running timer: the chat is still live
            // an hour later, as the server that wrote the journal decided (rules 2 would end it).
            #expect(replayed.sessions["s-1"] != nil)
            #expect(replayed.snapshot == expected.snapshot)
            // Replayed at the journal's times, not the restart's (no snapshot was ever taken).
            #expect(replayed.sessions["s-1"]?.createdAt == Timestamp(seconds: 1_000_000))
            #expect(replayed.rules == RoutingStateMachine.rulesVersion, "new commands follow the current rules")
        }
    }

    @Test func aStoreWrittenUnderNewerRulesIsRefusedWithAMessage() async throws {
        try await Self.withStore { store in
            var (entries, _) = Self.journal(rules: RoutingStateMachine.rulesVersion)
            entries[entries.count - 1].rulesVersion = RoutingStateMachine.rulesVersion + 1
            try await store.append(entries)
            do {
                _ = try await RoutingService(store: store, logger: Logger(label: "test"), delivery: NoDelivery())
                Issue.record("the server started on a journal from newer rules")
            } catch {
                #expect("\(error)".contains("newer Switchboard (routing rules version \(RoutingStateMachine.rulesVersion + 1)"), "\(error)")
            }
        }
    }
}
