import Foundation
import SwitchboardStore

/// What one attempt of a delivery sends: the JSON body (the same bytes in every attempt) and
/// the headers, signed at the time of sending.
///
/// The body is `{"id", "kind", "timestamp", "data"}`: `id` names the event (duplicates carry the
/// same one), `timestamp` is when it happened in milliseconds since 1970, `data` is the kind's
/// object (docs/webhooks.md).
struct WebhookRequest: Sendable {
    var body: Data
    var headers: [(name: String, value: String)]

    init(_ delivery: WebhookDelivery, secret: String, unixSeconds: Int64) {
        body = Self.body(of: delivery)
        headers = [
            ("Content-Type", "application/json"),
            ("User-Agent", "Switchboard-Webhooks/1"),
            (WebhookSignature.headerName, WebhookSignature.header(body: body, secret: secret, unixSeconds: unixSeconds)),
            ("Switchboard-Event-Id", delivery.eventId),
            ("Switchboard-Event-Kind", delivery.kind.rawValue),
            ("Switchboard-Delivery-Id", String(delivery.id)),
            ("Switchboard-Attempt", String(delivery.attempts + 1)),
        ]
    }

    /// `data` is stored as JSON text already; it is put in as is, so the body is byte-for-byte
    /// the same in every attempt.
    static func body(of delivery: WebhookDelivery) -> Data {
        var text = #"{"id":"#
        text += quoted(delivery.eventId)
        text += #","kind":"# + quoted(delivery.kind.rawValue)
        text += #","timestamp":"# + String(delivery.occurredAt.milliseconds)
        text += #","data":"# + delivery.data + "}"
        return Data(text.utf8)
    }

    private static func quoted(_ text: String) -> String {
        let encoded = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: encoded, as: UTF8.self)
    }
}
