/// The non-INVITE server transaction (RFC 3261 §17.2.2), over UDP: resends the last response on
/// request retransmissions, and absorbs them for Timer J (64*T1) after the final response.
public struct SIPNonInviteServerTransaction: Hashable, Sendable {
    /// The transaction states.
    public enum State: Hashable, Sendable {
        /// No response yet.
        case trying
        /// A provisional response was sent.
        case proceeding
        /// A final response was sent.
        case completed
        /// Done.
        case terminated
    }

    /// The request.
    public let request: SIPMessage
    /// The current state.
    public private(set) var state: State = .trying
    /// The last response sent.
    public private(set) var lastResponse: SIPMessage?
    let timers: SIPTimerSettings
    var timerJ: SIPTime?

    /// Starts the transaction for a received request.
    public init(request: SIPMessage, at now: SIPTime, timers: SIPTimerSettings = .init()) {
        self.request = request
        self.timers = timers
    }

    /// The earliest pending timer.
    public var nextDeadline: SIPTime? { timerJ }

    /// Feeds a retransmission of the request.
    public mutating func receiveRetransmission(at now: SIPTime) -> [SIPTransactionOutput] {
        switch state {
        case .proceeding, .completed: lastResponse.map { [.send($0)] } ?? []
        case .trying, .terminated: []
        }
    }

    /// Sends a response from the TU; nil when a final response was already sent.
    public mutating func send(_ response: SIPMessage, at now: SIPTime) -> [SIPTransactionOutput]? {
        guard let status = response.status, state == .trying || state == .proceeding else { return nil }
        lastResponse = response
        if status.isProvisional {
            state = .proceeding
        } else {
            state = .completed
            timerJ = now.adding(milliseconds: timers.transactionTimeout)
        }
        return [.send(response)]
    }

    /// Fires Timer J when due.
    public mutating func advance(to now: SIPTime) -> [SIPTransactionOutput] {
        if let timerJ, timerJ <= now {
            state = .terminated
            self.timerJ = nil
        }
        return []
    }
}
