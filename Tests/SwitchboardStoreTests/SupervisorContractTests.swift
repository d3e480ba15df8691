import SwitchboardCore
import SwitchboardStore
import Testing

/// Supervisor accounts, their sign-in sessions (kept by secret hash) and their login locks.
@Suite struct SupervisorContractTests {
    private let t0 = Timestamp(seconds: 1_000)

    @Test(arguments: StoreBackend.all)
    func anAccountIsCreatedReplacedListedAndKeepsItsCreationTime(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.supervisor("ada") == nil)
            #expect(try await store.supervisors().isEmpty)
            let created = try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "$2b$hash-1", at: t0)
            #expect(created == SavedSupervisor(
                account: SupervisorAccount(id: "ada", name: "Ada", role: .admin, hasPassword: true, createdAt: t0), created: true))
            try await store.saveSupervisor("bo", name: "Bo", role: .supervisor, passwordHash: nil, at: t0)

            // Replacing changes name and role, keeps the creation time and (without a hash) the password.
            let replaced = try await store.saveSupervisor("ada", name: "Ada L.", role: .supervisor, passwordHash: nil, at: t0.adding(seconds: 60))
            #expect(replaced.created == false)
            #expect(replaced.account == SupervisorAccount(id: "ada", name: "Ada L.", role: .supervisor, hasPassword: true, createdAt: t0))
            #expect(try await store.supervisorPasswordHash(for: "ada") == "$2b$hash-1")
            #expect(try await store.supervisorPasswordHash(for: "bo") == nil)
            #expect(try await store.supervisorPasswordHash(for: "nobody") == nil)
            #expect(try await store.supervisors().map(\.id) == ["ada", "bo"])
            #expect(try await store.supervisor("bo")?.hasPassword == false)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aSessionIsFoundByItsHashWithTheAccountAsItIsNow(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h1", at: t0)
            #expect(try await store.createSupervisorSession(.init(tokenHash: "token-a", supervisorId: "ada", createdAt: t0), verifiedHash: "h1"))
            let found = try #require(try await store.supervisorSession(tokenHash: "token-a"))
            #expect(found.account.role == .admin && found.createdAt == t0 && found.lastUsedAt == t0)
            #expect(try await store.supervisorSession(tokenHash: "token-b") == nil)

            // A changed role applies to the sessions already open.
            try await store.saveSupervisor("ada", name: "Ada", role: .supervisor, passwordHash: nil, at: t0)
            #expect(try await store.supervisorSession(tokenHash: "token-a")?.account.role == .supervisor)

            // Use moves forward only.
            try await store.touchSupervisorSession(tokenHash: "token-a", at: t0.adding(seconds: 90))
            try await store.touchSupervisorSession(tokenHash: "token-a", at: t0.adding(seconds: 30))
            #expect(try await store.supervisorSession(tokenHash: "token-a")?.lastUsedAt == t0.adding(seconds: 90))

            #expect(try await store.deleteSupervisorSession(tokenHash: "token-a"))
            #expect(try await store.deleteSupervisorSession(tokenHash: "token-a") == false)
            #expect(try await store.supervisorSession(tokenHash: "token-a") == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aSessionIsStoredOnlyWhileThePasswordChecked(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h1", at: t0)
            try await store.saveSupervisor("bo", name: "Bo", role: .admin, passwordHash: nil, at: t0)
            // The password changed (or never was) between the check and the write: nothing stored.
            #expect(try await store.createSupervisorSession(.init(tokenHash: "x", supervisorId: "ada", createdAt: t0), verifiedHash: "h0") == false)
            #expect(try await store.createSupervisorSession(.init(tokenHash: "y", supervisorId: "bo", createdAt: t0), verifiedHash: "h1") == false)
            #expect(try await store.createSupervisorSession(.init(tokenHash: "z", supervisorId: "gone", createdAt: t0), verifiedHash: "h1") == false)
            for hash in ["x", "y", "z"] { #expect(try await store.supervisorSession(tokenHash: hash) == nil) }
        }
    }

    @Test(arguments: StoreBackend.all)
    func aNewPasswordOrDeletionEndsTheAccountsSessionsOnly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h1", at: t0)
            try await store.saveSupervisor("bo", name: "Bo", role: .supervisor, passwordHash: "h2", at: t0)
            for (token, id, hash) in [("a1", "ada", "h1"), ("a2", "ada", "h1"), ("b1", "bo", "h2")] {
                #expect(try await store.createSupervisorSession(.init(tokenHash: token, supervisorId: SupervisorID(id), createdAt: t0), verifiedHash: hash))
            }
            #expect(try await store.setSupervisorPasswordHash("h3", for: "ada"))
            #expect(try await store.supervisorSession(tokenHash: "a1") == nil)
            #expect(try await store.supervisorSession(tokenHash: "a2") == nil)
            #expect(try await store.supervisorSession(tokenHash: "b1") != nil)
            #expect(try await store.supervisorPasswordHash(for: "ada") == "h3")
            #expect(try await store.setSupervisorPasswordHash("h4", for: "nobody") == false)
            #expect(try await store.supervisor("nobody") == nil, "setting a password creates no account")

            // A password given with save ends sessions too.
            #expect(try await store.createSupervisorSession(.init(tokenHash: "a3", supervisorId: "ada", createdAt: t0), verifiedHash: "h3"))
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h5", at: t0)
            #expect(try await store.supervisorSession(tokenHash: "a3") == nil)

            #expect(try await store.deleteSupervisor("bo"))
            #expect(try await store.deleteSupervisor("bo") == false)
            #expect(try await store.supervisorSession(tokenHash: "b1") == nil)
            #expect(try await store.supervisor("bo") == nil)
            #expect(try await store.supervisorPasswordHash(for: "bo") == nil)
            // Created again under the same id, it inherits no password and no session.
            try await store.saveSupervisor("bo", name: "Bo", role: .supervisor, passwordHash: nil, at: t0)
            #expect(try await store.supervisor("bo")?.hasPassword == false)
            #expect(try await store.supervisorSession(tokenHash: "b1") == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func expiredSessionsAreDeletedByLastUseOrCreation(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h1", at: t0)
            let sessions = [("old", 0, 0), ("idle", 100, 100), ("busy", 100, 900), ("new", 800, 800)]
            for (token, created, _) in sessions {
                _ = try await store.createSupervisorSession(.init(tokenHash: token, supervisorId: "ada", createdAt: t0.adding(seconds: created)), verifiedHash: "h1")
            }
            for (token, _, used) in sessions { try await store.touchSupervisorSession(tokenHash: token, at: t0.adding(seconds: used)) }
            // Idle: last used before 500 s; absolute: created before 50 s.
            let ended = try await store.deleteSupervisorSessions(lastUsedBefore: t0.adding(seconds: 500), createdBefore: t0.adding(seconds: 50))
            #expect(ended == 2)
            for (token, alive) in [("old", false), ("idle", false), ("busy", true), ("new", true)] {
                let found = try await store.supervisorSession(tokenHash: token)
                #expect((found != nil) == alive, "\(token)")
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func accountsSessionsAndLocksSurviveReopening(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            var store = try await location.open()
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h1", at: t0)
            _ = try await store.createSupervisorSession(.init(tokenHash: "a1", supervisorId: "ada", createdAt: t0), verifiedHash: "h1")
            try await store.lockSupervisorLogins(of: "mallory", at: t0, failures: 20)
            try await store.close()

            store = try await location.open()
            #expect(try await store.supervisor("ada")?.role == .admin)
            #expect(try await store.supervisorSession(tokenHash: "a1")?.account.id == "ada")
            #expect(try await store.supervisorLoginLock(of: "mallory") == LoginLock(lockedAt: t0, failures: 20))
            try await store.close()
        }
    }

    @Test(arguments: StoreBackend.all)
    func loginLocksAreKeptByIdAndLiftedByCreationDeletionOrUnlock(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.supervisorLoginLock(of: "ada") == nil)
            try await store.lockSupervisorLogins(of: "ada", at: t0, failures: 20)
            try await store.lockSupervisorLogins(of: "ada", at: t0.adding(seconds: 5), failures: 22)
            try await store.lockSupervisorLogins(of: "ada", at: t0.adding(seconds: 9), failures: 3)
            #expect(try await store.supervisorLoginLock(of: "ada") == LoginLock(lockedAt: t0, failures: 22))
            // An agent's lock and a supervisor's under one id are two things.
            #expect(try await store.loginLock(of: "ada") == nil)

            // Creating the account starts it unlocked; replacing it keeps a later lock.
            try await store.saveSupervisor("ada", name: "Ada", role: .admin, passwordHash: "h1", at: t0)
            #expect(try await store.supervisorLoginLock(of: "ada") == nil)
            try await store.lockSupervisorLogins(of: "ada", at: t0, failures: 20)
            try await store.saveSupervisor("ada", name: "Ada", role: .supervisor, passwordHash: nil, at: t0)
            #expect(try await store.supervisorLoginLock(of: "ada") != nil)
            #expect(try await store.unlockSupervisorLogins(of: "ada"))
            #expect(try await store.unlockSupervisorLogins(of: "ada") == false)

            try await store.lockSupervisorLogins(of: "ada", at: t0, failures: 20)
            try await store.deleteSupervisor("ada")
            #expect(try await store.supervisorLoginLock(of: "ada") == nil)
        }
    }
}
