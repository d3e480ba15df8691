import ArgumentParser
import SwitchboardServer

/// `switchboard serve`'s webhook delivery settings (docs/webhooks.md).
struct WebhookOptions: ParsableArguments {
    @Flag(name: .customLong("webhooks-allow-private-addresses"), help: "Deliver webhooks to loopback, private and link-local addresses too; off, such receivers are refused (SSRF) (SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=1).")
    var allowPrivateAddresses: Bool = environment("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES").map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false

    @Option(name: .customLong("webhook-timeout"), help: "Seconds one webhook POST may take before it counts as failed, 1 to 120 (SWITCHBOARD_WEBHOOK_TIMEOUT).")
    var timeout: String = environment("WEBHOOK_TIMEOUT") ?? "10"

    @Option(name: .customLong("webhook-first-retry-delay"), help: "Seconds before a failed webhook is first retried; each retry waits twice as long, up to an hour (SWITCHBOARD_WEBHOOK_FIRST_RETRY_DELAY).")
    var firstRetryDelay: String = environment("WEBHOOK_FIRST_RETRY_DELAY") ?? "10"

    @Option(name: .customLong("webhook-concurrency"), help: "Webhook POSTs in flight at once, 1 to 256 (SWITCHBOARD_WEBHOOK_CONCURRENCY).")
    var concurrency: String = environment("WEBHOOK_CONCURRENCY") ?? "8"

    func makeConfiguration() throws -> WebhookConfiguration {
        func integer(_ text: String, _ option: String) throws -> Int {
            guard let value = Int(text) else { throw ValidationError("--\(option) must be a whole number, not '\(text)'") }
            return value
        }
        var configuration = WebhookConfiguration()
        configuration.allowPrivateAddresses = allowPrivateAddresses
        configuration.requestTimeoutSeconds = try integer(timeout, "webhook-timeout")
        configuration.firstRetryDelaySeconds = try integer(firstRetryDelay, "webhook-first-retry-delay")
        configuration.maximumRetryDelaySeconds = max(configuration.maximumRetryDelaySeconds, configuration.firstRetryDelaySeconds)
        configuration.concurrency = try integer(concurrency, "webhook-concurrency")
        return configuration
    }
}
