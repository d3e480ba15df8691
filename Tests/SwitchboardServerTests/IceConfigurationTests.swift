import Crypto
import Foundation
import SwitchboardProtocol
import Testing
@testable import SwitchboardServer

/// `--ice-servers`, `--turn-secret`, `--turn-username` / `--turn-password`: checked at start, and
/// turned into the `iceServers` both sides of a call get.
@Suite("ICE configuration")
struct IceConfigurationTests {
    func refusal(_ configure: (inout IceConfiguration) -> Void) -> String? {
        var ice = IceConfiguration()
        configure(&ice)
        do { try ice.validate(); return nil } catch { return error.description }
    }

    @Test func badSettingsAreRefusedWithTheReason() {
        #expect(refusal { $0.urls = ["http://turn.example.com"] }?.contains("stun:, stuns:, turn: or turns:") == true)
        #expect(refusal { $0.urls = ["turn:"] }?.contains("must be a stun:") == true)
        #expect(refusal { $0.urls = ["turn:t.example.com:3478"] }?.contains("TURN servers need a login") == true)
        #expect(refusal { $0.turnUsername = "u" }?.contains("both --turn-username and --turn-password") == true)
        #expect(refusal { $0.turnSecret = "short" }?.contains("at least 16") == true)
        #expect(refusal {
            $0.turnSecret = "a-long-enough-secret"
            $0.turnUsername = "u"
            $0.turnPassword = "p"
        }?.contains("not both") == true)
        #expect(refusal { $0.urls = ["stun:s.example.com:3478"] } == nil)
        #expect(IceConfiguration.parseURLs(" stun:a , ,turn:b:3478 ") == ["stun:a", "turn:b:3478"])
    }

    @Test func turnLoginsFollowCoturnsRestScheme() throws {
        var ice = IceConfiguration()
        ice.urls = ["stun:s.example.com:3478", "turn:t.example.com:3478", "turns:t.example.com:5349"]
        ice.turnSecret = "coturn-static-auth-secret"
        ice.turnCredentialLifetimeSeconds = 600
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let servers = ice.iceServers(for: "agent-alice", now: now)
        #expect(servers.count == 2)
        #expect(servers[0] == IceServer(urls: ["stun:s.example.com:3478"]))
        #expect(servers[1].urls == ["turn:t.example.com:3478", "turns:t.example.com:5349"])
        #expect(servers[1].username == "1800000600:agent-alice")
        // coturn checks base64(HMAC-SHA1(secret, username)).
        let expected = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data("1800000600:agent-alice".utf8), using: SymmetricKey(data: Data("coturn-static-auth-secret".utf8)))
        #expect(servers[1].credential == Data(expected).base64EncodedString())
    }

    @Test func aFixedLoginIsHandedOutAsIs() {
        var ice = IceConfiguration()
        ice.urls = ["turn:t.example.com:3478"]
        ice.turnUsername = "switchboard"
        ice.turnPassword = "relay-password"
        #expect(ice.iceServers(for: "x") == [IceServer(urls: ["turn:t.example.com:3478"], username: "switchboard", credential: "relay-password")])
        #expect(IceConfiguration().iceServers(for: "x").isEmpty)
    }
}
