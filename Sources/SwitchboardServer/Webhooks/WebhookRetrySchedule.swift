import SwitchboardCore

/// When a failed delivery is tried again: exponential backoff with jitter, for at least the
/// retry period, then never. A pure value, so its arithmetic is tested without a clock.
struct WebhookRetrySchedule: Sendable {
    var firstDelaySeconds: Int
    var maximumDelaySeconds: Int
    var retryPeriodSeconds: Int

    init(_ configuration: WebhookConfiguration) {
        firstDelaySeconds = configuration.firstRetryDelaySeconds
        maximumDelaySeconds = configuration.maximumRetryDelaySeconds
        retryPeriodSeconds = configuration.retryPeriodSeconds
    }

    /// The full wait after the `attempts`-th failed attempt (1 for the first): the first delay,
    /// doubled per attempt, capped.
    func delayMilliseconds(afterAttempts attempts: Int) -> Int64 {
        let doublings = min(max(attempts - 1, 0), 30)
        let delay = Int64(firstDelaySeconds) << Int64(doublings)
        return min(delay, Int64(maximumDelaySeconds)) * 1000
    }

    /// The next attempt after the `attempts`-th failed one at `now`, or nil when the delivery
    /// was queued at least the retry period ago (it is then marked failed). `jitter` (0 to 1)
    /// takes up to half the wait away, so receivers coming back are not hit by every retry at once.
    func next(afterAttempts attempts: Int, queuedAt queued: Timestamp, now: Timestamp, jitter: Double) -> Timestamp? {
        if now.milliseconds - queued.milliseconds >= Int64(retryPeriodSeconds) * 1000 { return nil }
        let delay = delayMilliseconds(afterAttempts: attempts)
        let taken = Int64(Double(delay / 2) * min(max(jitter, 0), 1))
        return Timestamp(milliseconds: now.milliseconds + delay - taken)
    }
}
