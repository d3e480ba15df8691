import Foundation
import Testing
@testable import TCCC

/// The SDK's local state and event cursor, as plain values.
@Suite("SDK state and cursor")
struct MirrorTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test func theCursorDeliversEachEventOnceAndSpotsGaps() {
        var cursor = EventCursor()
        var admission = cursor.admit(seq: 0)
        #expect(admission == .connectionScoped)
        cursor.reset(to: 4)
        admission = cursor.admit(seq: 5)
        #expect(admission == .next)
        admission = cursor.admit(seq: 5)
        #expect(admission == .duplicate)
        admission = cursor.admit(seq: 3)
        #expect(admission == .duplicate)
        admission = cursor.admit(seq: 0)
        #expect(admission == .connectionScoped)
        admission = cursor.admit(seq: 8)
        #expect(admission == .gap(expected: 6))
        #expect(cursor.position == 5)
        admission = cursor.admit(seq: 6)
        #expect(admission == .next)
    }

    @Test func eventsUpdateSessionsAndStatusIdempotently() {
        var mirror = AgentMirror()
        let offer = CallIn.im(sessionId: "s-1", timeout: 15, nickname: "Ann")
        var isNews = mirror.apply(.callIn(offer), now: now)
        #expect(isNews)
        #expect(mirror.sessions.first?.offerDeadline == now.addingTimeInterval(15))
        #expect(mirror.sessions.first?.secondsLeftToAccept(at: now.addingTimeInterval(4.5)) == 11)
        // A snapshot may already have shown it: the same offer again is not news.
        isNews = mirror.apply(.callIn(offer), now: now)
        #expect(!isNews)
        isNews = mirror.apply(.userAccessed(sessionId: "s-1"), now: now)
        #expect(isNews)
        isNews = mirror.apply(.userAccessed(sessionId: "s-1"), now: now)
        #expect(!isNews)
        #expect(mirror.sessions.first?.state == .accepted)
        #expect(mirror.sessions.first?.secondsLeftToAccept(at: now) == nil)
        isNews = mirror.apply(.statusChanged(StatusChanged(status: .rest, restReason: "lunch", cause: .agent)), now: now)
        #expect(isNews)
        #expect(mirror.status == .rest && mirror.restReason == "lunch")
        isNews = mirror.apply(.transfer(sessionId: "s-1", skillGroupId: "billing", userId: nil), now: now)
        #expect(isNews)
        #expect(mirror.sessions.isEmpty)
        // Already gone (a snapshot said so): not news again.
        isNews = mirror.apply(.sessionEnded(SessionEnded(sessionId: "s-1", closeBy: .client)), now: now)
        #expect(!isNews)
    }

    @Test func aSnapshotReplacesTheStateAndSaysWhatChanged() {
        var mirror = AgentMirror()
        _ = mirror.apply(.callIn(.im(sessionId: "rang-out", timeout: 10, nickname: "A")), now: now)
        _ = mirror.apply(.callIn(.im(sessionId: "was-held", timeout: 10, nickname: "B")), now: now)
        _ = mirror.apply(.userAccessed(sessionId: "was-held"), now: now)
        _ = mirror.apply(.callIn(.im(sessionId: "now-held", timeout: 10, nickname: "C")), now: now)
        _ = mirror.apply(.statusChanged(StatusChanged(status: .busy, cause: .sessionAccepted)), now: now)

        let welcome = AgentWelcome(
            userId: "alice", name: "Alice", status: .notReady,
            sessions: [
                SessionSummary(callIn: .im(sessionId: "now-held", timeout: 0, nickname: "C"), state: .accepted, acceptedAt: 1_000_000_500),
                SessionSummary(callIn: .phone(sessionId: "new", timeout: 12, calleePhoneNumber: "020", ivrPath: [], serverType: "staffSeat"), state: .ringing),
            ],
            lastSeq: 90, resumed: false)
        let changes = mirror.rebuild(from: welcome, now: now)
        #expect(changes == [
            .autoTransfer(sessionId: "rang-out"),
            .sessionEnded(SessionEnded(
                sessionId: "was-held", closeBy: .admin, mainReason: "resync",
                subReason: "the session was no longer with this agent when the SDK reconnected", type: .im)),
            .userAccessed(sessionId: "now-held"),
            .callIn(.phone(sessionId: "new", timeout: 12, calleePhoneNumber: "020", ivrPath: [], serverType: "staffSeat")),
            .statusChanged(StatusChanged(status: .notReady, cause: .resync)),
        ])
        #expect(mirror.userId == "alice")
        #expect(mirror.sessions.map(\.id) == ["now-held", "new"])
        #expect(mirror.sessions[0].acceptedAt == Date(timeIntervalSince1970: 1_000_000.5))
        #expect(mirror.sessions[1].offerDeadline == now.addingTimeInterval(12))
        // The same snapshot again changes nothing.
        let again = mirror.rebuild(from: welcome, now: now)
        #expect(again.isEmpty)
    }

    @Test func serverURLsBecomeAgentSocketURLs() throws {
        #expect(try AgentSocketAddress.url(for: URL(string: "http://127.0.0.1:8080")!) == "ws://127.0.0.1:8080/ws/agent")
        #expect(try AgentSocketAddress.url(for: URL(string: "https://cc.example.com/switchboard/")!) == "wss://cc.example.com/switchboard/ws/agent")
        #expect(try AgentSocketAddress.url(for: URL(string: "wss://cc.example.com")!) == "wss://cc.example.com/ws/agent")
        #expect(try AgentSocketAddress.url(for: URL(string: "ws://h:1/custom/path")!) == "ws://h:1/custom/path")
        #expect(throws: TCCCError.self) { try AgentSocketAddress.url(for: URL(string: "file:///tmp/x")!) }
        #expect(try AgentSocketAddress.url(for: URL(string: "http://h:1")!, sdkAppId: "1400000001") == "ws://h:1/ws/agent?sdkAppId=1400000001")
    }

    @Test func backoffDoublesUpToTheMaximum() {
        let backoff = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(30))
        #expect((Duration.milliseconds(400)...Duration.milliseconds(500)).contains(backoff.delay(forAttempt: 1)))
        #expect((Duration.milliseconds(1600)...Duration.seconds(2)).contains(backoff.delay(forAttempt: 3)))
        #expect((Duration.seconds(24)...Duration.seconds(30)).contains(backoff.delay(forAttempt: 40)))
    }
}
