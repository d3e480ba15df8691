/// A frame an agent SDK sends on the agent socket (``WireProtocol/agentSocketPath``).
public enum AgentClientFrame: ProtocolFrame {
    /// `hello`: the first frame, logging in (and resuming an earlier connection).
    case hello(AgentHello)
    /// `request`: one SDK call, answered by a `response` with the same id.
    case request(AgentRequest)

    /// The frame types the agent socket accepts.
    public static let types = ["hello", "request"]

    /// Decodes a frame, checking `"v"` and `"type"` first.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        switch try container.frameType(accepted: Self.types, on: "the agent socket") {
        case "hello": self = .hello(try AgentHello(from: decoder))
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
        }
    }
}
