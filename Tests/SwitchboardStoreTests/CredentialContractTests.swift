import SwitchboardCore
import SwitchboardStore
import Testing

/// Agents' password hashes.
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
