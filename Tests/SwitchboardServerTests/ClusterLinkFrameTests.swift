import Foundation
@testable import SwitchboardServer
import Testing

/// The cluster link's frames across versions: during a rolling upgrade (followers first, then the
/// leader) a newer follower reads an older leader's frames.
@Suite("Cluster link frames")
struct ClusterLinkFrameTests {
    /// A leader older than read barriers welcomes without `answersSync` (and would drop a `sync`
    /// frame unanswered): the follower reads that as "does not answer", so it skips its barriers
    /// instead of holding every request for the barrier's time limit.
    @Test func anOlderLeadersWelcomeSaysItDoesNotAnswerSync() throws {
        let older = #"{"welcome":{"sequence":41}}"#
        guard case .welcome(let sequence, let answersSync) = try LeaderFrame.decode(older) else {
            Issue.record("not a welcome")
            return
        }
        #expect(sequence == 41 && answersSync == nil)
        let current = LeaderFrame.welcome(sequence: 42, answersSync: true).encodedText
        guard case .welcome(42, true) = try LeaderFrame.decode(current) else {
            Issue.record("a current welcome did not read back: \(current)")
            return
        }
    }

    @Test func syncAndSyncedReadBack() throws {
        guard case .sync("n-1") = try FollowerFrame.decode(FollowerFrame.sync(id: "n-1").encodedText) else {
            Issue.record("sync did not read back")
            return
        }
        guard case .synced("n-1") = try LeaderFrame.decode(LeaderFrame.synced(id: "n-1").encodedText) else {
            Issue.record("synced did not read back")
            return
        }
    }
}
