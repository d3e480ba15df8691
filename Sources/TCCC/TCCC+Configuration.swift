import Logging

extension TCCC {
    /// How the SDK logs in: TCCC's SDK login token (`data-token`), or a user id and password.
    public enum Credentials: Sendable, Equatable, CustomStringConvertible {
        /// A short-lived SDK login token issued by the server API
        /// (`POST /api/v1/agents/{id}/tokens`); `userId`, when given, must be the token's agent.
        case token(String, userId: String? = nil)
        /// The agent's user id and password.
        case password(userId: String, password: String)

        /// The credentials with the secret hidden, safe to log.
        public var description: String {
            switch self {
            case .token(_, let userId): "token(<hidden>\(userId.map { ", userId: \($0)" } ?? ""))"
            case .password(let userId, _): "password(userId: \(userId), <hidden>)"
            }
        }

        /// The agent's user id, when the credentials name it.
        var userId: String? {
            switch self {
            case .token(_, let userId): userId
            case .password(let userId, _): userId
            }
        }

        /// The `hello` frame that logs in with these credentials.
        func hello(sdkAppId: String?, resumeFrom: Int?) -> AgentHello {
            switch self {
            case .token(let token, let userId):
                AgentHello(token: token, userId: userId, sdkAppId: sdkAppId, resumeFrom: resumeFrom)
            case .password(let userId, let password):
                AgentHello(userId: userId, password: password, sdkAppId: sdkAppId, resumeFrom: resumeFrom)
            }
        }
    }

    /// How the SDK talks to the server. The defaults follow docs/protocol.md; zero configuration works.
    public struct Configuration: Sendable {
        /// The tenant (TCCC's `data-sdk-app-id`); nil for a single-tenant server.
        public var sdkAppId: String?
        /// How long a call waits for its response (including waiting for a reconnect) before it
        /// fails with ``TCCCError/Code/timedOut``. Default 10 s.
        public var requestTimeout: Duration = .seconds(10)
        /// How long ``TCCC/connect()`` and each reconnect wait for the server's `ready`. Default 10 s.
        public var connectTimeout: Duration = .seconds(10)
        /// How often the SDK sends `ping` while connected. Default 20 s.
        public var pingInterval: Duration = .seconds(20)
        /// How long a `ping` may go unanswered before the SDK drops the socket and resumes on a
        /// new one. Default 10 s.
        public var pingTimeout: Duration = .seconds(10)
        /// The wait before the first reconnect attempt; it doubles with each failed attempt. Default 0.5 s.
        public var initialReconnectDelay: Duration = .milliseconds(500)
        /// The longest wait between reconnect attempts. Default 30 s.
        public var maximumReconnectDelay: Duration = .seconds(30)
        /// The largest frame the SDK accepts from the server, in bytes. Default 16 MiB, since a
        /// page of 200 messages can exceed the server's 64 KiB limit for frames it receives.
        public var maximumFrameSize: Int = 16 << 20
        /// Where the SDK logs connection changes and skipped frames.
        public var logger: Logger = Logger(label: "TCCC")

        /// The defaults.
        public init() {}
    }
}
