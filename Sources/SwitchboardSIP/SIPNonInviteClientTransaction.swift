/// The non-INVITE client transaction (RFC 3261 §17.1.2), over UDP.
///
/// Retransmits on Timer E (T1, doubling up to T2; T2 once a provisional arrived) until a final
/// response or Timer F (64*T1); then absorbs retransmitted finals for Timer K (T4).
public struct SIPNonInviteClientTransaction: Hashable, Sendable {
    /// The transaction states.
    public enum State: Hashable, Sendable {
        /// Request sent, nothing heard.
        case trying
        /// A provisional response arrived.
        case proceeding
        /// A final response arrived.
        case completed
        /// Done.
        case terminated
    }

    /// The request.
    public let request: SIPMessage
    /// The current state.
    public private(set) var state: State = .trying
    let timers: SIPTimerSettings
    var timerE: SIPTime?
    var intervalE: Int64
    var timerF: SIPTime?
    var timerK: SIPTime?

    /// Starts the transaction: the returned outputs send the request.
    public init(request: SIPMessage, at now: SIPTime, timers: SIPTimerSettings = .init()) {
        self.request = request
        self.timers = timers
        intervalE = timers.t1
        timerE = now.adding(milliseconds: timers.t1)
        timerF = now.adding(milliseconds: timers.transactionTimeout)
    }

    /// What to do first: send the request.
    public var initialOutputs: [SIPTransactionOutput] { [.send(request)] }

    /// The earliest pending timer.
    public var nextDeadline: SIPTime? { [timerE, timerF, timerK].compactMap { $0 }.min() }

    /// Feeds a response that matched this transaction.
    public mutating func receive(_ response: SIPMessage, at now: SIPTime) -> [SIPTransactionOutput] {
        guard let status = response.status, state == .trying || state == .proceeding else { return [] }
        if status.isProvisional {
            state = .proceeding
            return [.deliver(response)]
        }
        state = .completed
        timerE = nil
        timerF = nil
        timerK = now.adding(milliseconds: timers.t4)
        return [.deliver(response)]
    }

    /// Fires the timers due by `now`, each at its own deadline.
    public mutating func advance(to now: SIPTime) -> [SIPTransactionOutput] {
        var outputs: [SIPTransactionOutput] = []
        while state != .terminated, let deadline = nextDeadline, deadline <= now {
            if deadline == timerE {
                outputs.append(.send(request))
                intervalE = state == .proceeding ? timers.t2 : min(2 * intervalE, timers.t2)
                timerE = deadline.adding(milliseconds: intervalE)
            } else if deadline == timerF {
                state = .terminated
                outputs.append(.timeout)
            } else {
                state = .terminated
            }
        }
        if state == .terminated { (timerE, timerF, timerK) = (nil, nil, nil) }
        return outputs
    }
}
