import Synchronization

/// How the parts of a leader node learn that it lost the routing lease: the routing service when
/// a commit comes back fenced, the lease keeper when renewing fails. The first loss is kept;
/// whoever waits in ``lost()`` wakes with its reason.
public final class LeadershipSignal: Sendable {
    private let state = Mutex<(reason: String?, waiters: [CheckedContinuation<String, Never>])>((nil, []))

    public init() {}

    /// Records the loss (the first reason wins) and wakes every waiter.
    public func lose(_ reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<String, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Why leadership was lost, or nil while it holds.
    public var lossReason: String? { state.withLock { $0.reason } }

    /// Waits until leadership is lost and returns why.
    public func lost() async -> String {
        await withCheckedContinuation { continuation in
            let reason = state.withLock { state -> String? in
                if let reason = state.reason { return reason }
                state.waiters.append(continuation)
                return nil
            }
            if let reason { continuation.resume(returning: reason) }
        }
    }
}
