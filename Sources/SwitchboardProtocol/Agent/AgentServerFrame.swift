/// A frame the server sends on the agent socket.
public enum AgentServerFrame: ProtocolFrame {
    /// `welcome`: the answer to a successful `hello`, with the agent's state.
    case welcome(AgentWelcome)
    /// `response`: the answer to one `request`.
    case response(AgentResponse)
    /// `event`: a TCCC SDK event, numbered per agent by `seq` so a reconnecting client can resume.
    case event(seq: Int, AgentEvent)
    /// `error`: a frame that could not be read or is not allowed, outside any request.
    case error(ProtocolError)
    /// `signal`: WebRTC signalling from the other side of a call the agent is in. Not numbered
    /// and not replayed: a reconnecting client renegotiates.
    case signal(sessionId: String, CallSignal)
    /// `login`: the token to log in with from now on (password logins; see `AgentLogin`).
    case login(AgentLogin)
    /// `customerTyping` (Switchboard): the customer of an im session this agent holds is typing.
    /// Not numbered and not replayed: it is stale within seconds, and nothing keeps it.
    case customerTyping(sessionId: String)
    /// `monitor` (Switchboard): a supervisor started, changed or stopped listening in on a call
    /// this agent holds. Not numbered and not replayed, as `signal`.
    case monitor(CallMonitor)
    /// `monitorSignal` (Switchboard): WebRTC signalling from the supervisor's page of a monitor.
    case monitorSignal(monitorId: String, CallSignal)

    /// The frame types the server sends on the agent socket.
    public static let types = ["welcome", "response", "event", "error", "signal", "login", "customerTyping", "monitor", "monitorSignal"]

    /// The frame that reports `error` to the client: the request's error `response` when the
    /// failed frame was a request with a readable id, else an `error` frame.
    public static func reporting(_ error: ProtocolError) -> AgentServerFrame {
        if let id = error.requestId {
            return .response(.failure(id: id, errorMsg: error.message))
        }
        return .error(error)
    }

    /// Decodes a frame, checking `"v"` and `"type"` first.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        switch try container.frameType(accepted: Self.types, on: "the agent SDK") {
        case "welcome": self = .welcome(try AgentWelcome(from: decoder))
        case "response": self = .response(try AgentResponse(from: decoder))
        case "event": self = .event(seq: try container.decode(Int.self, forKey: "seq"), try AgentEvent(from: decoder))
        case "signal":
            self = .signal(sessionId: try container.decode(String.self, forKey: "sessionId"), try container.decode(CallSignal.self, forKey: "signal"))
        case "login": self = .login(try AgentLogin(from: decoder))
        case "customerTyping": self = .customerTyping(sessionId: try container.decode(String.self, forKey: "sessionId"))
        case "monitor": self = .monitor(try CallMonitor(from: decoder))
        case "monitorSignal":
            self = .monitorSignal(monitorId: try container.decode(String.self, forKey: "monitorId"), try container.decode(CallSignal.self, forKey: "signal"))
        default: self = .error(try ProtocolError(from: decoder))
        }
    }

    /// Encodes the frame as one flat JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        switch self {
        case .welcome(let welcome):
            try container.encodeHeader(type: "welcome")
            try welcome.encode(to: encoder)
        case .response(let response):
            try container.encodeHeader(type: "response")
            try response.encode(to: encoder)
        case .event(let seq, let event):
            try container.encodeHeader(type: "event")
            try container.encode(seq, forKey: "seq")
            try event.encode(to: encoder)
        case .error(let error):
            try container.encodeHeader(type: "error")
            try error.encode(to: encoder)
        case .signal(let sessionId, let signal):
            try container.encodeHeader(type: "signal")
            try container.encode(sessionId, forKey: "sessionId")
            try container.encode(signal, forKey: "signal")
        case .login(let login):
            try container.encodeHeader(type: "login")
            try login.encode(to: encoder)
        case .customerTyping(let sessionId):
            try container.encodeHeader(type: "customerTyping")
            try container.encode(sessionId, forKey: "sessionId")
        case .monitor(let monitor):
            try container.encodeHeader(type: "monitor")
            try monitor.encode(to: encoder)
        case .monitorSignal(let monitorId, let signal):
            try container.encodeHeader(type: "monitorSignal")
            try container.encode(monitorId, forKey: "monitorId")
            try container.encode(signal, forKey: "signal")
        }
    }
}
