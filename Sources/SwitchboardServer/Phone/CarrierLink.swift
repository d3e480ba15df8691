import Synchronization
import SwitchboardCore
import SwitchboardProtocol

/// What the rest of the server tells the phone channel: an agent's signals for a phone call, and
/// what happened to phone sessions. Implemented by `PhoneGateway`.
protocol CarrierSide: Sendable {
    /// The agent holding a phone call sent a signal (`offer`, `candidate`), or the server made one
    /// from its request (`hold`, `unhold`, `dtmf`).
    func agentSignal(_ signal: CallSignal, in session: SessionID)
    /// The routing core told the customer side of a session something.
    func sessionNotification(_ notification: CustomerNotification, for session: SessionID)
}

/// The phone gateway, once there is one. Made before the gateway exists, because the gateway needs
/// the routing service and the routing service's event delivery needs a way to the gateway.
final class CarrierLink: Sendable {
    private let side = Mutex<(any CarrierSide)?>(nil)
    /// With several nodes the gateway runs on the leader only: a follower relays agents' signals.
    private let relay: ClusterRelay
    private let gate = Mutex<LeaderGate?>(nil)

    init(relay: ClusterRelay = ClusterRelay()) { self.relay = relay }

    func connect(_ carrier: any CarrierSide) { side.withLock { $0 = carrier } }

    /// Signals reach the local gateway only while `gate` is open (this node leads).
    func runs(behind gate: LeaderGate) { self.gate.withLock { $0 = gate } }

    var carrier: (any CarrierSide)? { side.withLock { $0 } }

    /// An agent's signal for a phone call, to the gateway on whichever node runs it.
    func agentSignal(_ signal: CallSignal, in session: SessionID, relaying: Bool = true) {
        if gate.withLock({ $0?.isOpen ?? true }) {
            carrier?.agentSignal(signal, in: session)
        } else if relaying {
            relay.send(.toCarrier(session: session.rawValue, signal: signal))
        }
    }
}
