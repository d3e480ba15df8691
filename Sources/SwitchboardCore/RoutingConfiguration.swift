/// Tenant-wide routing settings.
public struct RoutingConfiguration: Codable, Equatable, Sendable {
    /// The status `Agent.online()` puts an agent in: `free` (default) or `notReady`.
    public var statusAfterOnline: AgentStatus
    /// How many `im` sessions an agent may hold at once unless its profile says otherwise.
    public var defaultImCapacity: Int
    /// Whether an agent may hold `im` sessions and one voice-like session together.
    public var allowVoiceWithIm: Bool
    /// Seconds an online agent with no connection keeps its offers before they move on.
    public var reconnectGraceSeconds: Int
    /// Seconds an agent with no connection keeps its accepted `im` sessions before they return to the queue.
    public var imHoldSeconds: Int
    /// Whether an SDK login (with a login token, as TCCC's `SdkURL` carries) puts an offline agent
    /// online, as TCCC does; false keeps it offline until `Agent.online()`. The server reads it
    /// when an agent logs in and sends the `online` command itself; routing never reads it.
    public var onlineAtLogin: Bool

    /// Creates settings with the documented defaults.
    public init(
        statusAfterOnline: AgentStatus = .free, defaultImCapacity: Int = 5, allowVoiceWithIm: Bool = false,
        reconnectGraceSeconds: Int = 30, imHoldSeconds: Int = 120, onlineAtLogin: Bool = true
    ) {
        self.onlineAtLogin = onlineAtLogin
        self.statusAfterOnline = statusAfterOnline
        self.defaultImCapacity = defaultImCapacity
        self.allowVoiceWithIm = allowVoiceWithIm
        self.reconnectGraceSeconds = reconnectGraceSeconds
        self.imHoldSeconds = imHoldSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case statusAfterOnline, defaultImCapacity, allowVoiceWithIm, reconnectGraceSeconds, imHoldSeconds, onlineAtLogin
    }

    /// Journals and snapshots from before `onlineAtLogin` existed decode with its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        statusAfterOnline = try container.decode(AgentStatus.self, forKey: .statusAfterOnline)
        defaultImCapacity = try container.decode(Int.self, forKey: .defaultImCapacity)
        allowVoiceWithIm = try container.decode(Bool.self, forKey: .allowVoiceWithIm)
        reconnectGraceSeconds = try container.decode(Int.self, forKey: .reconnectGraceSeconds)
        imHoldSeconds = try container.decode(Int.self, forKey: .imHoldSeconds)
        onlineAtLogin = try container.decodeIfPresent(Bool.self, forKey: .onlineAtLogin) ?? true
    }

    /// Checks the settings.
    public func validate() throws(RoutingError) {
        if ![.free, .notReady].contains(statusAfterOnline) {
            throw RoutingError(.invalidConfiguration, "statusAfterOnline must be free or notReady, not \(statusAfterOnline.rawValue)")
        }
        if !(1...100).contains(defaultImCapacity) {
            throw RoutingError(.invalidConfiguration, "defaultImCapacity must be 1 to 100, not \(defaultImCapacity)")
        }
        if reconnectGraceSeconds < 0 || imHoldSeconds < 0 {
            throw RoutingError(.invalidConfiguration, "reconnectGraceSeconds and imHoldSeconds must not be negative")
        }
    }
}
