/// The `response` frame: TCCC's `CommonSDKResponse` (`status`, `errorMsg`, `data`) plus the request's id.
public struct AgentResponse: Sendable, Codable, Equatable, Hashable {
    /// The id of the request this answers.
    public var id: String
    /// Whether the call succeeded.
    public var status: Status
    /// What went wrong, for a person, when `status` is `error`.
    public var errorMsg: String?
    /// The call's result, when it has one (see each ``AgentCall`` case).
    public var data: JSONValue?

    /// Creates a response.
    public init(id: String, status: Status, errorMsg: String? = nil, data: JSONValue? = nil) {
        self.id = id
        self.status = status
        self.errorMsg = errorMsg
        self.data = data
    }

    /// A success, with optional data.
    public static func success(id: String, data: JSONValue? = nil) -> AgentResponse {
        AgentResponse(id: id, status: .success, data: data)
    }

    /// A success carrying a typed result, such as a ``MessagePage``, as its data.
    public static func success(id: String, result: some Encodable) throws -> AgentResponse {
        AgentResponse(id: id, status: .success, data: try JSONValue(encoding: result))
    }

    /// A failure, with a message a person can act on.
    public static func failure(id: String, errorMsg: String) -> AgentResponse {
        AgentResponse(id: id, status: .error, errorMsg: errorMsg)
    }

    /// Reads `data` as a typed result, e.g. `try response.decodeData(as: MessagePage.self)`.
    public func decodeData<T: Decodable>(as type: T.Type) throws(ProtocolError) -> T {
        try (data ?? .null).decode(as: type, at: [WireKey("data")])
    }

    /// TCCC's `CommonSDKResponse.status`.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// The call succeeded.
        case success
        /// The call failed; `errorMsg` says why.
        case error

        /// Decodes a status, naming the allowed values if the string is not one.
        public init(from decoder: any Decoder) throws {
            self = try decodeWireEnum(Status.self, from: decoder)
        }
    }
}
