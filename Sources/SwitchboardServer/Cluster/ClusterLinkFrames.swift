import Crypto
import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// What a follower sends its leader over the cluster link (`/internal/cluster`, one WebSocket per
/// follower, JSON text frames). See docs/deployment.md, "Followers".
enum FollowerFrame: Codable, Sendable {
    /// The answer to the leader's challenge. `waiting`: the ids of requests it forwarded on an earlier link and has no answer for. The leader waits
    /// until those are done before it answers `welcome`, so catching up through the welcome's
    /// sequence tells the follower which of them were carried out. `holding`: the agent
    /// connections whose sockets the follower has open (the leader drops its others).
    /// `proof` answers the leader's challenge (``ClusterLinkCoding/proof(nonce:node:signingSecret:)``).
    case hello(node: String, rulesVersion: Int, waiting: [String], holding: [String], proof: String)
    /// A client's routing command, under an id unique to this follower's process.
    case command(id: String, RoutingCommand)
    /// A client's im message, checked by the follower already.
    case message(id: String, NewMessage)
    /// A frame for sockets wherever they are: the leader delivers it and passes it on.
    case relay(RelayedFrame)
    /// A read barrier: the leader answers `synced` after every batch it had committed, so a request
    /// served after the answer sees whatever the leader had acknowledged.
    case sync(id: String)
}

/// What a leader sends a follower.
enum LeaderFrame: Codable, Sendable {
    /// The first frame: a random nonce the follower's `hello` must prove it knows the secret with.
    case challenge(nonce: String)
    /// The answer to `hello`: the last entry committed when the follower's stream began. Entries up
    /// to it are in the store's journal; every later one comes in a `batch`. `answersSync`: this
    /// leader answers `sync` (absent from a leader older than read barriers, which drops the
    /// frame: a newer follower then skips its barriers rather than wait for nothing, as during
    /// the rolling upgrade docs/deployment.md describes, followers first).
    case welcome(sequence: Int64, answersSync: Bool?)
    /// One group commit, in commit order: what the follower's replica applies and delivers.
    case batch([ReplicatedChange])
    /// A forwarded request that changed nothing (refused, or the store could not commit it). A
    /// request that took effect is answered by its entry (its `origin`) in a batch.
    case failed(id: String, RoutingService.Failure)
    /// The leader is stepping down or stopping: follow whoever leads next.
    case goodbye(reason: String)
    /// A frame for the sockets this follower holds (from the leader or another follower).
    case relay(RelayedFrame)
    /// The answer to `sync`: every batch the leader had committed when it read the request came
    /// before this frame, on the same ordered stream.
    case synced(id: String)
}

/// One committed change as a follower's replica needs it: the journal entry (its events are
/// recomputed by the replica; the core is deterministic) and the message stored with it.
struct ReplicatedChange: Codable, Sendable {
    var entry: JournalEntry?
    var message: StoredMessage?
}

extension FollowerFrame {
    static func decode(_ text: String) throws -> FollowerFrame { try JSONDecoder().decode(FollowerFrame.self, from: Data(text.utf8)) }
    var encodedText: String { ClusterLinkCoding.text(self) }
}

extension LeaderFrame {
    static func decode(_ text: String) throws -> LeaderFrame { try JSONDecoder().decode(LeaderFrame.self, from: Data(text.utf8)) }
    var encodedText: String { ClusterLinkCoding.text(self) }
}

enum ClusterLinkCoding {
    static func text(_ value: some Encodable) -> String {
        // Every value here is made of Codable parts the journal already stores: encoding cannot
        // fail. WireEncoder, as for every frame: a leader encodes each commit's batch here.
        String(decoding: (try? WireEncoder.encode(value)) ?? Array("{}".utf8), as: UTF8.self)
    }

    /// The header a follower proves itself with: an HMAC of a fixed label under the signing secret
    /// every node of the cluster shares (from the database), so only nodes of this cluster link.
    static let header = "x-switchboard-cluster"

    /// A first filter at the upgrade (it keeps strangers from opening a link at all); it is the same
    /// every time, so what admits a follower is its answer to the challenge, below.
    static func credential(signingSecret: String) -> String {
        mac("switchboard cluster link v1", signingSecret)
    }

    /// The answer to a challenge: the nonce and the follower's node tag under the secret, so a
    /// captured answer is good for no other link and no other node.
    static func proof(nonce: String, node: String, signingSecret: String) -> String {
        mac("switchboard cluster link v2|\(nonce)|\(node)", signingSecret)
    }

    static func newNonce() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    private static func mac(_ text: String, _ signingSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(signingSecret.utf8)))
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ presented: String?, _ expected: String) -> Bool {
        guard let presented else { return false }
        let (given, wanted) = (Array(presented.utf8), Array(expected.utf8))
        guard given.count == wanted.count else { return false }
        return zip(given, wanted).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
