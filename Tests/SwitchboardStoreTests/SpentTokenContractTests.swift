import SwitchboardCore
import SwitchboardStore
import Testing

/// Single-use login tokens (`OnlyOnce`): spent once, refused after, forgotten once expired.
@Suite("Spent-token contract")
struct SpentTokenContractTests {
    @Test(arguments: StoreBackend.all)
    func aTokenIsSpentOnceAndForgottenOnceItHasExpired(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            let store = try await location.open()
            let now = Timestamp(seconds: 1_000)
            #expect(try await store.spendToken(id: "t-1", expiresAt: now.adding(seconds: 600), now: now))
            #expect(try await !store.spendToken(id: "t-1", expiresAt: now.adding(seconds: 600), now: now.adding(seconds: 1)), "a second login with it is refused")
            #expect(try await store.spendToken(id: "t-2", expiresAt: now.adding(seconds: 600), now: now), "another token is its own")
            try await store.close()
            // Spent survives reopening: a restart does not make a used token usable again.
            let reopened = try await location.open()
            #expect(try await !reopened.spendToken(id: "t-1", expiresAt: now.adding(seconds: 600), now: now.adding(seconds: 2)))
            // Once expired the row is pruned; the token itself is refused by its expiry then.
            #expect(try await reopened.spendToken(id: "t-1", expiresAt: now.adding(seconds: 2_000), now: now.adding(seconds: 601)))
            try await reopened.close()
        }
    }
}
