import SwitchboardCore

/// TCCC-style `endStatus` of a session record, the same in every backend.
///
/// The mapping:
/// - `ok`: the session was accepted at some point, whoever ended it and however (also when it went
///   back to a queue later and the customer then left);
/// - never accepted, `closeBy: client`, while queued → `waitingGiveUp`;
/// - never accepted, `closeBy: client`, while ringing at an agent → `ringingGiveUp`;
/// - never accepted, `closeBy: timer` → `queueTimeout` (the only timer that ends an unaccepted session);
/// - never accepted, `closeBy: admin` → `adminEnded`;
/// - `closeBy: seat` → `ok` (an agent can only end a session it accepted).
enum EndStatus {
    static let ok = "ok"

    /// The status of a session that was never accepted; `wasRinging` when it ended while offered.
    static func unaccepted(closeBy: CloseBy, wasRinging: Bool) -> String {
        switch closeBy {
        case .client: wasRinging ? "ringingGiveUp" : "waitingGiveUp"
        case .timer: "queueTimeout"
        case .admin: "adminEnded"
        case .seat: ok
        }
    }
}
