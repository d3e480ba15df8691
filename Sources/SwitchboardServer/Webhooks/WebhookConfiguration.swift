/// How webhook deliveries are sent and retried (docs/webhooks.md). The defaults suit a
/// production receiver; the tests shorten the delays.
public struct WebhookConfiguration: Sendable {
    /// Deliver to loopback, private, link-local and other non-public addresses
    /// (`--webhooks-allow-private-addresses`). Off by default, so a subscription cannot make the
    /// server probe its own network (SSRF); on for receivers inside a trusted network.
    public var allowPrivateAddresses = false
    /// Seconds one POST may take, connecting included, before it counts as failed (`--webhook-timeout`).
    public var requestTimeoutSeconds = 10
    /// Seconds before the first retry; each further retry waits twice as long, up to
    /// `maximumRetryDelaySeconds`, less a random part of up to half (`--webhook-first-retry-delay`).
    public var firstRetryDelaySeconds = 10
    /// The longest wait between two attempts.
    public var maximumRetryDelaySeconds = 3600
    /// A delivery is retried until this many seconds after it was queued, then marked failed.
    public var retryPeriodSeconds = 24 * 3600
    /// POSTs in flight at once, over all receivers (each session or agent has one at most).
    public var concurrency = 8
    /// The slots one subscription may hold at once: half (at least one), so a receiver that
    /// stalls leaves the other half to every other subscription.
    public var slotsPerSubscription: Int { max(1, concurrency / 2) }
    /// Days delivered and failed deliveries stay in the delivery log.
    public var logRetentionDays = 7

    /// The defaults.
    public init() {}

    /// Checks the settings, naming the first one that is wrong.
    public func validate() throws(ConfigurationError) {
        if !(1...120).contains(requestTimeoutSeconds) {
            throw ConfigurationError("the webhook timeout must be 1 to 120 seconds, not \(requestTimeoutSeconds)")
        }
        if !(1...3600).contains(firstRetryDelaySeconds) {
            throw ConfigurationError("the first webhook retry delay must be 1 to 3600 seconds, not \(firstRetryDelaySeconds)")
        }
        if maximumRetryDelaySeconds < firstRetryDelaySeconds {
            throw ConfigurationError("the longest webhook retry delay (\(maximumRetryDelaySeconds) s) must not be below the first (\(firstRetryDelaySeconds) s)")
        }
        if retryPeriodSeconds < 24 * 3600 {
            throw ConfigurationError("webhook deliveries must be retried for at least 24 hours, not \(retryPeriodSeconds) s")
        }
        if !(1...256).contains(concurrency) {
            throw ConfigurationError("webhook concurrency must be 1 to 256, not \(concurrency)")
        }
        if !(1...365).contains(logRetentionDays) {
            throw ConfigurationError("the webhook delivery log must be kept 1 to 365 days, not \(logRetentionDays)")
        }
    }
}
