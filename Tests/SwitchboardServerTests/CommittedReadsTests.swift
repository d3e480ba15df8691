import Foundation
import Logging
import Synchronization
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// Reads see committed state only, and routing events and im messages are delivered in commit
/// order through one path.
@Suite("Committed reads and delivery order")
struct CommittedReadsTests {
    /// Records every delivery, in order, as text.
    final class Recorder: RoutingDeliveryTarget {
        let log = Mutex<[String]>([])
        func deliver(_ events: [RoutingEvent], message: StoredMessage?, machine: RoutingStateMachine) {
            log.withLock { log in
                for event in events {
                    if case .agent(let agent, let notification) = event.effect { log.append("\(agent): \(notification)") }
                }
                if let message {
                    let holder = machine.sessions[message.sessionId]?.state.agent.map(\.rawValue) ?? "nobody"
                    log.append("message '\(message.text)' while held by \(holder)")
                }
            }
        }
        func batchDelivered(_ events: [RoutingEvent], machine: RoutingStateMachine) {}
    }

    /// A gate a commit waits at until the test opens it.
    final class Gate: Sendable {
        let state = Mutex<(entered: Bool, opened: Bool, failure: (any Error)?)>((false, false, nil))
        func pass() async throws {
            state.withLock { $0.entered = true }
            while true {
                let (opened, failure) = state.withLock { ($0.opened, $0.failure) }
                if let failure { throw failure }
                if opened { return }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        func waitEntered() async throws {
            while !state.withLock({ $0.entered }) { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    static func withService(_ body: (RoutingService, StoreFaultTests.FaultyStore, Recorder) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-reads-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StoreFaultTests.FaultyStore(path: directory + "/db.sqlite")
        let recorder = Recorder()
        let routing = try await RoutingService(store: store, logger: Logger(label: "reads") { _ in SwiftLogNoOpLogHandler() }, delivery: recorder)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await routing.run() }
            try await body(routing, store, recorder)
            group.cancelAll()
        }
    }

    @Test func aChangeIsNotReadUntilItIsCommittedAndAFailedCommitIsNeverSeen() async throws {
        try await Self.withService { routing, store, _ in
            try await routing.execute(.upsertSkillGroup(SkillGroup(id: "sales")))
            let gate = Gate()
            store.beforeCommit.withLock { $0 = { try await gate.pass() } }
            let creating = Task {
                try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Ann"))))
            }
            try await gate.waitEntered()
            // Applied to the core, in flight to the store: not visible to readers.
            #expect(await routing.read { $0.sessions.isEmpty && $0.waitingCount(of: "sales") == 0 })
            gate.state.withLock { $0.failure = StoreFaultTests.FaultyStore.DiskFull() }
            await #expect(throws: (any Error).self) { try await creating.value }
            // The failed commit is never seen, and the service carries on.
            #expect(await routing.read { $0.sessions.isEmpty })
            store.beforeCommit.withLock { $0 = nil }
            try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Bo"))))
            #expect(await routing.read { $0.sessions.count == 1 })
        }
    }

    @Test func messagesAndRoutingEventsReachPeopleInCommitOrder() async throws {
        try await Self.withService { routing, store, recorder in
            try await routing.execute(.upsertSkillGroup(SkillGroup(id: "sales")))
            for agent in ["alice", "bob"] {
                try await routing.execute(.upsertAgent(AgentProfile(id: AgentID(agent), name: agent, memberships: ["sales": Membership()])))
                try await routing.execute(.connect(AgentID(agent), ConnectionID("c-\(agent)")))
            }
            try await routing.execute(.online("alice"))
            _ = try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Ann"))))
            try await routing.execute(.accept("alice", "s-1"))
            try await routing.execute(.online("bob"))
            recorder.log.withLock { $0 = [] }

            // Hold the store while a message, a transfer and another message pile up, then let
            // them commit together: each is delivered with the state its commit left.
            let gate = Gate()
            store.beforeCommit.withLock { $0 = { try await gate.pass() } }
            let first = Task { try await routing.commitMessage(NewMessage(sessionId: "s-1", author: .customer, text: "before", sentAt: Timestamp.now())) }
            try await gate.waitEntered()
            store.beforeCommit.withLock { $0 = nil }
            let transfer = Task { try await routing.execute(.transfer("alice", "s-1", skillGroupId: nil, userId: "bob")) }
            while await routing.waitingForCommit < 1 { try await Task.sleep(for: .milliseconds(2)) }
            let second = Task { try await routing.commitMessage(NewMessage(sessionId: "s-1", author: .customer, text: "after", sentAt: Timestamp.now())) }
            while await routing.waitingForCommit < 2 { try await Task.sleep(for: .milliseconds(2)) }
            gate.state.withLock { $0.opened = true }
            _ = try await first.value
            _ = try await transfer.value
            _ = try await second.value

            let log = recorder.log.withLock { $0 }
            let before = try #require(log.firstIndex(of: "message 'before' while held by alice"))
            let handedOn = try #require(log.firstIndex { $0.hasPrefix("alice: transfer") })
            let after = try #require(log.firstIndex { $0.hasPrefix("message 'after'") })
            #expect(before < handedOn && handedOn < after, "\(log)")
            #expect(log[after] != "message 'after' while held by alice", "the previous agent never gets a message sent after the transfer")
        }
    }
}
