import Synchronization
import SwitchboardCore
import SwitchboardProtocol

/// A frame that is not journaled (call signals, typing, a forced logout) on its way to whichever
/// node holds the socket it is for. The node it starts on delivers it to its own sockets and sends
/// it over the cluster link; the leader passes a follower's on to the other followers; each node
/// delivers it to the sockets it holds.
enum RelayedFrame: Codable, Sendable {
    /// To every connection of an agent (`AgentHub.broadcast`).
    case toAgent(agent: String, text: String)
    /// To every connection of a customer's session (`CustomerHub.publishEverywhere`).
    case toCustomer(session: String, text: String)
    /// An agent's signal for a phone call: the node running the phone gateway (the leader) takes it.
    case toCarrier(session: String, signal: CallSignal)
    /// Close every connection of an agent (`AgentHub.disconnectAll`).
    case disconnectAgent(agent: String)
    /// Node `asker` found a call's caller gone from its sockets: does any node hold the caller?
    case askWatching(session: String, asker: String)
    /// The answer: this node holds the caller of `session`.
    case watching(session: String, asker: String)
}

/// Where a hub sends what it relays: nowhere alone; on a node of several, the cluster link, in
/// order (call signals must keep their order).
final class ClusterRelay: Sendable {
    private let outbound = Mutex<AsyncStream<RelayedFrame>.Continuation?>(nil)
    /// When another node last said it holds a session's caller (answers to `askWatching`).
    private let callersSeenElsewhere = Mutex<[String: ContinuousClock.Instant]>([:])

    init() {}

    /// True on a node of several.
    var isConnected: Bool { outbound.withLock { $0 != nil } }

    func noteWatchedElsewhere(_ session: String) {
        callersSeenElsewhere.withLock { $0[session] = .now }
    }

    /// Whether another node said it holds the session's caller since `instant` (and forgets it).
    func watchedElsewhere(_ session: String, since instant: ContinuousClock.Instant) -> Bool {
        callersSeenElsewhere.withLock { $0.removeValue(forKey: session).map { $0 >= instant } ?? false }
    }

    /// Relayed frames go to `routing`, in the order they were made, from now on.
    func connect(to routing: RoutingService) {
        let (frames, continuation) = AsyncStream.makeStream(of: RelayedFrame.self, bufferingPolicy: .bufferingOldest(4096))
        outbound.withLock { $0 = continuation }
        Task {
            for await frame in frames { await routing.relay(frame) }
        }
    }

    func send(_ frame: RelayedFrame) {
        _ = outbound.withLock { $0 }?.yield(frame)
    }
}

/// Delivers a frame relayed from another node to the sockets this node holds.
struct RelayedFrameDelivery: Sendable {
    let agents: AgentHub
    let customers: CustomerHub
    let carrier: CarrierLink
    let relay: ClusterRelay
    let node: String

    func deliver(_ frame: RelayedFrame) {
        switch frame {
        case .toAgent(let agent, let text): agents.broadcast(text, to: agent, relaying: false)
        case .toCustomer(let session, let text): customers.publishEverywhere(text, to: session, relaying: false)
        case .toCarrier(let session, let signal): carrier.agentSignal(signal, in: SessionID(session), relaying: false)
        case .disconnectAgent(let agent): agents.disconnectAll(agent: agent, relaying: false)
        case .askWatching(let session, let asker):
            if asker != node && customers.isWatched(session) { relay.send(.watching(session: session, asker: asker)) }
        case .watching(let session, let asker):
            if asker == node { relay.noteWatchedElsewhere(session) }
        }
    }
}
