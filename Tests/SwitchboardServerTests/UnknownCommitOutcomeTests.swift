import Foundation
import Logging
@_spi(FaultInjection) import SwitchboardPostgres
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The connection to PostgreSQL lost while `COMMIT` was under way: the change may have been
/// kept. The routing service reads the journal back and answers what really happened: when the
/// database kept it, the caller hears success (not "nothing changed", which it would act on by
/// sending again); when it did not, "nothing changed"; and the state stays the one every later
/// command is decided against.
@Suite("Commit outcome unknown", .serialized)
struct UnknownCommitOutcomeTests {
    @Test func aCommitThatWentThroughBeforeTheConnectionDroppedIsAnsweredAsDone() async throws {
        let location = try await PostgresServer.shared.newDatabase()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-unknown-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await PostgresRoutingStore.open(location)
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        let components = try await ServerComponents.make(
            configuration: configuration, store: store, logger: Logger(label: "unknown-outcome") { _ in SwiftLogNoOpLogHandler() })
        let routing = components.routing
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await routing.run() }
            try await routing.execute(.upsertSkillGroup(SkillGroup(id: "sales")))

            store.loseTheConnectionAfterTheNextCommit()
            let reply = try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Ann"))))
            #expect(reply == .sessionCreated("s-1"))
            #expect(await routing.read { $0.sessions.count } == 1)

            // A message whose batch's answer was lost: stored once, and handed back as stored.
            store.loseTheConnectionAfterTheNextCommit()
            let message = try await routing.commitMessage(NewMessage(sessionId: "s-1", author: .customer, text: "kept", sentAt: Timestamp.now()))
            let stored = try await store.messages(of: "s-1", query: MessagePageQuery())
            #expect(stored.map(\.text) == ["kept"] && stored.first?.id == message.id)

            // Lost before the database committed: read back, the caller hears "nothing changed",
            // and the service carries on from the journal as it is.
            store.loseTheConnectionBeforeTheNextCommit()
            do {
                _ = try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Lost"))))
                Issue.record("a change the database rolled back was answered as done")
            } catch {
                #expect("\(error)".contains("nothing changed"), "\(error)")
            }
            #expect(await routing.read { $0.sessions.count } == 1)

            // Numbering goes on from what was kept: no gap, no duplicate.
            #expect(try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Bo")))) == .sessionCreated("s-2"))
            let journal = try await store.loadRoutingState().journal.map(\.sequence)
            #expect(journal == Array(1...Int64(journal.count)) && journal.count >= 4)
            group.cancelAll()
        }
        await PostgresServer.shared.dropDatabase(location)
    }
}
