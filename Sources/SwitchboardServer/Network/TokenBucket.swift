/// One token bucket, the one every rate limit here uses (connections' frames, customers' starts
/// and messages, the phone gateway's INVITEs and refusals): `rate` tokens a second, holding at
/// most `burst`, full at the start. Time is seconds on any scale that never goes back.
struct TokenBucket: Sendable {
    let rate: Double
    let burst: Double
    private(set) var tokens: Double
    /// When it was last looked at; nil before the first take.
    private(set) var updated: Double?

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
        self.tokens = self.burst
    }

    /// Takes a token: nil when there was one, else the whole seconds (at least 1) until there is.
    mutating func take(now: Double) -> Int? {
        tokens = refilled(now: now)
        updated = max(updated ?? now, now)
        guard tokens >= 1 else { return rate > 0 ? max(1, Int(((1 - tokens) / rate).rounded(.up))) : 1 }
        tokens -= 1
        return nil
    }

    /// Whether it has refilled to its burst by `now`, i.e. answers like a new bucket.
    func isFull(now: Double) -> Bool { refilled(now: now) >= burst }

    private func refilled(now: Double) -> Double {
        guard let updated else { return tokens }
        return min(burst, tokens + max(0, now - updated) * rate)
    }
}
