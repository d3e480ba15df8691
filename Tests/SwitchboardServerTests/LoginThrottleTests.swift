import SwitchboardCore
@testable import SwitchboardServer
import Testing

/// The pacing rules of failed password logins, driven by hand-set times.
@Suite("Login throttle")
struct LoginThrottleTests {
    private static let start = Timestamp(seconds: 1_000_000)

    /// One failed attempt, which must have been allowed.
    private func fail(_ throttle: inout LoginThrottle, _ account: String = "alice", from address: String = "10.0.0.1", at time: Timestamp) -> LoginThrottle.Outcome? {
        guard throttle.admit(account: account, address: address, now: time) == .allowed else { return nil }
        return throttle.finish(account: account, address: address, succeeded: false, now: time)
    }

    @Test func waitsGrowFromTheFifthFailureAndSuccessStartsAgain() {
        var throttle = LoginThrottle(policy: LoginPolicy())
        var now = Self.start
        for _ in 1...4 { #expect(fail(&throttle, at: now) == .failed(retryAfterSeconds: 0)) }
        #expect(fail(&throttle, at: now) == .failed(retryAfterSeconds: 1))
        #expect(throttle.admit(account: "alice", address: "10.0.0.1", now: now) == .wait(seconds: 1, for: .account("alice")))
        // Each further failure doubles the wait: 2 s, 4 s, 8 s ...
        var wait = 1
        for expected in [2, 4, 8, 16, 32, 60, 60] {
            now = now.adding(seconds: wait)
            #expect(fail(&throttle, at: now) == .failed(retryAfterSeconds: expected), "after \(throttle.state(of: "alice", now: now).failures) failures")
            wait = expected
        }
        // A wait not yet over says how long is left, rounded up.
        #expect(throttle.admit(account: "alice", address: "10.0.0.1", now: now.adding(seconds: 59)) == .wait(seconds: 1, for: .account("alice")))
        // The right password (after the wait) clears the count.
        now = now.adding(seconds: 60)
        #expect(throttle.admit(account: "alice", address: "10.0.0.1", now: now) == .allowed)
        #expect(throttle.finish(account: "alice", address: "10.0.0.1", succeeded: true, now: now) == .succeeded)
        #expect(throttle.state(of: "alice", now: now).failures == 0)
        #expect(fail(&throttle, at: now) == .failed(retryAfterSeconds: 0))
    }

    @Test func failuresOlderThanTheWindowAreForgotten() {
        var throttle = LoginThrottle(policy: LoginPolicy())
        for _ in 1...5 { _ = fail(&throttle, at: Self.start) }
        #expect(throttle.state(of: "alice", now: Self.start).failures == 5)
        let later = Self.start.adding(seconds: 15 * 60)
        #expect(throttle.state(of: "alice", now: later).failures == 0)
        #expect(fail(&throttle, at: later) == .failed(retryAfterSeconds: 0))
    }

    @Test func theTwentiethFailureLocksUntilReset() {
        var throttle = LoginThrottle(policy: LoginPolicy())
        var now = Self.start
        var outcome: LoginThrottle.Outcome?
        for _ in 1...20 {
            outcome = fail(&throttle, at: now)
            now = now.adding(seconds: 60)
        }
        #expect(outcome == .lockedNow(failures: 20))
        // Locked: neither waiting nor the window lifts it.
        #expect(throttle.admit(account: "alice", address: "10.0.0.9", now: now.adding(seconds: 86_400)) == .locked)
        #expect(throttle.state(of: "alice", now: now).locked)
        throttle.reset(account: "alice")
        #expect(throttle.admit(account: "alice", address: "10.0.0.9", now: now) == .allowed)
    }

    @Test func attemptsInFlightCountAgainstTheFreeOnes() {
        var throttle = LoginThrottle(policy: LoginPolicy())
        // Five concurrent guesses pass; the sixth waits for them to settle.
        for _ in 1...5 { #expect(throttle.admit(account: "alice", address: "10.0.0.1", now: Self.start) == .allowed) }
        #expect(throttle.admit(account: "alice", address: "10.0.0.1", now: Self.start) == .wait(seconds: 1, for: .account("alice")))
        // An attempt withdrawn (never checked) counts for nothing.
        throttle.withdraw(account: "alice", address: "10.0.0.1")
        #expect(throttle.admit(account: "alice", address: "10.0.0.1", now: Self.start) == .allowed)
        for _ in 1...5 { _ = throttle.finish(account: "alice", address: "10.0.0.1", succeeded: false, now: Self.start) }
        #expect(throttle.state(of: "alice", now: Self.start).failures == 5)
    }

    @Test func anAddressWaitsAfterTwentyFailuresAcrossUserIds() {
        var throttle = LoginThrottle(policy: LoginPolicy())
        for index in 1...20 { _ = fail(&throttle, "user-\(index)", from: "203.0.113.7", at: Self.start) }
        #expect(throttle.admit(account: "someone-else", address: "203.0.113.7", now: Self.start) == .wait(seconds: 1, for: .address))
        // Other addresses are not held up, and success does not clear an address's count.
        #expect(throttle.admit(account: "someone-else", address: "203.0.113.8", now: Self.start) == .allowed)
    }

    @Test func settingsOutOfRangeAreNamed() {
        #expect(throws: Never.self) { try LoginPolicy().validate() }
        var policy = LoginPolicy()
        policy.concurrentChecks = 0
        #expect { try policy.validate() } throws: { "\($0)".contains("login concurrency must be 1 to 64") }
        policy = LoginPolicy()
        policy.accountLockAfter = -1
        #expect { try policy.validate() } throws: { "\($0)".contains("or 0 for never") }
    }

    @Test func theTablesStayBounded() {
        var policy = LoginPolicy()
        policy.trackedKeys = 100
        var throttle = LoginThrottle(policy: policy)
        for index in 0..<1000 {
            _ = fail(&throttle, "user-\(index)", from: "10.0.\(index / 250).\(index % 250)", at: Self.start.adding(seconds: index))
        }
        #expect(throttle.accounts.count <= 100 && throttle.addresses.count <= 100)
        // The most recent stay tracked.
        #expect(throttle.state(of: "user-999", now: Self.start.adding(seconds: 1000)).failures == 1)
        // A success from a clean address leaves nothing behind.
        var clean = LoginThrottle(policy: policy)
        #expect(clean.admit(account: "bob", address: "10.9.9.9", now: Self.start) == .allowed)
        #expect(clean.finish(account: "bob", address: "10.9.9.9", succeeded: true, now: Self.start) == .succeeded)
        #expect(clean.accounts.isEmpty && clean.addresses.isEmpty)
    }
}
