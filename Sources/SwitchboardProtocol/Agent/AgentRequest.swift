/// The `request` frame: one SDK call with the id the client chose to match its `response`.
public struct AgentRequest: Sendable, Codable, Equatable, Hashable {
    /// The client's id for the request, echoed in the response; unique among the connection's open requests.
    public var id: String
    /// The method and its parameters.
    public var call: AgentCall

    /// Creates a request.
    public init(id: String, call: AgentCall) {
        self.id = id
        self.call = call
    }

    /// Decodes a request; once the id is read, any later failure carries it as ``ProtocolError/requestId``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        let id = try container.decodeNonEmpty("id")
        do {
            self.init(id: id, call: try AgentCall(from: decoder))
        } catch var error as ProtocolError {
            error.requestId = id
            throw error
        }
    }

    /// Encodes `id`, `method` and `params` into the frame's object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(id, forKey: "id")
        try call.encode(to: encoder)
    }
}
