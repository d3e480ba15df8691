/// A DTMF digit from an INFO with `application/dtmf-relay` (`Signal=5\r\nDuration=160`).
public struct SIPDTMFRelay: Hashable, Sendable {
    /// The digit: 0-9, *, #, A-D.
    public var digit: Character
    /// The duration in milliseconds, when given.
    public var duration: Int?

    /// Reads the body of an INFO; nil when it holds no valid Signal line.
    public init?(body: [UInt8]) {
        var digit: Character?
        var duration: Int?
        for line in String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = SIPSyntax.trim(parts[0]).lowercased()
            let value = SIPSyntax.trim(parts[1])
            if name == "signal" {
                // Some gateways send events 10 and 11 (RFC 4733 numbering) for * and #.
                switch value {
                case "10": digit = "*"
                case "11": digit = "#"
                default:
                    if value.count == 1, let character = value.uppercased().first, "0123456789*#ABCD".contains(character) {
                        digit = character
                    }
                }
            } else if name == "duration" {
                duration = SIPSyntax.decimal(value, maxDigits: 6)
            }
        }
        guard let digit else { return nil }
        self.digit = digit
        self.duration = duration
    }

    /// Reads an INFO request; nil unless its body is `application/dtmf-relay` with a digit.
    public init?(info request: SIPMessage) {
        guard request.mediaType == "application/dtmf-relay" else { return nil }
        self.init(body: request.body)
    }
}
