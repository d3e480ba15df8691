import Foundation
import SwitchboardPostgres
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A backend the contract tests run against. Every contract test takes one as its argument, so a
/// new backend (PostgreSQL) joins every test by adding one line to ``all``.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    /// Shown in test names.
    let name: String
    /// Makes a fresh, empty place to keep a store (a temporary file, a scratch schema).
    let makeLocation: @Sendable () async throws -> StoreLocation

    var testDescription: String { name }

    /// Every backend under test.
    static let all: [StoreBackend] = [.sqlite, .postgres]

    static let sqlite = StoreBackend(name: "SQLite") {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-store-tests-\(UUID().uuidString)")
        // A directory that does not exist yet: the store must create it.
        let path = directory.appendingPathComponent("data/switchboard.sqlite").path
        return StoreLocation(
            open: { try SQLiteRoutingStore(path: path) },
            remove: { try? FileManager.default.removeItem(at: directory) })
    }
}

extension StoreBackend {
    /// A database of its own on a PostgreSQL server this test process started (PostgresServer).
    static let postgres = StoreBackend(name: "PostgreSQL") {
        let location = try await PostgresServer.shared.newDatabase()
        return StoreLocation(
            open: { try await PostgresRoutingStore.open(location) },
            remove: { await PostgresServer.shared.dropDatabase(location) })
    }
}

/// One place a store keeps its data; opening it again must see everything committed before.
struct StoreLocation: Sendable {
    /// Opens a store on this place (again).
    let open: @Sendable () async throws -> any RoutingStore
    /// Deletes the place and its data.
    let remove: @Sendable () async -> Void
}

extension StoreBackend {
    /// Runs `body` with a store on a fresh location, then closes and deletes it.
    func withStore(_ body: (any RoutingStore) async throws -> Void) async throws {
        try await withLocation { location in
            let store = try await location.open()
            do {
                try await body(store)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        }
    }

    /// Runs `body` with a fresh location, for tests that close and reopen stores, then deletes it.
    func withLocation(_ body: (StoreLocation) async throws -> Void) async throws {
        let location = try await makeLocation()
        do {
            try await body(location)
        } catch {
            await location.remove()
            throw error
        }
        await location.remove()
    }
}
