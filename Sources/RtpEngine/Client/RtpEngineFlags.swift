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

    /// The browser's `offer` when an agent is attached to (or transferred within) a call that was
    /// answered at once: the SDP goes to the carrier and its port must not change.
    public static let agentAttachOffer = carrierFacing + portLatching + onlyG711

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
