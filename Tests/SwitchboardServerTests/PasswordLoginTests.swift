import Dispatch
import Foundation
import Logging
import Synchronization
import SwitchboardCore
import SwitchboardProtocol
@testable import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Password logins a hostile internet cannot abuse: the same answer and work for unknown user
/// ids, growing waits and a durable lock an admin lifts, bcrypt on bounded threads of its own,
/// and routing that stays responsive while wrong passwords flood in.
@Suite("Password logins", .serialized)
struct PasswordLoginTests {
    /// Sends a password hello and returns the error frame that refuses it (or the welcome).
    private func attempt(_ server: TestServer, _ userId: String, _ password: String, timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let agent = try await TestAgent.connect(port: server.port)
        agent.socket.send(#"{"v":1,"type":"hello","userId":"\#(userId)","password":"\#(password)"}"#)
        return try await agent.socket.next("welcome or error", timeout: timeout) { $0["type"]?.string == "welcome" || $0["type"]?.string == "error" }
    }

    /// The hashes bcrypt was asked to check against, in order.
    final class VerificationLog: Sendable {
        let hashes = Mutex<[String]>([])
        var verifier: PasswordHashVerifier {
            { password, hash in
                self.hashes.withLock { $0.append(hash) }
                return AgentAuthenticator.bcryptVerifier(password, hash)
            }
        }
        func take() -> [String] { hashes.withLock { let taken = $0; $0 = []; return taken } }
    }

    // MARK: Unknown user ids

    @Test func theDummyHashIsARealBcryptHashOfTheSameCost() {
        let hash = AgentAuthenticator.unknownUserHash
        #expect(hash.hasPrefix("$2b$\(String(format: "%02d", AgentAuthenticator.bcryptCost))$"))
        // A well-formed hash, so checking it runs every round.
        #expect(AgentAuthenticator.bcryptVerifier("switchboard: no agent has this password", hash))
        #expect(!AgentAuthenticator.bcryptVerifier("anything else", hash))
    }

    @Test func unknownUserIdsGetTheSameAnswerAfterTheSameWork() async throws {
        let log = VerificationLog()
        try await TestServer.run(verifyPasswordHash: log.verifier) { server in
            try await server.createAgent(#"{"id":"alice","password":"alice-secret"}"#)
            try await server.createAgent(#"{"id":"gone","password":"gone-secret"}"#)
            #expect(try await server.api(.delete, "/api/v1/agents/gone").status == .noContent)
            _ = log.take()

            let known = try await attempt(server, "alice", "wrong-password")
            let knownHashes = log.take()
            let unknown = try await attempt(server, "mallory", "wrong-password")
            let unknownHashes = log.take()
            let deleted = try await attempt(server, "gone", "gone-secret")
            let deletedHashes = log.take()

            for refusal in [known, unknown, deleted] {
                #expect(refusal["code"]?.string == "notAuthenticated")
                #expect(refusal["message"]?.string == "wrong user id or password")
                #expect(refusal["retryAfter"] == nil)
            }
            // One bcrypt check each: alice's own hash; the dummy for an id with no usable hash.
            #expect(knownHashes.count == 1 && knownHashes.first?.hasPrefix("$2") == true && knownHashes.first != AgentAuthenticator.unknownUserHash)
            #expect(unknownHashes == [AgentAuthenticator.unknownUserHash])
            #expect(deletedHashes == [AgentAuthenticator.unknownUserHash])

            // The figure for the report (not asserted): wall time of a wrong login, known against
            // unknown, measured in turns so that load on the machine falls on both alike.
            var times: [String: [Double]] = [:]
            for _ in 0..<4 {
                for userId in ["alice", "mallory"] {
                    let took = try await ContinuousClock().measure { _ = try await attempt(server, userId, "wrong-password") }
                    times[userId, default: []].append(Double(took.components.seconds * 1000) + Double(took.components.attoseconds) / 1e15)
                }
            }
            func median(_ values: [Double]) -> String { String(format: "%.1f", values.sorted()[values.count / 2]) }
            print("figure: wrong password login, median of 4: known id \(median(times["alice"]!)) ms, unknown id \(median(times["mallory"]!)) ms")
        }
    }

    // MARK: Waits and locks, on a test clock

    /// Time that moves only when the test says.
    final class TestClock: Sendable {
        private let now = Mutex(Timestamp(seconds: 1_700_000_000))
        var time: Timestamp { now.withLock { $0 } }
        func advance(seconds: Int) { now.withLock { $0 = $0.adding(seconds: seconds) } }
    }

    /// An authenticator on its own store, with a clock the test sets and a stand-in for bcrypt
    /// (hash "test:<password>"), so the rules run without real waits.
    private func withAuthenticator(
        _ configure: (inout LoginPolicy) -> Void = { _ in },
        _ body: (AgentAuthenticator, TestClock, any RoutingStore) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-login-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteRoutingStore(path: directory + "/db.sqlite")
        var policy = LoginPolicy()
        configure(&policy)
        let now = TestClock()
        let authenticator = await AgentAuthenticator(
            signingSecret: String(repeating: "s", count: 32), tokenLifetimeSeconds: 3600, store: store, application: 1_400_000_000, logins: policy,
            clock: { now.time }, verifyHash: { password, hash in hash == "$2test:" + password })
        try await store.setPasswordHash("$2test:right-password", for: "alice")
        try await body(authenticator, now, store)
        try await store.close()
    }

    /// The refusal of one login, or nil when it succeeded.
    private func refusal(_ authenticator: AgentAuthenticator, _ agent: AgentID, _ password: String, from address: String = "198.51.100.1") async -> AuthenticationFailure? {
        do {
            try await authenticator.login(password: password, for: agent, from: address)
            return nil
        } catch {
            return error
        }
    }

    @Test func failedLoginsEarnGrowingWaitsAndThenALock() async throws {
        try await withAuthenticator({ $0.accountLockAfter = 9 }) { authenticator, now, store in
            // Known and unknown ids go through exactly the same answers.
            for userId in ["alice", "mallory"] {
                let agent = AgentID(userId)
                for _ in 1...4 { #expect(await refusal(authenticator, agent, "guess")?.description == "wrong user id or password") }
                let fifth = await refusal(authenticator, agent, "guess")
                #expect(fifth?.description == "wrong user id or password; retry in 1 s")
                #expect(fifth?.retryAfterSeconds == 1)
                // Trying before the wait is over: refused without a check, and nothing changes.
                let early = await refusal(authenticator, agent, "right-password")
                #expect(early?.description == "too many failed logins for user '\(userId)'; retry in 1 s")
                #expect(early?.retryAfterSeconds == 1)
                #expect(try await authenticator.loginLockState(of: agent).recentFailures == 5)
                var wait = 1
                for expected in [2, 4, 8] {
                    now.advance(seconds: wait)
                    #expect(await refusal(authenticator, agent, "guess")?.description == "wrong user id or password; retry in \(expected) s")
                    wait = expected
                }
                now.advance(seconds: wait)
                // The ninth failure locks: the answer says so, and so does the store.
                let ninth = await refusal(authenticator, agent, "guess")
                #expect(ninth?.description == "wrong user id or password; too many failed logins for user '\(userId)': its password logins are locked; ask an administrator to unlock them")
                #expect(ninth?.retryAfterSeconds == nil)
                #expect(try await store.loginLock(of: agent)?.failures == 9)
                now.advance(seconds: 86_400)
                let locked = await refusal(authenticator, agent, "right-password")
                #expect(locked?.description == "too many failed logins for user '\(userId)': its password logins are locked; ask an administrator to unlock them")
                let state = try await authenticator.loginLockState(of: agent)
                #expect(state.locked && state.lockedAt != nil && state.retryAfterSeconds == nil)
            }
            // The admin lifts alice's lock: the right password works and the count starts again.
            try await authenticator.unlockLogins(of: "alice")
            #expect(try await store.loginLock(of: "alice") == nil)
            #expect(await refusal(authenticator, "alice", "right-password") == nil)
            #expect(try await authenticator.loginLockState(of: "alice").recentFailures == 0)
        }
    }

    @Test func aSuccessfulLoginClearsTheAccountsFailuresButNotTheAddresss() async throws {
        try await withAuthenticator({ $0.addressDelayAfter = 8 }) { authenticator, now, _ in
            for _ in 1...4 { _ = await refusal(authenticator, "alice", "guess") }
            #expect(await refusal(authenticator, "alice", "right-password") == nil)
            let cleared = try await authenticator.loginLockState(of: "alice")
            #expect(cleared.recentFailures == 0)
            for _ in 1...3 { #expect(await refusal(authenticator, "alice", "guess")?.description == "wrong user id or password") }
            // Eight failures from one address, whatever the user ids: that address waits, others do not.
            #expect(await refusal(authenticator, "alice", "guess")?.description == "wrong user id or password; retry in 1 s")
            let refused = await refusal(authenticator, "bob", "guess")
            #expect(refused?.description == "too many failed logins from this address; retry in 1 s")
            #expect(refused?.retryAfterSeconds == 1)
            #expect(await refusal(authenticator, "alice", "right-password", from: "198.51.100.2") == nil)
            // Quiet for the window: the address starts afresh.
            now.advance(seconds: 15 * 60)
            #expect(await refusal(authenticator, "bob", "guess")?.description == "wrong user id or password")
        }
    }

    // MARK: Durable lock and the admin API

    @Test func aLockSurvivesARestartUntilAnAdminLiftsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let strict: (inout ServerConfiguration) -> Void = { $0.logins.accountLockAfter = 3 }
        try await TestServer.run(dataDirectory: directory, configure: strict) { server in
            try await server.createAgent(#"{"id":"alice","password":"alice-secret"}"#)
            let open = try await server.api(.get, "/api/v1/agents/alice/login-lock")
            #expect(open.status == .ok)
            #expect(open.json["locked"].bool == false && open.json["lockedAt"].isNull && open.json["recentFailures"].int == 0)
            for _ in 1...2 { #expect(try await attempt(server, "alice", "guess-guess")["message"]?.string == "wrong user id or password") }
            let third = try await attempt(server, "alice", "guess-guess")
            #expect(third["message"]?.string?.contains("its password logins are locked; ask an administrator to unlock them") == true)
            let refused = try await attempt(server, "alice", "alice-secret")
            #expect(refused["code"]?.string == "notAuthenticated")
            #expect(refused["message"]?.string == "too many failed logins for user 'alice': its password logins are locked; ask an administrator to unlock them")
            // A token still logs in: the lock is on password guessing.
            let (token, _) = try await server.components.authenticator.issueToken(for: "alice")
            try await TestAgent.connect(port: server.port).login(token: token)
        }
        try await TestServer.run(dataDirectory: directory, configure: strict) { server in
            let refused = try await attempt(server, "alice", "alice-secret")
            #expect(refused["message"]?.string?.contains("locked") == true, "the restart did not unlock: \(refused)")
            let lock = try await server.api(.get, "/api/v1/agents/alice/login-lock")
            #expect(lock.json["locked"].bool == true && lock.json["lockedAt"].int != nil && lock.json["recentFailures"].int == 3)

            #expect(try await server.api(.delete, "/api/v1/agents/alice/login-lock").status == .noContent)
            #expect(try await server.api(.get, "/api/v1/agents/alice/login-lock").json["locked"].bool == false)
            #expect(try await attempt(server, "alice", "alice-secret")["type"]?.string == "welcome")
            // Lifting again is harmless; unknown agents are 404 with the usual error.
            #expect(try await server.api(.delete, "/api/v1/agents/alice/login-lock").status == .noContent)
            let unknown = try await server.api(.get, "/api/v1/agents/nobody/login-lock")
            #expect(unknown.status == .notFound && unknown.json.errorCode == "unknownAgent")
            #expect(try await server.api(.delete, "/api/v1/agents/nobody/login-lock").status == .notFound)
            #expect(try await server.http(.delete, "/api/v1/agents/alice/login-lock").status == .unauthorized)
        }
    }

    // MARK: The bcrypt threads

    final class Counter: Sendable { let count = Mutex(0) }

    @Test func aFullQueueRefusesAtOnceAndChangesNothing() async throws {
        let gate = DispatchSemaphore(value: 0)
        let entered = Counter()
        // A slow bcrypt: each check waits for the test to let it go.
        let slow: PasswordHashVerifier = { password, hash in
            entered.count.withLock { $0 += 1 }
            gate.wait()
            return AgentAuthenticator.bcryptVerifier(password, hash)
        }
        try await TestServer.run(configure: { $0.logins.concurrentChecks = 1; $0.logins.waitingChecks = 1 }, verifyPasswordHash: slow) { server in
            try await server.createAgent(#"{"id":"alice","password":"alice-secret"}"#)
            let first = try await TestAgent.connect(port: server.port)
            first.socket.send(#"{"v":1,"type":"hello","userId":"alice","password":"wrong-one"}"#)
            let second = try await TestAgent.connect(port: server.port)
            second.socket.send(#"{"v":1,"type":"hello","userId":"bob","password":"wrong-two"}"#)
            // One check runs (blocked), one waits: the pool is full.
            while entered.count.withLock({ $0 }) < 1 || server.components.authenticator.hashing.jobsInside < 2 {
                try await Task.sleep(for: .milliseconds(10))
            }
            let refused = try await attempt(server, "carol", "wrong-three")
            #expect(refused["code"]?.string == "notAuthenticated")
            let message = try #require(refused["message"]?.string)
            #expect(message.hasPrefix("too many logins in progress; retry in ") && message.hasSuffix(" s"), "\(message)")
            #expect((refused["retryAfter"]?.int ?? 0) >= 1)
            // The refused attempt was not counted against carol.
            gate.signal()
            gate.signal()
            for agent in [first, second] {
                let answer = try await agent.socket.next("refusal") { $0["type"]?.string == "error" }
                #expect(answer["message"]?.string == "wrong user id or password")
            }
            #expect(server.components.authenticator.throttle.withLock { $0.state(of: "carol", now: Timestamp.now()).failures } == 0)
            #expect(try await server.api(.get, "/api/v1/agents/alice/login-lock").json["recentFailures"].int == 1)
            // With room again, logins go through.
            gate.signal()
            #expect(try await attempt(server, "alice", "alice-secret")["type"]?.string == "welcome")
        }
    }

    /// Whether the flood goes on, and how its attempts were answered.
    final class Flood: Sendable {
        let running = Mutex(true)
        let outcomes = Mutex<[String: Int]>([:])
    }

    @Test func routingStaysResponsiveWhileWrongPasswordsFlood() async throws {
        try await TestServer.run(configure: { $0.logins.addressDelayAfter = 100_000 }) { server in
            try await server.createGroup(#"{"id":"sales","offerTimeoutSeconds":600}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let alice = try await server.onlineAgent("alice", password: "alice-secret")

            /// Milliseconds from starting a chat to its offer reaching alice; the chat is then ended.
            func offerLatency() async throws -> Double {
                let clock = ContinuousClock()
                let started = clock.now
                let customer = try await server.customer(group: "sales")
                _ = try await alice.event("callIn", session: customer.sessionId, timeout: .seconds(10))
                let took = started.duration(to: clock.now)
                try await alice.call("Chat.accept", ["sessionId": .string(customer.sessionId)])
                try await alice.call("Chat.end", ["sessionId": .string(customer.sessionId)])
                return Double(took.components.seconds * 1000) + Double(took.components.attoseconds) / 1e15
            }
            var quiet: [Double] = []
            for _ in 0..<20 { quiet.append(try await offerLatency()) }

            // 50 concurrent wrong logins (distinct ids, so only the bcrypt queue holds them back),
            // in waves, while chats are started and offered.
            let flood = Flood()
            var during: [Double] = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        var round = 0
                        while flood.running.withLock({ $0 }) {
                            round += 1
                            // A check waiting behind the full queue on a busy machine may take a while.
                            let refusal = try await attempt(server, "intruder-\(index)-\(round)", "not-the-password", timeout: .seconds(60))
                            let full = refusal["message"]?.string?.hasPrefix("too many logins in progress") == true
                            flood.outcomes.withLock { $0[full ? "queue full" : "checked", default: 0] += 1 }
                            // A refused socket comes back at once; a short pause keeps the flood
                            // about bcrypt rather than about opening sockets.
                            if full { try await Task.sleep(for: .milliseconds(50)) }
                        }
                    }
                }
                // Measured once the flood is under way: the first refusals have come back.
                try await waitUntil("the flood is under way", timeout: .seconds(60)) { flood.outcomes.withLock { $0.values.reduce(0, +) } >= 4 }
                for _ in 0..<20 { during.append(try await offerLatency()) }
                flood.running.withLock { $0 = false }
                try await group.waitForAll()
            }
            #expect(during.count == 20, "every offer arrived during the flood")
            let counts = flood.outcomes.withLock { $0 }
            #expect(counts["checked", default: 0] > 0)
            func summary(_ values: [Double]) -> String {
                let sorted = values.sorted()
                return String(format: "median %.1f ms, max %.1f ms", sorted[sorted.count / 2], sorted.last ?? 0)
            }
            print("figure: chat start → callIn offer, quiet: \(summary(quiet)); during 50 concurrent wrong-password logins: \(summary(during)); attempts checked by bcrypt \(counts["checked", default: 0]), refused as queue full \(counts["queue full", default: 0])")
        }
    }
}
