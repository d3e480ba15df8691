import Foundation

/// How a node of several (sharing one PostgreSQL database) takes part in choosing the routing
/// leader: see docs/deployment.md.
public struct ClusterSettings: Sendable {
    /// This process's name in the lease row: host, process id and a random part, so two starts
    /// of the same host are never taken for one another.
    public var node: String
    /// Where clients and the other nodes reach this node (`--advertise-url`), shown by standbys.
    public var advertiseURL: String?
    /// How long a lease runs without renewal. The leader renews it three times per period; a
    /// standby takes over once it has run out, so a crashed leader is replaced within about this
    /// long plus the time to load the routing state.
    public var leaseMilliseconds: Int64

    public init(node: String = ClusterSettings.newNodeName(), advertiseURL: String? = nil, leaseMilliseconds: Int64 = 3000) {
        self.node = node
        self.advertiseURL = advertiseURL
        self.leaseMilliseconds = leaseMilliseconds
    }

    /// A name no other start of any node has: `host/pid/random`.
    public static func newNodeName() -> String {
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(random)"
    }

    /// How often a standby asks for the lease: often enough to take over promptly after expiry.
    var standbyPollInterval: Duration { .milliseconds(max(100, min(1000, leaseMilliseconds / 6))) }
    /// How often the leader renews: three times per lease, so one slow round trip never loses it.
    var renewInterval: Duration { .milliseconds(max(50, leaseMilliseconds / 3)) }
}

/// Why a leader stopped: another node holds the routing lease now, or this one could not renew
/// it before it ran out. Only one node routes; this one exits and, started again, stands by.
public struct LeadershipLost: Error, CustomStringConvertible {
    public var reason: String
    public var description: String {
        "this node stopped routing: \(reason). Another node routes now; start this one again (a service manager does) and it stands by"
    }
}
