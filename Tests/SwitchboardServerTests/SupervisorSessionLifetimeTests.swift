import Foundation
import Synchronization
import SwitchboardCore
@testable import SwitchboardServer
@testable import SwitchboardStore
import Testing

/// A supervisor session's idle timeout and lifetime, on a clock the test moves, against a real
/// store: used sessions stay, idle ones and old ones end, and the last use is recorded sparingly.
@Suite("Supervisor session lifetimes")
struct SupervisorSessionLifetimeTests {
    final class TestClock: Sendable {
        private let now = Mutex(Timestamp(seconds: 1_800_000_000))
        var time: Timestamp { now.withLock { $0 } }
        func advance(seconds: Int) { now.withLock { $0 = $0.adding(seconds: seconds) } }
    }

    /// Sessions on their own store, idle timeout 600 s, lifetime 3600 s, and a stand-in for
    /// bcrypt (hash "$2test:<password>") so nothing waits.
    private func withSessions(_ body: (SupervisorSessions, TestClock, SQLiteRoutingStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-supervisor-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteRoutingStore(path: directory + "/db.sqlite")
        let clock = TestClock()
        let passwords = await AgentAuthenticator(
            signingSecret: String(repeating: "s", count: 32), tokenLifetimeSeconds: 3600, store: store, application: 1_400_000_000, clock: { clock.time },
            verifyHash: { password, hash in hash == "$2test:" + password })
        var policy = SupervisorSessionPolicy()
        policy.idleTimeoutSeconds = 600
        policy.lifetimeSeconds = 3600
        let sessions = SupervisorSessions(
            store: store, passwords: passwords, policy: policy, speaksTLS: false, signingSecret: String(repeating: "s", count: 32),
            clock: { clock.time })
        try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "$2test:right password", at: clock.time)
        try await body(sessions, clock, store)
        try await store.close()
    }

    @Test func anUnusedSessionEndsAfterTheIdleTimeoutAndAUsedOneAtItsLifetime() async throws {
        try await withSessions { sessions, clock, store in
            let (idle, signedIn) = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            #expect(signedIn.expiresAt == clock.time.adding(seconds: 600))
            let (used, _) = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")

            // Used every 5 minutes, one session outlives the idle timeout; the other does not.
            for _ in 1...2 {
                clock.advance(seconds: 300)
                #expect(try await sessions.session(secret: used) != nil)
            }
            clock.advance(seconds: 1)
            #expect(try await sessions.session(secret: idle) == nil, "unused for 601 s")
            #expect(try await store.supervisorSession(tokenHash: SupervisorSessions.hash(idle)) == nil, "an ended session is deleted when met")

            // However much it is used, the lifetime ends it; the expiry it reports says so.
            while clock.time < Timestamp(seconds: 1_800_000_000 + 3600 - 300) {
                clock.advance(seconds: 300)
                let current = try #require(try await sessions.session(secret: used))
                #expect(current.expiresAt <= Timestamp(seconds: 1_800_000_000 + 3600))
            }
            clock.advance(seconds: 300)
            #expect(try await sessions.session(secret: used) == nil, "past its one-hour lifetime")
        }
    }

    @Test func theLastUseIsRecordedAtMostOncePerGranularity() async throws {
        try await withSessions { sessions, clock, store in
            let (secret, _) = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            let start = clock.time
            clock.advance(seconds: 30)
            _ = try await sessions.session(secret: secret)
            // 600 s idle: recorded when a minute has passed, not on every request.
            #expect(try await store.supervisorSession(tokenHash: SupervisorSessions.hash(secret))?.lastUsedAt == start)
            clock.advance(seconds: 30)
            _ = try await sessions.session(secret: secret)
            #expect(try await store.supervisorSession(tokenHash: SupervisorSessions.hash(secret))?.lastUsedAt == clock.time)
        }
    }

    @Test func signingInSweepsSessionsThatEnded() async throws {
        try await withSessions { sessions, clock, store in
            _ = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            _ = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            clock.advance(seconds: 601)
            _ = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            #expect(try await store.inspect("SELECT COUNT(*) FROM supervisor_sessions") == [["1"]])
        }
    }

    @Test func theCSRFTokenBelongsToItsSessionAlone() async throws {
        try await withSessions { sessions, _, _ in
            let (first, signedIn) = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            let (second, _) = try await sessions.signIn(userId: "ada", password: "right password", from: "192.0.2.1")
            #expect(sessions.isCSRFToken(signedIn.csrfToken, for: first))
            #expect(!sessions.isCSRFToken(signedIn.csrfToken, for: second))
            #expect(!sessions.isCSRFToken("", for: first))
            #expect(signedIn.csrfToken != first, "the token is not the cookie's secret")
        }
    }
}
