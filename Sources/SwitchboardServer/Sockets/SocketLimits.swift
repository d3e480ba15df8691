import NIOCore
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

    /// The connections holding a slot now, over all addresses.
    var open: Int { counts.withLock { $0.values.reduce(0, +) } }

    /// Gives the slot back when the connection closes.
    func release(_ address: String) {
        guard limit > 0 else { return }
        counts.withLock { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }
}

/// A connection's own frame limit: `rate` frames a second on average, bursts up to `burst`.
/// Frames over it are refused with an error, not processed.
struct FrameRateLimit {
    private var bucket: TokenBucket

    init(perSecond rate: Double, burst: Double) {
        bucket = TokenBucket(rate: rate, burst: burst)
    }

    /// Whether one more frame may be handled now.
    mutating func allow() -> Bool {
        bucket.take(now: KeyedRateLimiter.monotonicSeconds()) == nil
    }
}

extension NativeWebSocket {
    /// Tells the client its address already has `limit` connections open, then closes (1008).
    ///
    /// A frame sent in the same moment as the upgrade's 101 can reach a client before it has
    /// switched to WebSocket framing (swift-nio's client then drops it, with the close after it,
    /// and waits for ever); the refusal waits a moment to be read.
    func refuseOverConnectionLimit(_ limit: Int) {
        let error = #"{"v":1,"type":"error","code":"tooManyConnections","message":"this address already has \#(limit) open connections; close some and retry"}"#
        eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [weak self] in
            self?.send(text: error, flush: false)
            self?.close(.policyViolation, reason: "too many connections")
        }
    }
}
