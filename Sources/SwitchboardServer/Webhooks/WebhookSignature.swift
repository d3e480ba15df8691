import Crypto
import Foundation

/// The `Switchboard-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC keyed
/// with the subscription's secret over `"<t>.<body>"`. A receiver recomputes it over the raw
/// body it got, compares in constant time, and refuses old `t` values (replays); docs/webhooks.md
/// shows it in ten lines.
enum WebhookSignature {
    static let headerName = "Switchboard-Signature"

    /// The header's value for `body` sent at `unixSeconds`.
    static func header(body: Data, secret: String, unixSeconds: Int64) -> String {
        "t=\(unixSeconds),v1=\(hex(body: body, secret: secret, unixSeconds: unixSeconds))"
    }

    static func hex(body: Data, secret: String, unixSeconds: Int64) -> String {
        var signed = Data("\(unixSeconds).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
