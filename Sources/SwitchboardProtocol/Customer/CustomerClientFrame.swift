/// A frame a customer's chat widget sends on the customer socket (``WireProtocol/customerSocketPath``).
public enum CustomerClientFrame: ProtocolFrame {
    /// `start`: open a new im session in a skill group.
    case start(ChatStart)
    /// `resume`: reattach to a session after a reconnect, with the secret from `started`;
    /// messages after `resumeFrom` (a message id) are sent again.
    case resume(sessionId: String, secret: String, resumeFrom: String?)
    /// `message`: the customer sends text; `clientMessageId` comes back in the `ack`.
    case message(text: String, clientMessageId: String?)
    /// `typing`: the customer is typing.
    case typing
    /// `leave`: the customer ends the session (`closeBy: client`); for a call, hangs up.
    case leave
    /// `signal`: WebRTC signalling for the customer's call, relayed to the agent who answered.
    case signal(CallSignal)
    /// `digit`: a key of the widget's keypad pressed while a voip call is in an IVR menu
    /// (0-9, *, #, A-D).
    case digit(Character)

    /// The frame types the customer socket accepts.
    public static let types = ["start", "resume", "message", "typing", "leave", "signal", "digit"]

    /// The keys a `digit` frame may carry.
    public static let keypadKeys = "0123456789*#ABCD"

    /// Decodes a frame, checking `"v"` and `"type"` first.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        switch try container.frameType(accepted: Self.types, on: "the customer socket") {
        case "start":
            self = .start(try ChatStart(from: decoder))
        case "resume":
            self = .resume(
                sessionId: try container.decodeNonEmpty("sessionId"),
                secret: try container.decodeNonEmpty("secret"),
                resumeFrom: try container.decodeNonEmptyIfPresent("resumeFrom")
            )
        case "message":
            self = .message(
                text: try container.decodeNonEmpty("text"),
                clientMessageId: try container.decodeNonEmptyIfPresent("clientMessageId")
            )
        case "typing":
            self = .typing
        case "digit":
            let key: String = try container.decodeNonEmpty("digit")
            guard key.count == 1, let character = key.first, Self.keypadKeys.contains(character) else {
                throw ProtocolError(.invalidValue, "field 'digit' must be one key of 0-9, *, #, A-D, not '\(key.prefix(16))'")
            }
            self = .digit(character)
        case "signal":
            let signal = try container.decode(CallSignal.self, forKey: "signal")
            guard signal.kind.isClientSendable else {
                throw ProtocolError(.invalidValue, "field 'signal.kind': '\(signal.kind.rawValue)' is sent by the agent's side only; send offer, answer or candidate")
            }
            self = .signal(signal)
        default:
            self = .leave
        }
    }

    /// Encodes the frame as one flat JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        switch self {
        case .start(let start):
            try container.encodeHeader(type: "start")
            try start.encode(to: encoder)
        case .resume(let sessionId, let secret, let resumeFrom):
            try container.encodeHeader(type: "resume")
            try container.encode(sessionId, forKey: "sessionId")
            try container.encode(secret, forKey: "secret")
            try container.encodeIfPresent(resumeFrom, forKey: "resumeFrom")
        case .message(let text, let clientMessageId):
            try container.encodeHeader(type: "message")
            try container.encode(text, forKey: "text")
            try container.encodeIfPresent(clientMessageId, forKey: "clientMessageId")
        case .typing:
            try container.encodeHeader(type: "typing")
        case .leave:
            try container.encodeHeader(type: "leave")
        case .signal(let signal):
            try container.encodeHeader(type: "signal")
            try container.encode(signal, forKey: "signal")
        case .digit(let key):
            try container.encodeHeader(type: "digit")
            try container.encode(String(key), forKey: "digit")
        }
    }
}
