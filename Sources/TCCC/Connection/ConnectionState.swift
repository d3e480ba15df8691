/// Where the SDK's connection to the server stands; observe it with ``TCCC/connectionState``
/// or ``TCCC/connectionStates()``.
public enum ConnectionState: Sendable, Equatable, CustomStringConvertible {
    /// Created, not yet told to connect.
    case idle
    /// Opening the first connection and logging in.
    case connecting
    /// Logged in and caught up: calls go straight to the server.
    case ready
    /// The connection dropped; the SDK is opening a new one and will resume from its last event.
    /// `attempt` counts the tries since the connection was last ready, from 1.
    case reconnecting(attempt: Int)
    /// The SDK gave up: the login was refused or the token expired. Calls fail at once.
    case failed(TCCCError)
    /// ``TCCC/close()`` was called.
    case closed

    /// True when calls go straight to the server.
    public var isReady: Bool { self == .ready }

    /// A short phrase for a status line: `ready`, `reconnecting (attempt 2)`, `failed: ...`.
    public var description: String {
        switch self {
        case .idle: "idle"
        case .connecting: "connecting"
        case .ready: "ready"
        case .reconnecting(let attempt): "reconnecting (attempt \(attempt))"
        case .failed(let error): "failed: \(error.message)"
        case .closed: "closed"
        }
    }
}
