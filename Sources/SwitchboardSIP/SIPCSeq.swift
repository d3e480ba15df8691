/// A CSeq value: the sequence number and the method (RFC 3261 §20.16).
public struct SIPCSeq: Hashable, Sendable, CustomStringConvertible {
    /// The sequence number, below 2^31.
    public var number: UInt32
    /// The method of the request this sequence number belongs to.
    public var method: SIPMethod

    /// Creates a CSeq.
    public init(_ number: UInt32, _ method: SIPMethod) {
        self.number = number
        self.method = method
    }

    public var description: String { "\(number) \(method)" }

    /// Parses `4711 INVITE` (any whitespace between, leading zeros allowed).
    public init(parsing text: String) throws(SIPError) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2 else {
            throw SIPError(.malformedHeaderValue, "CSeq '\(text)' must be a number and a method")
        }
        let digits = words[0].drop { $0 == "0" }
        guard words[0].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = digits.isEmpty ? 0 : SIPSyntax.decimal(digits), value < 1 << 31
        else {
            throw SIPError(.malformedHeaderValue, "CSeq number '\(words[0])' is not a number below 2^31")
        }
        guard SIPSyntax.isToken(words[1]) else {
            throw SIPError(.malformedHeaderValue, "CSeq method '\(words[1])' is not a token")
        }
        number = UInt32(value)
        method = SIPMethod(rawValue: String(words[1]))
    }
}
