import SwitchboardCore
import SwitchboardStore
import Testing

/// The agent's wrap-up on a session's record: saved, replaced, kept across a reopen, and never
/// touched by the routing events that project the same row.
@Suite("Wrap-up contract")
struct WrapUpContractTests {
    @Test(arguments: StoreBackend.all)
    func aWrapUpIsKeptOnTheRecordAndSurvivesLaterEventsAndAReopen(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            let store = try await location.open()
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            let session = try recorder.create(.im, in: "sales", priority: 0, nickname: "Ann")
            try recorder.run(.accept("alice", session))
            try recorder.run(.end("alice", session))
            try await store.append(recorder.take())
            #expect(try await store.session(session)?.wrapUp == nil)

            let first = SessionWrapUp(agentId: "alice", dispositionCode: "Callback needed", note: "Monday, order 1207", at: Timestamp(seconds: 2_000))
            #expect(try await store.saveWrapUp(first, of: session))
            #expect(try await store.session(session)?.wrapUp == first)
            let second = SessionWrapUp(agentId: "alice", dispositionCode: "Resolved", note: nil, at: Timestamp(seconds: 2_100))
            #expect(try await store.saveWrapUp(second, of: session))
            #expect(try await !store.saveWrapUp(first, of: "s-unknown"), "no record, nothing written")

            // Later routing work on other sessions projects other rows; this one keeps its wrap-up.
            let other = try recorder.create(.im, in: "sales", priority: 0, nickname: "Bo")
            try recorder.run(.accept("alice", other))
            try await store.append(recorder.take())
            try await store.close()

            let reopened = try await location.open()
            let record = try #require(try await reopened.session(session))
            #expect(record.wrapUp == second && record.closeBy == .seat && record.endStatus == "ok")
            #expect(try await reopened.session(other)?.wrapUp == nil)
            try await reopened.close()
        }
    }
}
