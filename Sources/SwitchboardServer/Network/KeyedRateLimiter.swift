import Synchronization

/// Token buckets by key (a client address, a session): `rate` a second on average, bursts of up to
/// `burst`. Memory stays bounded without changing any answer: a bucket that has refilled to its
/// burst behaves exactly like a new one, so full buckets are dropped first; only when more than
/// `capacity` keys are all mid-burst are the longest-untouched ones forgotten (each then gets a
/// fresh burst, the least harmful mistake).
final class KeyedRateLimiter: Sendable {
    /// The answer for one attempt.
    enum Decision: Equatable, Sendable {
        case allowed
        /// Refused; the next attempt succeeds after this many seconds (rounded up, at least 1).
        case wait(seconds: Int)
    }

    /// Attempts a second, on average, per key; 0 turns the limiter off.
    let rate: Double
    /// Attempts allowed at once after a quiet spell.
    let burst: Double
    private let capacity: Int
    private let clock: @Sendable () -> Double
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// A limiter; `clock` returns seconds on a monotonic scale (tests pass their own).
    init(rate: Double, burst: Double, capacity: Int = 10_000, clock: @escaping @Sendable () -> Double = KeyedRateLimiter.monotonicSeconds) {
        self.rate = rate
        self.burst = max(1, burst)
        self.capacity = capacity
        self.clock = clock
    }

    var isEnabled: Bool { rate > 0 }

    /// Takes one token from `key`'s bucket if it has one.
    func take(_ key: String) -> Decision {
        guard isEnabled else { return .allowed }
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? TokenBucket(rate: rate, burst: burst)
            let wait = bucket.take(now: now)
            buckets[key] = bucket
            if wait == nil, buckets.count > capacity { prune(&buckets, now: now) }
            return wait.map { .wait(seconds: $0) } ?? .allowed
        }
    }

    /// Keys currently remembered (for tests of the memory bound).
    var trackedKeys: Int { buckets.withLock { $0.count } }

    private func prune(_ buckets: inout [String: TokenBucket], now: Double) {
        buckets = buckets.filter { !$0.value.isFull(now: now) }
        guard buckets.count > capacity else { return }
        let oldest = buckets.sorted { ($0.value.updated ?? 0) < ($1.value.updated ?? 0) }.prefix(buckets.count - capacity * 9 / 10)
        for (key, _) in oldest { buckets[key] = nil }
    }

    /// Seconds since an arbitrary point, never going back.
    static let monotonicSeconds: @Sendable () -> Double = {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
    private static let start = ContinuousClock.now
}
