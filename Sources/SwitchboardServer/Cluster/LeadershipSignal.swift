import Synchronization

/// How the parts of a leader node learn that it lost the routing lease: the routing service
/// records it when a commit comes back fenced (or its outcome cannot be told), the lease keeper
/// when renewing fails; the keeper's watch reads it and stops the node. The first reason is kept.
/// Parts that must stop at once, not when the watch next looks (the webhook worker: no POST may
/// start once another node may be sending the same outbox), register ``onLoss(_:)``.
public final class LeadershipSignal: Sendable {
    private struct State {
        var reason: String?
        var observers: [@Sendable (String) -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Records the loss; the first reason is kept, and the observers are told once, at once.
    public func lose(_ reason: String) {
        let observers = state.withLock { state -> [@Sendable (String) -> Void] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.observers = [] }
            return state.observers
        }
        for observer in observers { observer(reason) }
    }

    /// Why leadership was lost, or nil while it holds.
    public var lossReason: String? { state.withLock { $0.reason } }

    /// Calls `action` with the reason when leadership is lost (at once, if it is lost already).
    /// It runs on the thread that signals the loss: it must be quick and must not wait.
    public func onLoss(_ action: @escaping @Sendable (String) -> Void) {
        let lost = state.withLock { state -> String? in
            if state.reason == nil { state.observers.append(action) }
            return state.reason
        }
        if let lost { action(lost) }
    }
}
