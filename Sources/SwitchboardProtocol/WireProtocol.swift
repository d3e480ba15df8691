/// Constants every Switchboard endpoint and client agree on.
public enum WireProtocol {
    /// The protocol version this module speaks; every frame carries it as `"v"`.
    public static let version = 1

    /// The largest frame, in bytes of UTF-8, that `ProtocolFrame.decode(_:maximumSize:)` accepts by default.
    public static let defaultMaximumFrameSize = 64 * 1024

    /// The WebSocket path of the agent socket, used by the agent SDKs.
    public static let agentSocketPath = "/ws/agent"

    /// The WebSocket path of the customer im socket, used by chat widgets.
    public static let customerSocketPath = "/ws/customer"
}
