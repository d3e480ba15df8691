import Foundation
import GRDB
import SwitchboardCore

/// The SQLite backend of ``RoutingStore``: one database file, for a single server process.
///
/// Runs on a GRDB `DatabasePool` in WAL mode, so the admin API's reads never wait for the routing
/// journal's writes. `synchronous = FULL` makes every commit reach the disk before the call
/// returns: the server acknowledges a command only after `append`, and that acknowledgement must
/// survive a power loss, not only a process crash.
public final class SQLiteRoutingStore: SQLRoutingStore {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path`, creating its parent directory, and
    /// brings its schema up to date.
    ///
    /// - Parameter busyTimeout: how long a write waits for another process holding the file
    ///   (a backup, a `sqlite3` shell) before failing.
    /// - Throws: ``StoreError`` with code `.database` when the file cannot be opened or migrated.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // Created here for the owner only: SQLite gives the -wal and -shm files the database's
            // mode, so the whole store stays private whatever the process's umask.
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            pool = try DatabasePool(path: path, configuration: Self.configuration(busyTimeout: busyTimeout))
            // GRDB sets NORMAL on the writer when it turns WAL on, after `prepareDatabase`; NORMAL
            // may lose the last commits on power loss. FULL syncs the WAL on every commit. The
            // pool keeps its one writer connection open, so this holds for every write.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteSchema.migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "cannot open the store at \(path): \(Self.describe(error))")
        }
    }

    private static func configuration(busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.label = "SwitchboardStore"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        return configuration
    }

    /// Closes every connection; later calls fail with a `.database` error.
    public func close() async throws {
        do {
            try pool.close()
        } catch {
            throw StoreError(.database, "cannot close the store at \(path): \(Self.describe(error))")
        }
    }

    // MARK: Database access with uniform errors

    /// Runs `work` in one write transaction on the pool's writer; any error rolls back
    /// everything it wrote.
    public func write<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in try work(GRDBDatabase(db: db)) }
        } catch {
            throw Self.storeError(error, what)
        }
    }

    /// Runs `work` in one read transaction, which sees a single committed state and never waits
    /// for the writer (WAL).
    public func read<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try work(GRDBDatabase(db: db)) }
        } catch {
            throw Self.storeError(error, what)
        }
    }

    private static func storeError(_ error: any Error, _ what: String) -> any Error {
        switch error {
        case is StoreError, is CancellationError: error
        default: StoreError(.database, "\(what) failed: \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            let message = error.message ?? "SQLite error"
            // The two an operator meets in practice, said plainly; SQLite's own words follow.
            switch error.resultCode {
            case .SQLITE_FULL:
                return "the disk is full (\(message), SQLite code \(error.extendedResultCode.rawValue))"
            case .SQLITE_IOERR, .SQLITE_READONLY:
                return "the database files cannot be written: a read-only file system or file, or a failing disk (\(message), SQLite code \(error.extendedResultCode.rawValue))"
            default:
                return "\(message) (\(error.resultCode))"
            }
        }
        return "\(error)"
    }
}
