import ArgumentParser
import Foundation
import SwitchboardPostgres
import SwitchboardStore

/// `switchboard reports`: tools for the report aggregates (docs/reports.md).
struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Work with the report aggregates.",
        subcommands: [Rebuild.self])

    /// `switchboard reports rebuild`: recomputes every aggregate from the records.
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the report aggregates from the session and status records, replacing them.",
            discussion: """
                Runs in one transaction: the reports are either all rebuilt or unchanged. With the \
                SQLite store it may run beside the server; a PostgreSQL store is held by its server, \
                so use POST /api/v1/reports/rebuild there instead.
                """)

        @Option(name: .customLong("data-dir"), help: "Directory with the SQLite database (SWITCHBOARD_DATA_DIR).")
        var dataDirectory: String = environment("DATA_DIR") ?? "./data"

        @Option(name: .customLong("database-url"), help: "The PostgreSQL store instead: postgres://user:password@host:port/database (SWITCHBOARD_DATABASE_URL).")
        var databaseURL: String? = environment("DATABASE_URL")

        func run() async throws {
            let store: any RoutingStore
            if let databaseURL {
                let location: PostgresLocation
                do { location = try PostgresLocation(url: databaseURL) } catch { throw ValidationError("--database-url: \(error)") }
                do { store = try await PostgresRoutingStore.open(location) } catch { throw ValidationError("cannot open the database at \(location): \(error)") }
            } else {
                let path = (dataDirectory as NSString).appendingPathComponent("switchboard.sqlite")
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ValidationError("there is no store at \(path): give the server's --data-dir")
                }
                do { store = try SQLiteRoutingStore(path: path) } catch { throw ValidationError("cannot open the database at \(path): \(error)") }
            }
            let started = ContinuousClock.now
            do {
                let summary = try await store.rebuildReports()
                try await store.close()
                print("rebuilt the reports from \(summary.sessions) sessions (\(summary.historyLines) history lines) and \(summary.statusChanges) status changes: \(summary.intervalRows) interval rows, \(summary.statusRows) status-time rows, in \(ContinuousClock.now - started)")
            } catch {
                try? await store.close()
                throw ValidationError("the reports were not rebuilt (nothing changed): \(error)")
            }
        }
    }
}
