/// A Session-Expires value (RFC 4028 §4): the interval in seconds and who refreshes.
public struct SIPSessionExpires: Hashable, Sendable, CustomStringConvertible {
    /// Who sends the refresh re-INVITE or UPDATE.
    public enum Refresher: String, Hashable, Sendable {
        /// The UAC of the transaction carrying the header.
        case uac
        /// The UAS of the transaction carrying the header.
        case uas
    }

    /// The session interval in seconds.
    public var seconds: Int
    /// The refresher, when chosen.
    public var refresher: Refresher?

    /// Creates a value.
    public init(seconds: Int, refresher: Refresher? = nil) {
        self.seconds = seconds
        self.refresher = refresher
    }

    /// Parses `1800;refresher=uac`.
    public init(parsing text: String) throws(SIPError) {
        let parts = text.split(separator: ";", maxSplits: 1)
        guard let first = parts.first, let seconds = SIPSyntax.decimal(SIPSyntax.trim(first), maxDigits: 9) else {
            throw SIPError(.malformedHeaderValue, "Session-Expires '\(text)' does not start with a number of seconds")
        }
        self.seconds = seconds
        refresher = nil
        if parts.count == 2 {
            let parameters = try SIPParameters.parseHeaderParameters(parts[1], in: "Session-Expires")
            refresher = parameters.value("refresher").flatMap { Refresher(rawValue: $0.lowercased()) }
        }
    }

    public var description: String { refresher.map { "\(seconds);refresher=\($0.rawValue)" } ?? "\(seconds)" }
}
