import Synchronization

/// Caps open WebSocket connections per peer address, so one host cannot exhaust the server's
/// sockets and memory for everyone else.
public final class ConnectionLimiter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    /// At most this many per address; 0 means no limit.
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Takes a slot for `address`; false when it already has `limit` connections.
    func acquire(_ address: String) -> Bool {
        guard limit > 0 else { return true }
        return counts.withLock { counts in
            guard counts[address, default: 0] < limit else { return false }
            counts[address, default: 0] += 1
            return true
        }
    }

    /// Gives the slot back when the connection closes.
    func release(_ address: String) {
        guard limit > 0 else { return }
        counts.withLock { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }
}

/// A token bucket: `rate` frames a second on average, bursts up to `burst`. Each connection has
/// its own; frames over it are refused with an error, not processed.
struct FrameRateLimit {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(perSecond rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.last = .now
    }

    /// Whether one more frame may be handled now.
    mutating func allow() -> Bool {
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        tokens = min(burst, tokens + rate * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
