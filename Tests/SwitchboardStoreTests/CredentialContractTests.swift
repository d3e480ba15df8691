import SwitchboardCore
import SwitchboardStore
import Testing

/// Agents' password hashes, token revocations and login locks.
@Suite struct CredentialContractTests {
    @Test(arguments: StoreBackend.all)
    func aPasswordHashIsSetReplacedAndRead(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.passwordHash(for: "alice") == nil)
            try await store.setPasswordHash("$argon2id$first", for: "alice")
            try await store.setPasswordHash("$argon2id$bob", for: "bob")
            #expect(try await store.passwordHash(for: "alice") == "$argon2id$first")
            try await store.setPasswordHash("$argon2id$second", for: "alice")
            #expect(try await store.passwordHash(for: "alice") == "$argon2id$second")
            #expect(try await store.passwordHash(for: "bob") == "$argon2id$bob")
        }
    }

    @Test(arguments: StoreBackend.all)
    func removingAnAgentRemovesItsPassword(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"], online: false)
            try recorder.agent("bob", in: ["sales"], online: false)
            try await store.append(recorder.take())
            try await store.setPasswordHash("hash-a", for: "alice")
            try await store.setPasswordHash("hash-b", for: "bob")
            try recorder.run(.removeAgent("alice"))
            try await store.append(recorder.take())
            #expect(try await store.passwordHash(for: "alice") == nil)
            #expect(try await store.passwordHash(for: "bob") == "hash-b")
        }
    }

    @Test(arguments: StoreBackend.all)
    func aLoginLockSurvivesReopeningUntilLifted(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            var store = try await location.open()
            #expect(try await store.loginLock(of: "alice") == nil)
            try await store.lockLogins(of: "alice", at: Timestamp(seconds: 100), failures: 20)
            // Locking again keeps the first time and the larger count.
            try await store.lockLogins(of: "alice", at: Timestamp(seconds: 200), failures: 21)
            try await store.lockLogins(of: "alice", at: Timestamp(seconds: 300), failures: 3)
            #expect(try await store.loginLock(of: "bob") == nil)
            try await store.close()

            store = try await location.open()
            #expect(try await store.loginLock(of: "alice") == LoginLock(lockedAt: Timestamp(seconds: 100), failures: 21))
            #expect(try await store.unlockLogins(of: "alice"))
            #expect(try await store.unlockLogins(of: "alice") == false, "nothing left to lift")
            #expect(try await store.unlockLogins(of: "bob") == false)
            try await store.close()

            store = try await location.open()
            #expect(try await store.loginLock(of: "alice") == nil)
            try await store.close()
        }
    }

    @Test(arguments: StoreBackend.all)
    func removingOrCreatingAnAgentLiftsItsLoginLock(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"], online: false)
            try recorder.agent("bob", in: ["sales"], online: false)
            try await store.append(recorder.take())
            try await store.lockLogins(of: "alice", at: Timestamp(seconds: 1), failures: 20)
            try await store.lockLogins(of: "bob", at: Timestamp(seconds: 2), failures: 20)
            try recorder.run(.removeAgent("alice"))
            try await store.append(recorder.take())
            #expect(try await store.loginLock(of: "alice") == nil, "a new agent with the same id starts unlocked")
            #expect(try await store.loginLock(of: "bob") == LoginLock(lockedAt: Timestamp(seconds: 2), failures: 20))
            // Changing an agent keeps its lock; creating one under a locked id (guessed at before it
            // existed) starts it unlocked.
            try recorder.run(.upsertAgent(AgentProfile(id: "bob", name: "Bob")))
            try await store.lockLogins(of: "carol", at: Timestamp(seconds: 3), failures: 20)
            try recorder.run(.createAgent(AgentProfile(id: "carol", name: "Carol")))
            try await store.append(recorder.take())
            #expect(try await store.loginLock(of: "bob") != nil)
            #expect(try await store.loginLock(of: "carol") == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func serverStartsAreNumberedUpwardsAcrossReopening(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            var store = try await location.open()
            #expect(try await store.recordServerStart(at: Timestamp(seconds: 10)) == 1)
            #expect(try await store.recordServerStart(at: Timestamp(seconds: 20)) == 2)
            try await store.close()
            store = try await location.open()
            #expect(try await store.recordServerStart(at: Timestamp(seconds: 5)) == 3, "not reused, whatever the clock says")
            try await store.close()
        }
    }
}
