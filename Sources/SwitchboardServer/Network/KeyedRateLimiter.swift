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

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// Attempts a second, on average, per key; 0 turns the limiter off.
    let rate: Double
    /// Attempts allowed at once after a quiet spell.
    let burst: Double
    private let capacity: Int
    private let clock: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])

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
            var bucket = buckets[key].map { refilled($0, now: now) } ?? Bucket(tokens: burst, updated: now)
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return .wait(seconds: max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))))
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            if buckets.count > capacity { prune(&buckets, now: now) }
            return .allowed
        }
    }

    /// Keys currently remembered (for tests of the memory bound).
    var trackedKeys: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: Double) -> Bucket {
        Bucket(tokens: min(burst, bucket.tokens + max(0, now - bucket.updated) * rate), updated: now)
    }

    private func prune(_ buckets: inout [String: Bucket], now: Double) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < burst }
        guard buckets.count > capacity else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - capacity * 9 / 10)
        for (key, _) in oldest { buckets[key] = nil }
    }

    /// Seconds since an arbitrary point, never going back.
    static let monotonicSeconds: @Sendable () -> Double = {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
    private static let start = ContinuousClock.now
}
