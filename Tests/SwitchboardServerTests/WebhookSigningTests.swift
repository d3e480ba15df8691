import Foundation
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardStore
import Testing

/// What a receiver checks: the body's shape, the signature (against a value Python's hmac
/// module computed), the retry schedule and which URLs and addresses are refused.
@Suite("Webhook signing, retries and URLs")
struct WebhookSigningTests {
    static func delivery(data: String = #"{"sessionId":"s-1"}"#, attempts: Int = 0) -> WebhookDelivery {
        WebhookDelivery(
            id: 7, subscriptionId: "wh_x", eventId: "evt_12_3", kind: .sessionAccepted, orderingKey: "session:s-1",
            occurredAt: Timestamp(milliseconds: 1_700_000_000_123), data: data, status: .pending, attempts: attempts,
            createdAt: Timestamp(milliseconds: 1_700_000_000_123), nextAttemptAt: nil, lastAttemptAt: nil, lastError: nil,
            lastStatusCode: nil, finishedAt: nil, redeliveryOf: nil)
    }

    @Test func theSignatureIsHMACSHA256OfTimestampDotBody() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_0123456789abcdef",
        //   b"1700000000." + b"{\"id\":\"evt_1_0\",\"kind\":\"session.created\"}", hashlib.sha256).hexdigest())'
        let body = Data(#"{"id":"evt_1_0","kind":"session.created"}"#.utf8)
        let header = WebhookSignature.header(body: body, secret: "whsec_0123456789abcdef", unixSeconds: 1_700_000_000)
        #expect(header == "t=1700000000,v1=379c727b5e3135893203cdb20f8e1c0e7c3fb570d81a4aa057f22cd388246202")
        // Another secret, time or body gives another signature.
        #expect(WebhookSignature.header(body: body, secret: "whsec_0123456789abcdeF", unixSeconds: 1_700_000_000) != header)
        #expect(WebhookSignature.header(body: body, secret: "whsec_0123456789abcdef", unixSeconds: 1_700_000_001) != header)
    }

    @Test func theBodyIsTheSameInEveryAttemptAndOnlyTheHeadersMove() throws {
        let first = WebhookRequest(Self.delivery(), secret: "whsec_0123456789abcdef", unixSeconds: 1_700_000_000)
        let retry = WebhookRequest(Self.delivery(attempts: 3), secret: "whsec_0123456789abcdef", unixSeconds: 1_700_000_060)
        #expect(first.body == retry.body)
        let body = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: Any])
        #expect(body["id"] as? String == "evt_12_3" && body["kind"] as? String == "session.accepted")
        #expect((body["timestamp"] as? NSNumber)?.int64Value == 1_700_000_000_123)
        #expect((body["data"] as? [String: Any])?["sessionId"] as? String == "s-1")
        func header(_ request: WebhookRequest, _ name: String) -> String? { request.headers.first { $0.name == name }?.value }
        #expect(header(first, "Switchboard-Event-Id") == "evt_12_3" && header(retry, "Switchboard-Event-Id") == "evt_12_3")
        #expect(header(first, "Switchboard-Attempt") == "1" && header(retry, "Switchboard-Attempt") == "4")
        #expect(header(first, "Switchboard-Signature") == WebhookSignature.header(body: first.body, secret: "whsec_0123456789abcdef", unixSeconds: 1_700_000_000))
        #expect(header(first, "Content-Type") == "application/json")
    }

    @Test func retriesBackOffExponentiallyForADayThenStop() {
        let schedule = WebhookRetrySchedule(WebhookConfiguration())
        let queued = Timestamp(seconds: 1_700_000_000)
        #expect((1...5).map { schedule.delayMilliseconds(afterAttempts: $0) } == [10_000, 20_000, 40_000, 80_000, 160_000])
        #expect(schedule.delayMilliseconds(afterAttempts: 40) == 3_600_000, "capped at an hour")
        // Jitter takes at most half the wait away.
        let now = queued.adding(seconds: 100)
        #expect(schedule.next(afterAttempts: 3, queuedAt: queued, now: now, jitter: 0) == now.adding(seconds: 40))
        #expect(schedule.next(afterAttempts: 3, queuedAt: queued, now: now, jitter: 1) == now.adding(seconds: 20))
        // Still inside the day: another attempt, even one that falls after it; from the day's end: none.
        let lastMinute = queued.adding(seconds: 24 * 3600 - 60)
        #expect(schedule.next(afterAttempts: 30, queuedAt: queued, now: lastMinute, jitter: 0) == lastMinute.adding(seconds: 3600))
        #expect(schedule.next(afterAttempts: 31, queuedAt: queued, now: queued.adding(seconds: 24 * 3600), jitter: 0) == nil)

        // Attempts the default schedule makes in a day before it gives up.
        var time = queued
        var attempts = 0
        while let next = schedule.next(afterAttempts: attempts + 1, queuedAt: queued, now: time, jitter: 0.5) {
            attempts += 1
            time = next
        }
        #expect(attempts >= 20 && time.milliseconds - queued.milliseconds >= 24 * 3_600_000)
    }

    @Test func receiverURLsMustBeHTTPWithoutCredentialsOrPrivateHosts() {
        let strict = WebhookURLPolicy(allowPrivateAddresses: false)
        #expect(strict.problem(with: "https://crm.example.com/hooks") == nil)
        #expect(strict.problem(with: "http://93.184.216.34:8080/in") == nil)
        #expect(strict.problem(with: "ftp://crm.example.com/")?.contains("only http and https") == true)
        #expect(strict.problem(with: "file:///etc/passwd")?.contains("only http and https") == true)
        #expect(strict.problem(with: "https://user:pw@crm.example.com/")?.contains("user name or password") == true)
        #expect(strict.problem(with: "https:///nohost") != nil)
        #expect(strict.problem(with: "not a url") != nil)
        for host in ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "[::1]", "[fd00::1]", "[fe80::1]", "0.0.0.0", "[::ffff:127.0.0.1]"] {
            #expect(strict.problem(with: "http://\(host)/hook")?.contains("--webhooks-allow-private-addresses") == true, "\(host)")
        }
        let open = WebhookURLPolicy(allowPrivateAddresses: true)
        #expect(open.problem(with: "http://127.0.0.1:9000/hook") == nil)
        #expect(open.problem(with: "ftp://127.0.0.1/") != nil, "the scheme rule holds either way")
        #expect(strict.refusal(of: "10.0.0.5") != nil && strict.refusal(of: "8.8.8.8") == nil && open.refusal(of: "10.0.0.5") == nil)
    }
}
