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
    /// Called inside the commit's transaction once journal entries through `sequence` are
    /// written: a leased store records it with its lease (``RoutingLeaseStore``).
    func journalWritten(through sequence: Int64, in db: any SQLDatabase) throws
}

extension SQLRoutingStore {
    /// Nothing to record for a store that is not shared.
    public func journalWritten(through sequence: Int64, in db: any SQLDatabase) throws {}
}
