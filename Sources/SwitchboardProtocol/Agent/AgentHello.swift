/// The `hello` frame: how an agent SDK logs in, either with an SDK login token or with a user id
/// and password, and which events it already has.
public struct AgentHello: Sendable, Codable, Equatable, Hashable {
    /// The SDK login token (TCCC's `data-token`), short-lived and issued by the server API.
    public var token: String?
    /// The agent's user id (TCCC's `data-userid`).
    public var userId: String?
    /// The agent's password, for logging in without a token.
    public var password: String?
    /// The tenant (TCCC's `data-sdk-app-id`).
    public var sdkAppId: String?
    /// The `seq` of the last event this client saw on an earlier connection, to get the missed ones.
    public var resumeFrom: Int?

    /// Creates a hello.
    public init(
        token: String? = nil,
        userId: String? = nil,
        password: String? = nil,
        sdkAppId: String? = nil,
        resumeFrom: Int? = nil
    ) {
        self.token = token
        self.userId = userId
        self.password = password
        self.sdkAppId = sdkAppId
        self.resumeFrom = resumeFrom
    }
}

extension AgentHello: CustomStringConvertible {
    /// The hello with the token and password hidden, safe to log.
    public var description: String {
        var parts: [String] = []
        if token != nil { parts.append("token: <hidden>") }
        if let userId { parts.append("userId: \(userId)") }
        if password != nil { parts.append("password: <hidden>") }
        if let sdkAppId { parts.append("sdkAppId: \(sdkAppId)") }
        if let resumeFrom { parts.append("resumeFrom: \(resumeFrom)") }
        return "AgentHello(\(parts.joined(separator: ", ")))"
    }
}
