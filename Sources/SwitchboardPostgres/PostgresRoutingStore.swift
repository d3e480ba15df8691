import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SwitchboardStore

/// The PostgreSQL backend of ``RoutingStore``: the same statements as SQLite (``SQLRoutingStore``)
/// on one connection to an existing PostgreSQL server, for deployments that outgrow one machine.
///
/// Every transaction runs on the store's own serial thread, one after another, as GRDB runs
/// SQLite's writer: a write's `COMMIT` has returned (and PostgreSQL's default
/// `synchronous_commit = on` has flushed its WAL) before the call returns, so an acknowledgement
/// sent after it survives a crash of either machine. Reads share that connection for now; a
/// follower node reading its own replica is the next step (docs/server.md).
public final class PostgresRoutingStore: SQLRoutingStore, @unchecked Sendable {
    /// Where the store is, without its password.
    public let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    /// The one thread transactions run on; `connection` is used (and replaced) nowhere else.
    private let queue = DispatchQueue(label: "switchboard.store.postgres")
    private var connection: PostgresConnection

    /// Any number every node agrees on: the session-level advisory lock the one server using a
    /// database holds for as long as it is connected ("SWBDHOLD").
    static let holderLock: Int64 = 0x5357_4244_484F_4C44

    private init(location: PostgresLocation, configuration: PostgresConnection.Configuration, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.configuration = configuration
        self.connection = connection
        self.logger = logger
    }

    /// Connects, takes the database for this process and brings the schema up to date (under
    /// an advisory lock, so processes starting together migrate once).
    /// - Throws: ``StoreError`` with code `.database`, saying what failed and where: another
    ///   server already holds the database, it cannot be reached, or its schema cannot be made.
    public static func open(_ location: PostgresLocation, logger: Logger = Logger(label: "switchboard.store.postgres")) async throws -> PostgresRoutingStore {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: try tls(location.tls))
        } catch {
            throw StoreError(.database, "cannot set up TLS for the store at \(location): \(describe(error))")
        }
        let connection = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresConnection, any Error>) in
            // Connecting waits on the event loop's futures: off the Swift concurrency threads.
            DispatchQueue.global().async {
                continuation.resume(with: Result { try connect(configuration, location, logger) })
            }
        }
        let store = PostgresRoutingStore(location: location, configuration: configuration, connection: connection, logger: logger)
        do {
            try await store.write("bringing the schema up to date") { db in try PostgresSchema.migrate(db) }
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// A new connection, set up as every one of this store's must be: commits flushed before
    /// they return whatever the server's or role's default, and the database held by this
    /// process alone (the routing core is in memory: a second writer would diverge from it).
    private static func connect(_ configuration: PostgresConnection.Configuration, _ location: PostgresLocation, _ logger: Logger) throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            throw StoreError(.database, "cannot connect to the store at \(location): \(describe(error))")
        }
        let database = PostgresSQLDatabase(connection: connection, logger: logger)
        do {
            try database.execute("SET synchronous_commit = on", [])
            let held = try database.rows("SELECT pg_try_advisory_lock(?) AS held", [holderLock]).first?.columns["held"]
            guard held == .integer(1) else {
                _ = try? connection.close().wait()
                throw StoreError(.database, "another Switchboard server is using the store at \(location): one server per database (several nodes with a leader are not supported yet); stop the other one first")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            _ = try? connection.close().wait()
            throw StoreError(.database, "cannot set up the connection to the store at \(location): \(describe(error))")
        }
        return connection
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        // As libpq: prefer and require encrypt without checking whose certificate it is
        // (a self-signed server certificate is the common case); verify-full checks it.
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: unverified))
        case .require: return .require(try NIOSSLContext(configuration: unverified))
        case .verifyFull: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    public func close() async throws {
        let connection = queue.sync { self.connection }
        do {
            try await connection.close()
        } catch {
            throw StoreError(.database, "cannot close the store at \(location): \(Self.describe(error))")
        }
    }

    // MARK: Transactions

    public func write<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(what, begin: "BEGIN ISOLATION LEVEL READ COMMITTED", work)
    }

    /// Repeatable read: the whole read sees one committed state, as SQLite's read transactions do.
    public func read<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(what, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work)
    }

    private func transaction<T: Sendable>(
        _ what: String, begin: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async { [self] in
                // A connection lost since the last transaction (the database restarted, a
                // failover, a network reset) is replaced before this one begins; nothing of an
                // earlier transaction is retried, since each answered its caller already.
                if connection.isClosed {
                    do {
                        connection = try Self.connect(configuration, location, logger)
                        logger.notice("reconnected to the store", metadata: ["store": "\(location)"])
                    } catch {
                        continuation.resume(throwing: error)
                        return
                    }
                }
                let database = PostgresSQLDatabase(connection: connection, logger: logger)
                do {
                    try database.execute(begin, [])
                } catch {
                    continuation.resume(throwing: StoreError(.database, "\(what) failed: cannot begin a transaction: \(Self.describe(error))"))
                    return
                }
                do {
                    let result = try work(database)
                    try database.execute("COMMIT", [])
                    continuation.resume(returning: result)
                } catch {
                    // Nothing of it stays: a failed statement has already aborted the transaction.
                    try? database.execute("ROLLBACK", [])
                    continuation.resume(throwing: error is StoreError ? error : StoreError(.database, "\(what) failed: \(Self.describe(error))"))
                }
            }
        }
    }

    /// PostgreSQL's own words for an error (its message and SQLSTATE), not the driver's summary.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let server = error.serverInfo, let message = server[.message] {
                let state = server[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                let detail = server[.detail].map { ": \($0)" } ?? ""
                return message + detail + state
            }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}
