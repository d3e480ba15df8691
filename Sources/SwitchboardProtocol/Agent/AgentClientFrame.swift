/// A frame an agent SDK sends on the agent socket (``WireProtocol/agentSocketPath``).
public enum AgentClientFrame: ProtocolFrame {
    /// `hello`: the first frame, logging in (and resuming an earlier connection).
    case hello(AgentHello)
    /// `request`: one SDK call, answered by a `response` with the same id.
    case request(AgentRequest)
    /// `signal`: WebRTC signalling for a call the agent is in, relayed to the other side; no answer
    /// unless it is refused (an `error` frame naming the session).
    case signal(sessionId: String, CallSignal)
    /// `monitorSignal` (Switchboard): WebRTC signalling for a supervisor's monitor of a call this
    /// agent holds (`offer` and `candidate`; see `CallMonitor`), relayed to the supervisor's page.
    case monitorSignal(monitorId: String, CallSignal)

    /// The frame types the agent socket accepts.
    public static let types = ["hello", "request", "signal", "monitorSignal"]

    /// Decodes a frame, checking `"v"` and `"type"` first.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        switch try container.frameType(accepted: Self.types, on: "the agent socket") {
        case "hello": self = .hello(try AgentHello(from: decoder))
        case "signal":
            let signal = try container.decode(CallSignal.self, forKey: "signal")
            guard signal.kind.isClientSendable else {
                throw ProtocolError(.invalidValue, "field 'signal.kind': '\(signal.kind.rawValue)' is sent by the server; use Call.hold, Call.unHold or Call.sendDigits")
            }
            self = .signal(sessionId: try container.decodeNonEmpty("sessionId"), signal)
        case "monitorSignal":
            let signal = try container.decode(CallSignal.self, forKey: "signal")
            guard [.offer, .answer, .candidate].contains(signal.kind) else {
                throw ProtocolError(.invalidValue, "field 'signal.kind': a monitor carries offer, answer and candidate signals, not '\(signal.kind.rawValue)'")
            }
            self = .monitorSignal(monitorId: try container.decodeNonEmpty("monitorId"), signal)
        default: self = .request(try AgentRequest(from: decoder))
        }
    }

    /// Encodes the frame as one flat JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        switch self {
        case .hello(let hello):
            try container.encodeHeader(type: "hello")
            try hello.encode(to: encoder)
        case .request(let request):
            try container.encodeHeader(type: "request")
            try request.encode(to: encoder)
        case .signal(let sessionId, let signal):
            try container.encodeHeader(type: "signal")
            try container.encode(sessionId, forKey: "sessionId")
            try container.encode(signal, forKey: "signal")
        case .monitorSignal(let monitorId, let signal):
            try container.encodeHeader(type: "monitorSignal")
            try container.encode(monitorId, forKey: "monitorId")
            try container.encode(signal, forKey: "signal")
        }
    }
}
