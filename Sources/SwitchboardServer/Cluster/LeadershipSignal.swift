import Synchronization

/// How the parts of a leader node learn that it lost the routing lease: the routing service
/// records it when a commit comes back fenced (or its outcome cannot be told), the lease keeper
/// when renewing fails; the keeper's watch reads it and stops the node. The first reason is kept.
public final class LeadershipSignal: Sendable {
    private let reason = Mutex<String?>(nil)

    public init() {}

    /// Records the loss; the first reason is kept.
    public func lose(_ reason: String) {
        self.reason.withLock { kept in if kept == nil { kept = reason } }
    }

    /// Why leadership was lost, or nil while it holds.
    public var lossReason: String? { reason.withLock { $0 } }
}
