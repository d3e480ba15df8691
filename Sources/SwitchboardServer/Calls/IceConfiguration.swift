import Crypto
import Foundation
import SwitchboardProtocol

/// The STUN and TURN servers both sides of a call are given (`--ice-servers`), and how TURN
/// logins are made: none, one fixed user name and password (`--turn-username`, `--turn-password`),
/// or short-lived ones from a secret shared with coturn (`--turn-secret`, coturn's
/// `use-auth-secret`: the user name is `expiry:who`, the password base64(HMAC-SHA1(secret, name))).
public struct IceConfiguration: Sendable, Equatable {
    /// `stun:`, `turn:` and `turns:` URLs.
    public var urls: [String] = []
    /// A fixed TURN user name.
    public var turnUsername: String?
    /// A fixed TURN password.
    public var turnPassword: String?
    /// The secret shared with coturn for short-lived TURN logins.
    public var turnSecret: String?
    /// How long a short-lived TURN login lasts, in seconds.
    public var turnCredentialLifetimeSeconds: Int = 86_400

    /// No ICE servers: browsers connect with host candidates only (one network).
    public init() {}

    /// Reads a comma-separated URL list, as `--ice-servers` takes it.
    public static func parseURLs(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Checks the settings, naming the first that is wrong.
    public func validate() throws(ConfigurationError) {
        for url in urls {
            let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            guard ["stun", "stuns", "turn", "turns"].contains(scheme), url.count > scheme.count + 1 else {
                throw ConfigurationError("ICE server '\(url)' must be a stun:, stuns:, turn: or turns: URL such as turn:turn.example.com:3478")
            }
        }
        if (turnUsername == nil) != (turnPassword == nil) {
            throw ConfigurationError("give both --turn-username and --turn-password, or neither")
        }
        if turnSecret != nil && turnUsername != nil {
            throw ConfigurationError("give --turn-secret (short-lived logins) or --turn-username/--turn-password (a fixed login), not both")
        }
        if let turnSecret, turnSecret.count < 16 {
            throw ConfigurationError("the TURN secret must be at least 16 characters, not \(turnSecret.count)")
        }
        if !(60...7 * 86_400).contains(turnCredentialLifetimeSeconds) {
            throw ConfigurationError("TURN login lifetime must be 60 to 604800 seconds, not \(turnCredentialLifetimeSeconds)")
        }
        let hasTurn = urls.contains { $0.hasPrefix("turn") }
        if hasTurn && turnSecret == nil && turnUsername == nil {
            throw ConfigurationError("TURN servers need a login: give --turn-secret (as coturn's static-auth-secret) or --turn-username and --turn-password")
        }
    }

    /// The `iceServers` for one participant (`who` names it in short-lived TURN user names, so
    /// coturn's logs show whose relay it is).
    public func iceServers(for who: String, now: Date = Date()) -> [IceServer] {
        let stun = urls.filter { $0.hasPrefix("stun") }
        let turn = urls.filter { $0.hasPrefix("turn") }
        var servers: [IceServer] = []
        if !stun.isEmpty { servers.append(IceServer(urls: stun)) }
        guard !turn.isEmpty else { return servers }
        if let turnSecret {
            let expiry = Int(now.timeIntervalSince1970) + turnCredentialLifetimeSeconds
            let username = "\(expiry):\(who)"
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(turnSecret.utf8)))
            servers.append(IceServer(urls: turn, username: username, credential: Data(mac).base64EncodedString()))
        } else {
            servers.append(IceServer(urls: turn, username: turnUsername, credential: turnPassword))
        }
        return servers
    }
}
