import Foundation

/// The agent socket's URL for a server URL: `http://host:8080` → `ws://host:8080/ws/agent`,
/// `https://cc.example.com/switchboard` → `wss://cc.example.com/switchboard/ws/agent`.
/// A `ws` or `wss` URL with a path is used as it is. With an SdkAppId the URL names the tenant
/// (`?sdkAppId=`), which a server hosting several sends the connection to (docs/tenants.md).
enum AgentSocketAddress {
    static func url(for server: URL, sdkAppId: String? = nil) throws(TCCCError) -> String {
        let address = try url(for: server)
        guard let sdkAppId, !sdkAppId.isEmpty, var components = URLComponents(string: address) else { return address }
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "sdkAppId" } + [URLQueryItem(name: "sdkAppId", value: sdkAppId)]
        return components.string ?? address
    }

    private static func url(for server: URL) throws(TCCCError) -> String {
        guard var components = URLComponents(url: server, resolvingAgainstBaseURL: false),
              let host = components.host, !host.isEmpty
        else {
            throw TCCCError(.invalidServerURL, "the server URL '\(server.absoluteString)' has no host; use e.g. http://127.0.0.1:8080")
        }
        let scheme = components.scheme?.lowercased()
        var path = components.path
        switch scheme {
        case "http": components.scheme = "ws"
        case "https": components.scheme = "wss"
        case "ws", "wss":
            if !path.isEmpty && path != "/" {
                return server.absoluteString
            }
        default:
            throw TCCCError(.invalidServerURL, "the server URL '\(server.absoluteString)' must start with http://, https://, ws:// or wss://")
        }
        while path.hasSuffix("/") { path.removeLast() }
        components.path = path + WireProtocol.agentSocketPath
        components.query = nil
        components.fragment = nil
        guard let url = components.string else {
            throw TCCCError(.invalidServerURL, "the server URL '\(server.absoluteString)' cannot be turned into a WebSocket URL")
        }
        return url
    }
}
