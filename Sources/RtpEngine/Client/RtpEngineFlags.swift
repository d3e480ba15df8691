/// The options of an `offer` or `answer` that say how rtpengine rewrites the SDP it returns, i.e.
/// what the party who receives that SDP speaks. Sets combine with `+`: lists (`flags`, `replace`,
/// `codec.strip`, ...) are joined, dictionaries (`codec`) merged, single values taken from the right.
///
/// The named sets are the ones measured in `shared/design/phone-media.md` on rtpengine 10.5.
public struct RtpEngineFlags: Sendable, Hashable {
    /// The ng dictionary entries, as sent.
    public var entries: [String: NGValue]

    /// A set of entries.
    public init(_ entries: [String: NGValue] = [:]) {
        self.entries = entries
    }

    /// For SDP going to a browser (WebRTC): rtpengine as the only ICE candidate, DTLS-SRTP with
    /// rtpengine as the DTLS server, rtcp-mux, `a=mid` for the browser's BUNDLE handling.
    public static let browserFacing = RtpEngineFlags([
        "ICE": "force",
        "DTLS": "passive",
        "transport-protocol": "UDP/TLS/RTP/SAVPF",
        "rtcp-mux": ["require"],
        "SDES": ["off"],
        "flags": ["generate mid", "trust address"],
        "replace": ["origin", "session-connection"],
    ])

    /// For SDP going to a SIP carrier: plain RTP/AVP, no ICE, no DTLS, RTCP on its own port.
    public static let carrierFacing = RtpEngineFlags([
        "ICE": "remove",
        "DTLS": "off",
        "transport-protocol": "RTP/AVP",
        "rtcp-mux": ["demux"],
        "SDES": ["off"],
        "replace": ["origin", "session-connection"],
    ])

    /// Keeps rtpengine's local ports when the remote side changes; what lets an agent's browser be
    /// attached (or replaced) without the carrier-facing port changing, so no re-INVITE is needed.
    public static let portLatching = RtpEngineFlags(["flags": ["port latching"]])

    /// Offers Opus to the browser while the carrier stays on G.711: PCMU and PCMA are masked from
    /// the browser-facing SDP and rtpengine transcodes. Use with `browserFacing`.
    public static let opusTowardBrowser = RtpEngineFlags(["codec": ["mask": ["PCMU", "PCMA"], "transcode": ["opus"]]])

    /// Leaves only G.711 and RFC 4733 telephone events in the SDP, as a carrier expects. Used on the
    /// browser's offer when attaching an agent to a call that was answered at once.
    public static let onlyG711 = RtpEngineFlags(["codec": ["strip": ["all"], "except": ["PCMU", "PCMA", "telephone-event/8000"]]])

    /// Routes audio through rtpengine's codec engine so `play DTMF` can inject digits. rtpengine
    /// requires it in both the `offer` and the `answer` of the call; it costs transcoding CPU.
    public static let injectDTMF = RtpEngineFlags(["flags": ["inject DTMF"]])

    /// The carrier's initial `offer` when the call is answered at once (recipe 2 in phone-media.md).
    public static let carrierOfferAnsweredAtOnce = carrierFacing + portLatching

    /// For an `offer` whose SDP comes from a browser (attaching an agent, a transfer, a reload, dialling
    /// out), measured on rtpengine 10.5 with chromium:
    /// - `reset`: rtpengine decides the ICE roles of the browser's leg afresh. Otherwise a leg that
    ///   already took part in an exchange (the placeholder answer of an inbound call) keeps the
    ///   *controlling* role it got as the receiver of the carrier's offer, while the browser, the
    ///   offerer, is controlling too: a role conflict (`ICE role conflict detected`, then `unknown
    ///   transaction`) that left most first offers `checking` for good.
    /// - `DTLS-reverse: passive`: without it rtpengine takes the DTLS client role on the browser's
    ///   `actpass` already at `offer`, and its ICE checks (started at `offer` too) succeed before the
    ///   browser has the answer, so it sends a ClientHello the browser cannot use; the `answer` (DTLS
    ///   passive) then makes it the server, and DTLS never starts.
    public static let browserOffer = RtpEngineFlags(["flags": ["reset"], "DTLS-reverse": "passive"])

    /// The browser's `offer` when an agent is attached to (or transferred within) a call that was
    /// answered at once, or dials out: the SDP goes to the carrier and its port must not change.
    public static let agentAttachOffer = carrierFacing + portLatching + onlyG711 + browserOffer

    /// The `answer` that completes an agent's attach: the carrier's SDP in, the browser's answer out.
    public static let agentAttachAnswer = browserFacing

    /// Both sets' entries; lists are joined without repeats, dictionaries merged, and otherwise the
    /// right-hand value wins.
    public static func + (left: RtpEngineFlags, right: RtpEngineFlags) -> RtpEngineFlags {
        RtpEngineFlags(merge(left.entries, right.entries))
    }

    private static func merge(_ left: [String: NGValue], _ right: [String: NGValue]) -> [String: NGValue] {
        left.merging(right) { old, new in
            switch (old, new) {
            case (.list(let oldItems), .list(let newItems)):
                return .list(oldItems + newItems.filter { !oldItems.contains($0) })
            case (.dictionary(let oldEntries), .dictionary(let newEntries)):
                return .dictionary(merge(oldEntries, newEntries))
            default:
                return new
            }
        }
    }
}

/// Gives the browser's telephone-event the carrier's payload type number in the SDP rtpengine gets,
/// and back in the answer the browser gets.
///
/// rtpengine matches the codecs of an `answer` to those of its `offer` by number only. When a
/// browser's offer renegotiates a call whose carrier SDP is already fixed (an agent attaching to an
/// inbound call), rtpengine offers telephone-event towards the carrier under the browser's number
/// (chromium: 126), then drops the carrier's own number (usually 101) from the carrier's SDP as a
/// "stray answer codec": with no telephone-event towards the carrier, `play DTMF` falls back to
/// in-band tones. Swapping the two numbers in the browser's SDP (and swapping them back in
/// rtpengine's answer) keeps the carrier's number, which is what the carrier was told in the 200 OK.
public struct TelephoneEventPayloadTypes: Sendable, Hashable {
    /// The browser's number for telephone-event/8000.
    public let browser: Int
    /// The carrier's number for telephone-event/8000.
    public let carrier: Int

    /// Nil when there is nothing to align: either side has no telephone-event/8000, or both use the same number.
    public init?(browserSDP: String, carrierSDP: String) {
        guard let browser = Self.telephoneEvent(in: browserSDP), let carrier = Self.telephoneEvent(in: carrierSDP),
            browser != carrier
        else { return nil }
        self.browser = browser
        self.carrier = carrier
    }

    /// The number of telephone-event/8000 in the SDP's first audio section, if it has one.
    public static func telephoneEvent(in sdp: String) -> Int? {
        var inAudio = false
        for line in Self.lines(of: sdp) {
            if line.hasPrefix("m=") {
                if inAudio { return nil }
                inAudio = line.hasPrefix("m=audio ")
            } else if inAudio, line.hasPrefix("a=rtpmap:") {
                let fields = line.dropFirst("a=rtpmap:".count).split(separator: " ", maxSplits: 1)
                if fields.count == 2, fields[1].lowercased().hasPrefix("telephone-event/8000"), let number = Int(fields[0]) {
                    return number
                }
            }
        }
        return nil
    }

    /// The SDP with the two numbers swapped in its audio sections (format list, `rtpmap`, `fmtp`,
    /// `rtcp-fb`); applying it twice gives the SDP back.
    public func apply(to sdp: String) -> String {
        var inAudio = false
        let lines = Self.lines(of: sdp).map { line -> String in
            var line = String(line)
            if line.hasPrefix("m=") {
                inAudio = line.hasPrefix("m=audio ")
                if inAudio {
                    var fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                    for index in fields.indices.dropFirst(3) {
                        if let number = Int(fields[index]) { fields[index] = String(swapped(number)) }
                    }
                    line = fields.joined(separator: " ")
                }
            } else if inAudio {
                for attribute in ["a=rtpmap:", "a=fmtp:", "a=rtcp-fb:"] where line.hasPrefix(attribute) {
                    let rest = line.dropFirst(attribute.count)
                    let digits = rest.prefix { $0.isNumber }
                    if let number = Int(digits) {
                        line = attribute + String(swapped(number)) + rest.dropFirst(digits.count)
                    }
                }
            }
            return line
        }
        // "\r\n" is one Character in Swift: lines are split on both endings and joined with the SDP's own.
        return lines.joined(separator: sdp.contains("\r\n" as Character) ? "\r\n" : "\n")
    }

    private func swapped(_ number: Int) -> Int {
        number == browser ? carrier : number == carrier ? browser : number
    }

    private static func lines(of sdp: String) -> [Substring] {
        sdp.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}
