import Crypto
import Foundation

/// Seals secrets the server must keep but the database must not reveal (TCCC API SecretKeys,
/// webhook signing secrets): ChaCha20-Poly1305 under a key derived from the server's signing
/// secret for one purpose, so a copy of the database alone opens nothing. The row's identity is
/// the box's authenticated data: a sealed value moved to another row does not open.
struct SecretSealer: Sendable {
    private let key: SymmetricKey

    /// `purpose` separates the keys of different uses (`switchboard/webhook-secrets/v1`, ...).
    init(signingSecret: String, purpose: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(signingSecret.utf8)), info: Data(purpose.utf8), outputByteCount: 32)
    }

    /// `secret` sealed for the row named `owner`, as base64.
    func seal(_ secret: String, owner: String) throws -> String {
        try ChaChaPoly.seal(Data(secret.utf8), using: key, authenticating: Data(owner.utf8)).combined.base64EncodedString()
    }

    /// The secret, or nil when it was sealed under another key or for another row.
    func open(_ sealed: String, owner: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? ChaChaPoly.SealedBox(combined: data),
              let plain = try? ChaChaPoly.open(box, using: key, authenticating: Data(owner.utf8))
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// `count` random letters and digits, for ids and secrets that travel in headers and URLs.
    static func randomAlphanumeric(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
