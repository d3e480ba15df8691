/// Why the store refused or failed a request, in words a person can act on.
///
/// One error type for every backend, so the server maps store failures to responses and logs
/// without knowing which database sits underneath.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of failure, for programs.
    public enum Code: String, Codable, Sendable {
        /// A query's parameters are out of range (limit, offset, paging ids).
        case invalidQuery
        /// A journal entry's sequence number is not the one after the last stored entry.
        case sequenceGap
        /// A snapshot does not fit the journal (before the newest snapshot, or past the last entry).
        case invalidSnapshot
        /// A stored row cannot be read back (bad JSON, an unknown enum value, a missing column).
        case corruptData
        /// The database itself failed: busy, full, closed, unreadable file.
        case database
        /// This node no longer holds the routing lease: another node has taken over routing, and
        /// the write was rolled back (nothing of it exists). The node must stop acting as leader.
        case fenced
        /// The connection was lost while `COMMIT` was under way: the write may or may not have
        /// been committed. Only reading the store back can tell.
        case outcomeUnknown
    }

    /// The kind of failure.
    public var code: Code
    /// The message for people, e.g. "entry 7 does not follow the last stored entry 5".
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
