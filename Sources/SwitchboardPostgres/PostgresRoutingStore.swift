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
    private let connection: PostgresConnection
    private let logger: Logger
    /// The one thread transactions run on; the connection is used from nowhere else.
    private let queue = DispatchQueue(label: "switchboard.store.postgres")

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Connects and brings the schema up to date (under an advisory lock, so nodes starting
    /// together migrate once).
    /// - Throws: ``StoreError`` with code `.database`, saying what failed and where.
    public static func open(_ location: PostgresLocation, logger: Logger = Logger(label: "switchboard.store.postgres")) async throws -> PostgresRoutingStore {
        let connection: PostgresConnection
        do {
            let configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: try tls(location.tls))
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        } catch {
            throw StoreError(.database, "cannot connect to the store at \(location): \(describe(error))")
        }
        let store = PostgresRoutingStore(location: location, connection: connection, logger: logger)
        do {
            try await store.write("bringing the schema up to date") { db in try PostgresSchema.migrate(db) }
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    public func close() async throws {
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
        let database = PostgresSQLDatabase(connection: connection, logger: logger)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async {
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
