/// One WebRTC signalling message between the two sides of a `voip`, `video` or `internal` call,
/// relayed by the server to the other side of the session and to nobody else.
///
/// The caller's side (the customer's page, or the agent who placed an internal call) sends the
/// `offer` once the callee has accepted; the callee sends the `answer`; both send `candidate`s.
/// `hold`, `unhold` and `dtmf` are made by the server from the agent's `Call.hold`, `Call.unHold`
/// and `Call.sendDigits`, so the other side can silence its microphone, play hold music or show
/// the digits; clients cannot send those three themselves.
public struct CallSignal: Sendable, Equatable, Hashable {
    /// What the signal carries.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An SDP offer (`sdp`).
        case offer
        /// An SDP answer (`sdp`).
        case answer
        /// An ICE candidate (`candidate`); an empty `candidate.candidate` means no more candidates.
        case candidate
        /// The other side put the call on hold: stop sending media, play hold audio.
        case hold
        /// The other side took the call off hold.
        case unhold
        /// The other side sent DTMF digits (`digits`).
        case dtmf
        /// The other side lost its media (a reloaded page) and starts it again: drop the old peer
        /// connection and negotiate anew (the caller's side offers).
        case restart

        /// Decodes a kind, naming the allowed values if the string is not one.
        public init(from decoder: any Decoder) throws {
            self = try decodeWireEnum(Kind.self, from: decoder)
        }

        /// Whether a client may send this kind itself in a `signal` frame.
        public var isClientSendable: Bool { self == .offer || self == .answer || self == .candidate || self == .restart }
    }

    /// What the signal carries.
    public var kind: Kind
    /// The session description, for `offer` and `answer`.
    public var sdp: String?
    /// The ICE candidate, for `candidate`.
    public var candidate: IceCandidate?
    /// The digits, for `dtmf`: `0`–`9`, `*`, `#`, `A`–`D`, and `,` for a pause.
    public var digits: String?
    /// Which negotiation an `offer`, `answer` or `restart` belongs to, chosen by the side that
    /// starts it. A `restart` names the attempt the next offer must carry, and an answer repeats
    /// its offer's attempt, so an answer or offer still in flight from a connection that was
    /// replaced (Accept pressed in two tabs, a reloaded page) is told apart and ignored.
    public var attempt: String?

    /// Creates a signal; use the static factories for the common kinds.
    public init(kind: Kind, sdp: String? = nil, candidate: IceCandidate? = nil, digits: String? = nil, attempt: String? = nil) {
        self.kind = kind
        self.sdp = sdp
        self.candidate = candidate
        self.digits = digits
        self.attempt = attempt
    }

    /// An SDP offer.
    public static func offer(_ sdp: String) -> CallSignal { CallSignal(kind: .offer, sdp: sdp) }
    /// An SDP answer.
    public static func answer(_ sdp: String) -> CallSignal { CallSignal(kind: .answer, sdp: sdp) }
    /// An ICE candidate.
    public static func candidate(_ candidate: IceCandidate) -> CallSignal { CallSignal(kind: .candidate, candidate: candidate) }
    /// Hold.
    public static let hold = CallSignal(kind: .hold)
    /// Off hold.
    public static let unhold = CallSignal(kind: .unhold)
    /// Start the media again.
    public static let restart = CallSignal(kind: .restart)
    /// DTMF digits.
    public static func dtmf(_ digits: String) -> CallSignal { CallSignal(kind: .dtmf, digits: digits) }

    /// The characters `Call.sendDigits` accepts.
    public static let dtmfCharacters = Set("0123456789*#ABCDabcd,")
    /// The most digits one `Call.sendDigits` may send.
    public static let maximumDigits = 64
    /// The longest `attempt` accepted.
    public static let maximumAttemptLength = 64

    /// Checks an `attempt`: 1 to 64 letters, digits, `-` or `_`.
    static func checkAttempt(_ text: String) -> String? {
        if text.isEmpty { return "must not be empty when given" }
        if text.count > maximumAttemptLength { return "is \(text.count) characters; at most \(maximumAttemptLength)" }
        if !text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) {
            return "may hold only letters, digits, '-' and '_'"
        }
        return nil
    }

    /// Checks `dtmfText` for `Call.sendDigits`, naming what is wrong.
    public static func checkDigits(_ text: String) throws(ProtocolError) {
        if text.isEmpty { throw ProtocolError(.invalidValue, "dtmfText must not be empty") }
        if text.count > maximumDigits {
            throw ProtocolError(.invalidValue, "dtmfText is \(text.count) characters; at most \(maximumDigits) digits are sent at once")
        }
        if let bad = text.first(where: { !dtmfCharacters.contains($0) }) {
            throw ProtocolError(.invalidValue, "dtmfText may hold 0-9, *, #, A-D and ',' (a pause), not '\(bad)'")
        }
    }
}

extension CallSignal: Codable {
    private enum CodingKeys: String, CodingKey { case kind, sdp, candidate, digits, attempt }

    /// Decodes a signal, checking that the fields its kind needs are there.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(Kind.self, forKey: .kind)
        self.init(kind: kind)
        switch kind {
        case .offer, .answer:
            let sdp = try container.decode(String.self, forKey: .sdp)
            if sdp.isEmpty { throw ProtocolError.invalidValue(at: container.codingPath + [CodingKeys.sdp], "must not be empty: an \(kind.rawValue) carries a session description") }
            self.sdp = sdp
        case .candidate:
            candidate = try container.decode(IceCandidate.self, forKey: .candidate)
        case .dtmf:
            let digits = try container.decode(String.self, forKey: .digits)
            do { try Self.checkDigits(digits) } catch {
                throw ProtocolError.invalidValue(at: container.codingPath + [CodingKeys.digits], error.message)
            }
            self.digits = digits
        case .hold, .unhold, .restart:
            break
        }
        if let attempt = try container.decodeIfPresent(String.self, forKey: .attempt) {
            guard kind == .offer || kind == .answer || kind == .restart else {
                throw ProtocolError.invalidValue(at: container.codingPath + [CodingKeys.attempt], "belongs only to offer, answer and restart signals, not \(kind.rawValue)")
            }
            if let problem = Self.checkAttempt(attempt) {
                throw ProtocolError.invalidValue(at: container.codingPath + [CodingKeys.attempt], problem)
            }
            self.attempt = attempt
        }
    }

    /// Encodes the kind and its fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(sdp, forKey: .sdp)
        try container.encodeIfPresent(candidate, forKey: .candidate)
        try container.encodeIfPresent(digits, forKey: .digits)
        try container.encodeIfPresent(attempt, forKey: .attempt)
    }
}

/// An ICE candidate as the browser's `RTCIceCandidate.toJSON()` gives it.
public struct IceCandidate: Sendable, Codable, Equatable, Hashable {
    /// The candidate line; empty for end-of-candidates.
    public var candidate: String
    /// The media stream identification tag.
    public var sdpMid: String?
    /// The index of the media description.
    public var sdpMLineIndex: Int?
    /// The ICE username fragment.
    public var usernameFragment: String?

    /// Creates a candidate.
    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int? = nil, usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }
}

/// A STUN or TURN server for `RTCPeerConnection`'s `iceServers`, as the server hands it to both
/// sides of a call (`welcome.iceServers`, the customer's `started.iceServers`).
public struct IceServer: Sendable, Codable, Equatable, Hashable {
    /// `stun:` / `turn:` / `turns:` URLs.
    public var urls: [String]
    /// The TURN user name.
    public var username: String?
    /// The TURN password.
    public var credential: String?

    /// Creates an entry.
    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}
