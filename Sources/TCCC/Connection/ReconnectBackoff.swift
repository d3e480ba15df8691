/// Exponential backoff with jitter between reconnect attempts: the first wait is `initial`, each
/// later one doubles, up to `maximum`; each is shortened by up to a fifth at random so that many
/// workbenches dropped together do not all come back at the same instant.
struct ReconnectBackoff: Sendable {
    var initial: Duration
    var maximum: Duration

    /// The wait before attempt `attempt` (1 for the first retry).
    func delay(forAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let base = min(initial * (1 << exponent), maximum)
        return base * Double.random(in: 0.8...1.0)
    }
}
