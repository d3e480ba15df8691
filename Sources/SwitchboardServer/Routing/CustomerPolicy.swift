/// What an anonymous customer may do, and how fast: the limits that keep a flood of chats from
/// anyone on the internet from filling the queues, the store and the agents' screens. See
/// docs/security.md.
public struct CustomerPolicy: Sendable, Equatable {
    /// Sessions one client address may start a minute, in bursts of the same; 0: no limit
    /// (`--customer-starts-per-address`). Resuming a session is not a start.
    public var startsPerAddressPerMinute: Int = 60
    /// Sessions all customers together may start a second, in bursts of the same; 0: no limit
    /// (`--customer-starts-per-second`). A ceiling for floods from many addresses.
    public var startsPerSecond: Int = 1000
    /// Messages a session's customer may send a minute on average, over every connection and the
    /// REST fallback together (`--customer-messages-per-minute`); 0: no limit.
    public var messagesPerMinute: Int = 60
    /// Messages a session's customer may send at once after a quiet spell.
    public var messageBurst: Int = 10
    /// Seconds a session's secret keeps working after the session ended, so a reloaded page can
    /// still show the transcript; then the session is as unknown as one that never existed
    /// (`--customer-secret-lifetime`).
    public var secretLifetimeSeconds: Int = 24 * 3600

    /// The defaults.
    public init() {}

    /// Checks the settings, naming the first one that is wrong.
    public func validate() throws(ConfigurationError) {
        if !(0...1_000_000).contains(startsPerAddressPerMinute) {
            throw ConfigurationError("customer starts per address must be 0 (no limit) to 1000000 a minute, not \(startsPerAddressPerMinute)")
        }
        if !(0...1_000_000).contains(startsPerSecond) {
            throw ConfigurationError("customer starts per second must be 0 (no limit) to 1000000, not \(startsPerSecond)")
        }
        if !(0...100_000).contains(messagesPerMinute) {
            throw ConfigurationError("customer messages per minute must be 0 (no limit) to 100000, not \(messagesPerMinute)")
        }
        if !(1...10_000).contains(messageBurst) {
            throw ConfigurationError("the customer message burst must be 1 to 10000, not \(messageBurst)")
        }
        if !(60...366 * 24 * 3600).contains(secretLifetimeSeconds) {
            throw ConfigurationError("the customer secret lifetime must be 60 s to 366 days, not \(secretLifetimeSeconds) s")
        }
    }
}

/// Applies `CustomerPolicy`'s rate limits: starts per address and overall, messages per session.
final class CustomerAdmission: Sendable {
    let policy: CustomerPolicy
    private let startsByAddress: KeyedRateLimiter
    private let startsOverall: KeyedRateLimiter
    private let messagesBySession: KeyedRateLimiter

    init(policy: CustomerPolicy, clock: @escaping @Sendable () -> Double = KeyedRateLimiter.monotonicSeconds) {
        self.policy = policy
        startsByAddress = KeyedRateLimiter(
            rate: Double(policy.startsPerAddressPerMinute) / 60, burst: Double(policy.startsPerAddressPerMinute), clock: clock)
        startsOverall = KeyedRateLimiter(rate: Double(policy.startsPerSecond), burst: Double(policy.startsPerSecond), capacity: 1, clock: clock)
        messagesBySession = KeyedRateLimiter(
            rate: Double(policy.messagesPerMinute) / 60, burst: Double(policy.messageBurst), capacity: 100_000, clock: clock)
    }

    /// Nil when a customer at `address` may start a session now; otherwise the refusal to send.
    /// The address's own limit is checked first, so one busy address uses up only its own starts.
    func admitStart(from address: String) -> ProtocolRefusal? {
        if case .wait(let seconds) = startsByAddress.take(address) {
            return ProtocolRefusal(
                "too many chats started from this address: at most \(policy.startsPerAddressPerMinute) a minute; retry in \(seconds) s",
                retryAfter: seconds)
        }
        if case .wait(let seconds) = startsOverall.take("") {
            return ProtocolRefusal("the server is busy starting other chats; retry in \(seconds) s", retryAfter: seconds)
        }
        return nil
    }

    /// Nil when the session's customer may send another message now.
    func admitMessage(in session: String) -> ProtocolRefusal? {
        guard case .wait(let seconds) = messagesBySession.take(session) else { return nil }
        return ProtocolRefusal(
            "too many messages: at most \(policy.messagesPerMinute) a minute (\(policy.messageBurst) at once); this one was not sent, retry in \(seconds) s",
            retryAfter: seconds)
    }
}

/// A rate-limit refusal: what to tell the customer and when to retry.
struct ProtocolRefusal: Error, Equatable, Sendable {
    var message: String
    var retryAfter: Int

    init(_ message: String, retryAfter: Int) {
        self.message = message
        self.retryAfter = retryAfter
    }
}
