import Foundation
import SwitchboardCore

/// The telephone channel's settings: the SIP side towards the carrier's trunk and the media relay.
/// Phone calls are off unless `ServerConfiguration.phone` is set (`--sip-listen`).
public struct PhoneConfiguration: Sendable {
    /// The UDP address Switchboard's SIP endpoint listens on (`--sip-listen`, e.g. 0.0.0.0:5060).
    public var sipHost: String = "127.0.0.1"
    /// The SIP UDP port; 0 picks a free one (tests).
    public var sipPort: Int = 5060
    /// The address put in Via and Contact when it differs from `sipHost` (NAT, 0.0.0.0).
    public var sipAdvertisedHost: String?

    /// The carrier's SIP address for outbound calls (`--trunk host:port`); nil: no outbound calls.
    public var trunk: HostPort?
    /// The digest user name the trunk may ask for (`--trunk-username`).
    public var trunkUsername: String?
    /// The digest password: from `SWITCHBOARD_TRUNK_PASSWORD` or `--trunk-password-file`, never a flag.
    public var trunkPassword: String?
    /// The caller id presented on outbound calls unless the agent names one (`--caller-id`).
    public var defaultCallerNumber: String?
    /// The addresses (IPs, or CIDRs) calls may come from (`--trunk-allow`); the trunk's own
    /// address when empty. INVITEs from anywhere else are refused with 403.
    public var allowedSources: [String] = []

    /// Numbers bound to skill groups at start (`--phone-number NUMBER=GROUP`), added to those the
    /// admin API keeps.
    public var numbers: [PhoneNumberBinding] = []
    /// Destinations agents may dial (`--dial-allow`): exact numbers, or prefixes ending in `*`
    /// (`+4930*`). Empty: agents may dial nothing (toll fraud is the first attack a trunk meets).
    public var dialAllow: [String] = []
    /// Seconds an outbound call may ring before it ends unanswered (`notAnswer`).
    public var outboundRingSeconds: Int = 60

    /// rtpengine's control address when one is already running (`--rtpengine udp:HOST:PORT`);
    /// nil: Switchboard starts and supervises its own.
    public var rtpengine: HostPort?
    /// The address rtpengine binds media to (`--media-address`).
    public var mediaAddress: String = "127.0.0.1"
    /// The public address put in SDP when media goes through NAT (`--media-public-address`).
    public var mediaPublicAddress: String?
    /// The UDP ports rtpengine may use for media (`--rtp-ports 30000-30999`).
    public var rtpPorts: ClosedRange<Int> = 30000...30999
    /// The file the caller hears while queued; a generated tone pattern when nil.
    public var queueAudioPath: String?
    /// The file the caller hears on hold; a generated tone pattern when nil.
    public var holdAudioPath: String?
    /// Days a call recording is kept after its call ended (`--recording-retention-days`); nil
    /// keeps them until deleted by hand.
    public var recordingRetentionDays: Int?
    /// The espeak-ng voice IVR prompts without an audio file are spoken in (`--ivr-voice`).
    public var ivrVoice: String = "en"

    /// New calls a second the SIP endpoint takes on average (bursts of twice that); more get 503.
    public var inviteRate: Double = 200
    /// Calls carried at once; more get 503 with Retry-After.
    public var maximumCalls: Int = 1000

    /// The defaults.
    public init() {}

    /// Checks the settings, naming the first one that is wrong.
    public func validate() throws(ConfigurationError) {
        if let days = recordingRetentionDays, !(1...36_500).contains(days) {
            throw ConfigurationError("the recording retention must be 1 to 36500 days, not \(days)")
        }
        if ivrVoice.isEmpty || ivrVoice.count > 32 || !ivrVoice.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-+_".contains($0)) }) {
            throw ConfigurationError("the IVR voice must be an espeak-ng voice name like en, en-us or de, not '\(ivrVoice.prefix(40))'")
        }
        if !(0...65535).contains(sipPort) { throw ConfigurationError("the SIP port must be 0 to 65535, not \(sipPort)") }
        if trunk != nil, trunkUsername != nil, trunkPassword == nil {
            throw ConfigurationError("--trunk-username needs a password: set SWITCHBOARD_TRUNK_PASSWORD or --trunk-password-file")
        }
        for number in numbers {
            do { try OutboundCall.checkNumber(number.number, field: "--phone-number") } catch {
                throw ConfigurationError(error.message)
            }
        }
        for pattern in dialAllow {
            let digits = pattern.hasSuffix("*") ? String(pattern.dropLast()) : pattern
            if digits.isEmpty && pattern == "*" { continue }
            do { try OutboundCall.checkNumber(digits, field: "--dial-allow pattern") } catch {
                throw ConfigurationError("\(error.message) (a pattern is a number, or a prefix ending in *)")
            }
        }
        for source in allowedSources where AddressMatcher(source) == nil {
            throw ConfigurationError("--trunk-allow '\(source)' is not an IP address or CIDR (e.g. 203.0.113.7 or 203.0.113.0/24)")
        }
        if rtpPorts.lowerBound < 1024 || rtpPorts.upperBound > 65535 || rtpPorts.count < 4 {
            throw ConfigurationError("--rtp-ports must be a range within 1024-65535 of at least 4 ports, not \(rtpPorts.lowerBound)-\(rtpPorts.upperBound)")
        }
        if !(5...600).contains(outboundRingSeconds) {
            throw ConfigurationError("the outbound ring timeout must be 5 to 600 seconds, not \(outboundRingSeconds)")
        }
        for (name, path) in [("--queue-audio", queueAudioPath), ("--hold-audio", holdAudioPath)] {
            if let path, !FileManager.default.fileExists(atPath: path) { throw ConfigurationError("\(name) file '\(path)' does not exist") }
        }
        if !(inviteRate > 0) || maximumCalls < 1 { throw ConfigurationError("the INVITE rate and the call limit must be above 0") }
        if sipAdvertisedHost == nil, sipHost == "0.0.0.0" || sipHost == "::" {
            throw ConfigurationError("--sip-listen \(sipHost) listens on every address, so the carrier cannot be told which one to send to: set --sip-advertise to the address it reaches this server at")
        }
        if let defaultCallerNumber {
            do { try OutboundCall.checkNumber(defaultCallerNumber, field: "--caller-id") } catch { throw ConfigurationError(error.message) }
        }
    }

    /// Whether an agent may present `number` as the caller: only `--caller-id` and the tenant's
    /// own numbers, so nobody can call out as a bank or a competitor.
    public func allowsPresenting(_ number: String, ownNumbers: some Sequence<String>) -> Bool {
        number == defaultCallerNumber || numbers.contains { $0.number == number } || ownNumbers.contains(number)
    }

    /// Whether agents may dial `number` (`dialAllow`).
    public func allowsDialling(_ number: String) -> Bool {
        dialAllow.contains { pattern in
            pattern.hasSuffix("*") ? number.hasPrefix(pattern.dropLast()) : number == pattern
        }
    }
}

/// A host and port, parsed from `host:port` or `udp:host:port`.
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    /// The host name or IP address.
    public var host: String
    /// The port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `udp:host:port` or `[v6]:port`; `defaultPort` when the port is left out.
    public init?(parsing text: String, defaultPort: Int? = nil) {
        var rest = Substring(text)
        if rest.hasPrefix("udp:") { rest = rest.dropFirst(4) }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.isEmpty { guard let defaultPort else { return nil }; port = defaultPort; return }
            guard after.hasPrefix(":"), let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
            port = value
            return
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, parts.count <= 2 else { return nil }
        host = String(first)
        if parts.count == 2 {
            guard let value = Int(parts[1]), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            guard let defaultPort else { return nil }
            port = defaultPort
        }
    }

    /// `host:port`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
