/// Where a datagram came from or goes to: a host (IP literal or name) and a port.
public struct SIPTransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address or host name; IPv6 without brackets.
    public var host: String
    /// The UDP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
