/// A ``RoutingStore`` kept in a SQL database. A backend provides only transactions
/// (``write(_:_:)`` and ``read(_:_:)``, each running its closure against an ``SQLDatabase`` on
/// its own thread); every store method is implemented once, in the extensions of this protocol,
/// by statements both dialects accept. That is what makes the contract tests mean the same for
/// SQLite and PostgreSQL.
public protocol SQLRoutingStore: RoutingStore {
    /// Runs `work` in one write transaction; any error rolls back everything it wrote, and the
    /// error comes back as a ``StoreError`` naming `what` failed.
    func write<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
    /// Runs `work` in one read transaction, which sees a single committed state.
    func read<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
    /// Runs a commit's write transaction, which appends the journal entries `appending` (nil:
    /// none, a commit of messages only). `work` gets the sequence of the last entry stored before
    /// it (0 for a new store; nil when nothing is appended) and checks the batch follows it.
    /// A leased store (``RoutingLeaseStore``) checks its lease and records the journal's new end
    /// with it in the same statement, before anything else is written.
    func commitTransaction<T: Sendable>(
        _ what: String, appending: ClosedRange<Int64>?, _ work: @escaping @Sendable (any SQLDatabase, _ lastStored: Int64?) throws -> T
    ) async throws -> T
    /// A write beside routing (the lease's renewal, the webhook worker's bookkeeping): fenced as
    /// ``write(_:_:)`` is, but on a store with a second connection it runs there, so it does not
    /// wait for routing's queued commits nor delay them. SQLite has one writer: the same as `write`.
    func sideWrite<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
    /// A read beside routing (reports, the live floor, the webhook worker), as ``sideWrite(_:_:)``.
    func sideRead<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
}

extension SQLRoutingStore {
    /// One connection: the same as ``write(_:_:)``.
    public func sideWrite<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await write(what, work)
    }

    /// One connection: the same as ``read(_:_:)``.
    public func sideRead<T: Sendable>(_ what: String, _ work: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await read(what, work)
    }

    /// A store that is not shared has no lease: the journal's end is read in the transaction.
    public func commitTransaction<T: Sendable>(
        _ what: String, appending: ClosedRange<Int64>?, _ work: @escaping @Sendable (any SQLDatabase, _ lastStored: Int64?) throws -> T
    ) async throws -> T {
        try await write(what) { db in try work(db, appending == nil ? nil : try Self.lastSequence(db)) }
    }
}
