import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization
import SwitchboardStore

/// The PostgreSQL backend of ``RoutingStore``: the same statements as SQLite (``SQLRoutingStore``)
/// on an existing PostgreSQL server, for deployments that outgrow one machine.
///
/// Routing's transactions run on one connection and its own serial thread, one after another, as
/// GRDB runs SQLite's writer: a write's `COMMIT` has returned (and PostgreSQL's default
/// `synchronous_commit = on` has flushed its WAL) before the call returns, so an acknowledgement
/// sent after it survives a crash of either machine. Work beside routing (renewing the lease,
/// the webhook worker, reports and the live floor) runs on a second connection and thread
/// (``sideWrite(_:_:)``, ``sideRead(_:_:)``), so it neither waits behind a queue of commits nor
/// makes them wait: a fenced write there still takes the lease row's lock, so it is ordered
/// against the commit in progress, but not against the ones queued after it.
public final class PostgresRoutingStore: SQLRoutingStore, @unchecked Sendable {
    /// Where the store is, without its password.
    public let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    /// Routing's connection: its commits, and everything not said to run beside it.
    private let routingLane: Lane
    /// The connection for work beside routing, made at its first use.
    private let sideLane: Lane

    /// One connection and the serial thread that alone uses (and replaces) it.
    private final class Lane: @unchecked Sendable {
        let queue: DispatchQueue
        /// Nil until first used (the side lane); replaced when found closed.
        var connection: PostgresConnection?
        /// Whether a test's ``CommitFault`` applies here (routing's commits only).
        let takesCommitFaults: Bool

        init(label: String, connection: PostgresConnection?, takesCommitFaults: Bool) {
            queue = DispatchQueue(label: label)
            self.connection = connection
            self.takesCommitFaults = takesCommitFaults
        }
    }

    /// The epoch this store writes under once it took the routing lease (nil: not leased, as
    /// in tools and the store's own tests); every write transaction checks it first.
    let fence = Mutex<Fence?>(nil)
    /// Test hook: lose the connection at the next `COMMIT` (see ``CommitFault``).
    let nextCommitFault = Mutex<CommitFault?>(nil)

    /// Where a test makes the connection drop around a `COMMIT`.
    @_spi(FaultInjection)
    public enum CommitFault: Sendable {
        /// After the `COMMIT` went through, before its answer is used: the write is kept.
        case afterCommit
        /// Instead of sending `COMMIT`: the server rolls the transaction back.
        case beforeCommit
    }

    /// Fault injection for tests: the next `COMMIT` goes through, then the connection is closed
    /// before its answer is used, as a network failure at that moment would (the outcome of the
    /// write is then unknown to this process, though the database kept it).
    @_spi(FaultInjection)
    public func loseTheConnectionAfterTheNextCommit() {
        nextCommitFault.withLock { $0 = .afterCommit }
    }

    /// Fault injection for tests: the connection is closed instead of sending the next `COMMIT`,
    /// so the database rolls the write back, but this process sees what a loss during `COMMIT`
    /// looks like: an unknown outcome.
    @_spi(FaultInjection)
    public func loseTheConnectionBeforeTheNextCommit() {
        nextCommitFault.withLock { $0 = .beforeCommit }
    }

    /// How long the server lets a session sit idle inside a transaction: a paused node's open
    /// transaction holds the lease row's lock, which a standby's takeover waits for.
    static let idleInTransactionMilliseconds = 2000

    /// The lease epoch and node this store's writes are fenced with.
    struct Fence {
        var epoch: Int64
        var node: String
        /// Holding it; given up (a graceful stop); or found taken by another node.
        var state = State.holding

        enum State { case holding, given, lost }
    }

    /// Set by `close()`: nothing runs on the store after it (a late caller must not reconnect).
    let closed = Mutex(false)

    private init(location: PostgresLocation, configuration: PostgresConnection.Configuration, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.configuration = configuration
        self.routingLane = Lane(label: "switchboard.store.postgres", connection: connection, takesCommitFaults: true)
        self.sideLane = Lane(label: "switchboard.store.postgres.side", connection: nil, takesCommitFaults: false)
        self.logger = logger
    }

    /// Connects and brings the schema up to date (under an advisory lock, so processes starting
    /// together migrate once). Several processes may open the same database: the routing lease
    /// (``RoutingLeaseStore``) decides which one writes.
    /// - Throws: ``StoreError`` with code `.database`, saying what failed and where: the
    ///   database cannot be reached, or its schema cannot be made.
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
            try await store.unfencedWrite("bringing the schema up to date") { db in try PostgresSchema.migrate(db) }
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// A new connection, set up as every one of this store's must be: commits flushed before
    /// they return whatever the server's or role's default.
    private static func connect(_ configuration: PostgresConnection.Configuration, _ location: PostgresLocation, _ logger: Logger) throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            throw StoreError(.database, "cannot connect to the store at \(location): \(describe(error))")
        }
        do {
            let database = PostgresSQLDatabase(connection: connection, logger: logger)
            try database.execute("SET synchronous_commit = on", [])
            // A node that stops mid-transaction (paused, partitioned) must not hold the lease
            // row's lock for long: the server ends a session idle inside a transaction after
            // this, and probes the connection (keepalives) to notice a vanished peer.
            try database.execute("SET idle_in_transaction_session_timeout = \(idleInTransactionMilliseconds)", [])
            try database.execute("SET tcp_keepalives_idle = 5", [])
            try database.execute("SET tcp_keepalives_interval = 2", [])
            try database.execute("SET tcp_keepalives_count = 3", [])
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

    /// Gives up the routing lease if this store holds it (a standby takes over at once instead
    /// of waiting for it to expire), then closes the connection.
    public func close() async throws {
        if let held = fence.withLock({ $0 }), held.state == .holding {
            do { try await releaseLease() } catch {
                logger.warning("could not give up the routing lease; a standby takes over when it expires", metadata: ["error": "\(error)"])
            }
        }
        closed.withLock { $0 = true }
        // After the flag: a transaction already on a lane finishes first; none starts after.
        for lane in [routingLane, sideLane] {
            guard let connection = lane.queue.sync(execute: { lane.connection }) else { continue }
            do {
                try await connection.close()
            } catch {
                throw StoreError(.database, "cannot close the store at \(location): \(Self.describe(error))")
            }
        }
    }

    // MARK: Transactions

    /// A write, fenced by the routing lease when this store holds one.
    public func write<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(what, begin: "BEGIN ISOLATION LEVEL READ COMMITTED", fenced: true) { db, _ in try work(db) }
    }

    /// A commit: fenced, and when leased the fence's one statement also records the journal's new
    /// end and reads its old one (see ``advanceFence(_:to:_:_:)``).
    public func commitTransaction<T: Sendable>(
        _ what: String, appending: ClosedRange<Int64>?, _ work: @escaping @Sendable (any SQLDatabase, _ lastStored: Int64?) throws -> T
    ) async throws -> T {
        try await transaction(what, begin: "BEGIN ISOLATION LEVEL READ COMMITTED", fenced: true, appending: appending, work)
    }

    /// A write that does not check the lease: migrations, and taking the lease itself.
    func unfencedWrite<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(what, begin: "BEGIN ISOLATION LEVEL READ COMMITTED", fenced: false) { db, _ in try work(db) }
    }

    /// Repeatable read: the whole read sees one committed state, as SQLite's read transactions do.
    public func read<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(what, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fenced: false) { db, _ in try work(db) }
    }

    /// A fenced write on the side connection (see the type's comment). Without a lease (tools,
    /// tests) nothing orders the two connections' writes, so it runs on routing's, as before.
    public func sideWrite<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        let lane = fence.withLock({ $0 != nil }) ? sideLane : routingLane
        return try await transaction(what, on: lane, begin: "BEGIN ISOLATION LEVEL READ COMMITTED", fenced: true) { db, _ in try work(db) }
    }

    /// A read on the side connection: one committed state, never waiting for routing's queue.
    public func sideRead<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(what, on: sideLane, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fenced: false) { db, _ in try work(db) }
    }

    /// Runs `work` in a transaction on a lane's thread (routing's unless told). With `appending`
    /// (a commit's journal entries), `work` gets the sequence of the last entry stored before them.
    private func transaction<T: Sendable>(
        _ what: String, on chosenLane: Lane? = nil, begin: String, fenced: Bool, appending: ClosedRange<Int64>? = nil,
        _ work: @escaping @Sendable (any SQLDatabase, _ lastStored: Int64?) throws -> T
    ) async throws -> T {
        let lane = chosenLane ?? routingLane
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            lane.queue.async { [self] in
                if closed.withLock({ $0 }) {
                    continuation.resume(throwing: StoreError(.database, "\(what) failed: the store at \(location) is closed (the server is stopping)"))
                    return
                }
                // A connection lost since the last transaction (the database restarted, a
                // failover, a network reset) is replaced before this one begins; nothing of an
                // earlier transaction is retried, since each answered its caller already.
                // The side lane connects here the first time it is used.
                let connection: PostgresConnection
                if let open = lane.connection, !open.isClosed {
                    connection = open
                } else {
                    do {
                        connection = try Self.connect(configuration, location, logger)
                        if lane.connection != nil {
                            logger.notice("reconnected to the store", metadata: ["store": "\(location)"])
                        }
                        lane.connection = connection
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
                let result: T
                do {
                    var stored: Int64?
                    if fenced, let fence = fence.withLock({ $0 }) {
                        do {
                            if let appending {
                                stored = try Self.advanceFence(fence, to: appending.upperBound, database, what)
                            } else {
                                try Self.checkFence(fence, database, what)
                            }
                        } catch let error as StoreError where error.code == .fenced {
                            // Known lost from now on: nothing to give up when the node stops.
                            self.fence.withLock { held in if held?.state == .holding { held?.state = .lost } }
                            throw error
                        }
                    }
                    if appending != nil, stored == nil { stored = try Self.lastSequence(database) }
                    result = try work(database, stored)
                } catch {
                    // Nothing of it stays: a failed statement has already aborted the transaction.
                    try? database.execute("ROLLBACK", [])
                    continuation.resume(throwing: error is StoreError ? error : StoreError(.database, "\(what) failed: \(Self.describe(error))"))
                    return
                }
                let fault = lane.takesCommitFaults ? nextCommitFault.withLock { fault in defer { fault = nil }; return fault } : nil
                if fault == .beforeCommit {
                    _ = try? connection.close().wait()
                    continuation.resume(throwing: StoreError(
                        .outcomeUnknown, "\(what) failed: the connection was lost during COMMIT, which may or may not have committed"))
                    return
                }
                do {
                    try database.execute("COMMIT", [])
                } catch {
                    // The server refusing the commit is a definite no; a connection lost while
                    // COMMIT was on its way or its answer was is not: it may have committed.
                    let refused = (error as? PSQLError)?.serverInfo != nil
                    continuation.resume(throwing: StoreError(
                        refused ? .database : .outcomeUnknown,
                        "\(what) failed: \(refused ? "" : "the connection was lost during COMMIT, which may or may not have committed: ")\(Self.describe(error))"))
                    return
                }
                if fault == .afterCommit {
                    _ = try? connection.close().wait()
                    continuation.resume(throwing: StoreError(
                        .outcomeUnknown, "\(what) failed: the connection was lost during COMMIT, which may or may not have committed"))
                    return
                }
                continuation.resume(returning: result)
            }
        }
    }

    /// Locks the lease row until this transaction ends and checks this store's epoch still
    /// holds it. The lock orders this write against a takeover: either it commits before the
    /// new holder's takeover (which then loads it), or it finds the new epoch and writes nothing.
    private static func checkFence(_ fence: Fence, _ db: PostgresSQLDatabase, _ what: String) throws {
        if fence.state == .given {
            throw StoreError(.fenced, "\(what) refused: this node (\(fence.node)) gave the routing lease of epoch \(fence.epoch) up; nothing was written")
        }
        try refuseUnlessHeld(fence, try db.rows("SELECT epoch, holder FROM cluster_lease WHERE id = 1 FOR UPDATE", []).first, what)
    }

    /// A commit's fence in one round trip: checks this store's epoch still holds the lease and
    /// locks its row (as ``checkFence(_:_:_:)``), records `sequence` as the journal's new end,
    /// and returns the journal's end before this commit. Another node could only have written
    /// the journal after taking the lease, which changed the epoch and makes this match nothing,
    /// so the journal's end this statement sees is the one the commit follows.
    private static func advanceFence(_ fence: Fence, to sequence: Int64, _ db: PostgresSQLDatabase, _ what: String) throws -> Int64 {
        if fence.state == .given {
            throw StoreError(.fenced, "\(what) refused: this node (\(fence.node)) gave the routing lease of epoch \(fence.epoch) up; nothing was written")
        }
        let advanced = try db.integer("""
            UPDATE cluster_lease SET last_sequence = ? WHERE id = 1 AND epoch = ?
            RETURNING GREATEST(COALESCE((SELECT MAX(sequence) FROM journal), 0), COALESCE((SELECT MAX(sequence) FROM snapshots), 0))
            """, [sequence, fence.epoch])
        if let advanced { return advanced }
        // Matched nothing: say who holds the lease now (this throws, the epoch being another).
        try refuseUnlessHeld(fence, try db.rows("SELECT epoch, holder FROM cluster_lease WHERE id = 1", []).first, what)
        throw StoreError(.corruptData, "\(what) failed: the routing lease row did not take the journal's end")
    }

    /// Throws ``StoreError/Code/fenced`` unless the lease row read says this store's epoch holds it.
    private static func refuseUnlessHeld(_ fence: Fence, _ holder: SQLRow?, _ what: String) throws {
        let epoch = holder?.columns["epoch"].flatMap { if case .integer(let value) = $0 { value } else { nil } }
        guard epoch == fence.epoch else {
            let taker = holder?.columns["holder"]?.description ?? "another node"
            throw StoreError(.fenced, "\(what) refused: this node (\(fence.node)) lost the routing lease of epoch \(fence.epoch) to \(taker) (epoch \(epoch.map(String.init) ?? "unknown")); nothing was written")
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
