import Foundation

/// What `switchboard loadtest` does: how many agents, how fast customers arrive, how agents behave.
public struct LoadTestOptions: Sendable, Codable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public var server: URL
    /// Other nodes of the same cluster: agents and customers are spread over `server` and these.
    public var otherServers: [URL] = []
    /// The admin API key, to create the load-test group and agents and issue their tokens.
    public var apiKey: String
    /// Simulated agents, each one WebSocket connection.
    public var agents: Int = 100
    /// Customer sessions started per second.
    public var rate: Double = 100
    /// Seconds during which customers arrive.
    public var duration: Double = 10
    /// Milliseconds an agent waits between `callIn` and `Chat.accept`.
    public var thinkMilliseconds: Int = 0
    /// Milliseconds an agent holds a session (after its one message) before `Chat.end`.
    public var handleMilliseconds: Int = 0
    /// `im` sessions each agent may hold at once.
    public var imCapacity: Int = 5
    /// Also measure the floor: a bare WebSocket echo with the same connections and messages.
    public var measureEchoFloor: Bool = true
    /// The server's process id, for CPU and RSS figures (known when the load test started it).
    public var serverProcessId: Int32?
    /// Clients guessing passwords beside the load, each from ever new addresses (0: none).
    public var loginFlood: Int = 0
    /// Clients starting chats as fast as they can from one address beside the load (0: none).
    public var startFlood: Int = 0

    /// Creates options for a server.
    public init(server: URL, apiKey: String) {
        self.server = server
        self.apiKey = apiKey
    }

    /// Names the first setting that cannot work.
    public func validate() throws {
        guard ["http", "https"].contains(server.scheme ?? "") else { throw LoadTestError("--server must be an http:// or https:// URL, not \(server)") }
        for other in otherServers where !["http", "https"].contains(other.scheme ?? "") {
            throw LoadTestError("--also-server must be an http:// or https:// URL, not \(other)")
        }
        guard (1...50_000).contains(agents) else { throw LoadTestError("--agents must be 1 to 50000, not \(agents)") }
        guard rate > 0 && rate <= 100_000 else { throw LoadTestError("--rate must be above 0 and at most 100000 sessions/s, not \(rate)") }
        guard duration > 0 && duration <= 86_400 else { throw LoadTestError("--duration must be above 0 and at most 86400 s, not \(duration)") }
        guard thinkMilliseconds >= 0, handleMilliseconds >= 0 else { throw LoadTestError("--think and --handle must not be negative") }
        guard (0...1000).contains(loginFlood), (0...1000).contains(startFlood) else { throw LoadTestError("--login-flood and --start-flood must be 0 to 1000 clients") }
        guard (1...100).contains(imCapacity) else { throw LoadTestError("--im-capacity must be 1 to 100, not \(imCapacity)") }
    }

    /// `ws://` or `wss://` for a path on the server.
    func webSocketURL(_ path: String) -> String {
        Self.webSocketURL(path, on: server)
    }

    /// `ws://` or `wss://` for a path on every node, `server` first.
    func webSocketURLs(_ path: String) -> [String] {
        ([server] + otherServers).map { Self.webSocketURL(path, on: $0) }
    }

    private static func webSocketURL(_ path: String, on server: URL) -> String {
        var components = URLComponents(url: server, resolvingAgainstBaseURL: false)!
        components.scheme = components.scheme == "https" ? "wss" : "ws"
        components.path = path
        return components.string!
    }
}

/// A load test that could not run, and why.
public struct LoadTestError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
