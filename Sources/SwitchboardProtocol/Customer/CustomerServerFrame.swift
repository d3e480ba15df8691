/// A frame the server sends on the customer socket.
public enum CustomerServerFrame: ProtocolFrame {
    /// `started`: the session exists; keep `secret` to `resume` it after a reconnect.
    case started(sessionId: String, secret: String)
    /// `ringing`: an agent is being offered the session and has not answered yet.
    case ringing
    /// `signal`: WebRTC signalling (or hold, unhold, dtmf) from the agent in the customer's call.
    case signal(CallSignal)
    /// `queued`: waiting for an agent, at this place in the queue (1 = next).
    case queued(position: Int)
    /// `agentJoined`: an agent accepted the session. For calls, `iceServers` are the STUN/TURN
    /// servers to give `RTCPeerConnection` (only now: TURN logins go to answered calls only).
    case agentJoined(nickname: String, iceServers: [IceServer]? = nil)
    /// `agentTyping`: the agent is typing.
    case agentTyping
    /// `message`: a message in the session, from anyone (the customer's own come back too).
    case message(ChatMessage)
    /// `transferred`: the agent handed the session on; another agent will join.
    case transferred
    /// `ended`: the session is over.
    case ended(closeBy: CloseBy)
    /// `ack`: the customer's message was stored under `messageId`.
    case ack(clientMessageId: String?, messageId: String)
    /// `error`: a frame that could not be read or is not allowed.
    case error(ProtocolError)
    /// `ivrPrompt`: a voip call in an IVR flow: play the audio at `url` (a WAV this server
    /// serves), `text` its words for the page to show; it lasts `milliseconds`, after which the
    /// menu waits for keys (`digit`) for its timeout.
    case ivrPrompt(url: String, text: String?, milliseconds: Int64)
    /// `ivrStop`: stop the prompt playing (the caller pressed a key, or the flow moved on).
    case ivrStop

    /// The frame types the server sends on the customer socket.
    public static let types = [
        "started", "queued", "ringing", "agentJoined", "agentTyping", "message", "transferred", "ended", "ack", "error",
        "signal", "ivrPrompt", "ivrStop",
    ]

    /// Decodes a frame, checking `"v"` and `"type"` first.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        switch try container.frameType(accepted: Self.types, on: "the chat widget") {
        case "started":
            self = .started(
                sessionId: try container.decode(String.self, forKey: "sessionId"),
                secret: try container.decode(String.self, forKey: "secret")
            )
        case "ringing": self = .ringing
        case "signal": self = .signal(try container.decode(CallSignal.self, forKey: "signal"))
        case "queued": self = .queued(position: try container.decode(Int.self, forKey: "position"))
        case "agentJoined":
            self = .agentJoined(
                nickname: try container.decode(String.self, forKey: "nickname"),
                iceServers: try container.decodeIfPresent([IceServer].self, forKey: "iceServers"))
        case "agentTyping": self = .agentTyping
        case "message": self = .message(try ChatMessage(from: decoder))
        case "transferred": self = .transferred
        case "ended": self = .ended(closeBy: try container.decode(CloseBy.self, forKey: "closeBy"))
        case "ivrPrompt":
            self = .ivrPrompt(
                url: try container.decode(String.self, forKey: "url"), text: try container.decodeIfPresent(String.self, forKey: "text"),
                milliseconds: try container.decode(Int64.self, forKey: "milliseconds"))
        case "ivrStop": self = .ivrStop
        case "ack":
            self = .ack(
                clientMessageId: try container.decodeIfPresent(String.self, forKey: "clientMessageId"),
                messageId: try container.decode(String.self, forKey: "messageId")
            )
        default: self = .error(try ProtocolError(from: decoder))
        }
    }

    /// Encodes the frame as one flat JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        switch self {
        case .started(let sessionId, let secret):
            try container.encodeHeader(type: "started")
            try container.encode(sessionId, forKey: "sessionId")
            try container.encode(secret, forKey: "secret")
        case .ringing:
            try container.encodeHeader(type: "ringing")
        case .signal(let signal):
            try container.encodeHeader(type: "signal")
            try container.encode(signal, forKey: "signal")
        case .queued(let position):
            try container.encodeHeader(type: "queued")
            try container.encode(position, forKey: "position")
        case .agentJoined(let nickname, let iceServers):
            try container.encodeHeader(type: "agentJoined")
            try container.encode(nickname, forKey: "nickname")
            try container.encodeIfPresent(iceServers, forKey: "iceServers")
        case .agentTyping:
            try container.encodeHeader(type: "agentTyping")
        case .message(let message):
            try container.encodeHeader(type: "message")
            try message.encode(to: encoder)
        case .transferred:
            try container.encodeHeader(type: "transferred")
        case .ended(let closeBy):
            try container.encodeHeader(type: "ended")
            try container.encode(closeBy, forKey: "closeBy")
        case .ack(let clientMessageId, let messageId):
            try container.encodeHeader(type: "ack")
            try container.encodeIfPresent(clientMessageId, forKey: "clientMessageId")
            try container.encode(messageId, forKey: "messageId")
        case .error(let error):
            try container.encodeHeader(type: "error")
            try error.encode(to: encoder)
        case .ivrPrompt(let url, let text, let milliseconds):
            try container.encodeHeader(type: "ivrPrompt")
            try container.encode(url, forKey: "url")
            try container.encodeIfPresent(text, forKey: "text")
            try container.encode(milliseconds, forKey: "milliseconds")
        case .ivrStop:
            try container.encodeHeader(type: "ivrStop")
        }
    }
}
