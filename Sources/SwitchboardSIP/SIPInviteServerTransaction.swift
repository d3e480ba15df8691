/// The INVITE server transaction (RFC 3261 §17.2.1, with the RFC 6026 Accepted state), over UDP.
///
/// Answers 100 Trying at once; resends the last provisional when the INVITE is retransmitted; after a
/// non-2xx final retransmits it on Timer G (T1 doubling to T2) until the ACK or Timer H (64*T1), then
/// absorbs ACKs for Timer I (T4). A 2xx moves it to Accepted for Timer L (64*T1), absorbing INVITE
/// retransmissions; the 2xx itself is retransmitted by ``SIPEndpoint`` (the UAS core, §13.3.1.4).
public struct SIPInviteServerTransaction: Hashable, Sendable {
    /// The transaction states.
    public enum State: Hashable, Sendable {
        /// No final response yet.
        case proceeding
        /// A non-2xx final was sent; waiting for the ACK.
        case completed
        /// The ACK arrived; absorbing stray ACKs.
        case confirmed
        /// A 2xx was sent; the UAS core waits for its ACK.
        case accepted
        /// Done.
        case terminated
    }

    /// The INVITE.
    public let request: SIPMessage
    /// The current state.
    public private(set) var state: State = .proceeding
    /// The last response sent (the one resent on retransmissions).
    public private(set) var lastResponse: SIPMessage?
    let timers: SIPTimerSettings
    var timerG: SIPTime?
    var intervalG: Int64
    var timerH: SIPTime?
    var timerI: SIPTime?
    var timerL: SIPTime?

    /// Starts the transaction for a received INVITE; ``initialOutputs`` sends 100 Trying.
    public init(request: SIPMessage, at now: SIPTime, timers: SIPTimerSettings = .init()) {
        self.request = request
        self.timers = timers
        intervalG = timers.t1
        // Answering 100 at once (rather than after 200 ms) stops the peer's Timer A early; the TU's
        // own provisional responses replace it.
        lastResponse = request.makeResponse(.trying)
    }

    /// What to do first: send 100 Trying.
    public var initialOutputs: [SIPTransactionOutput] { lastResponse.map { [.send($0)] } ?? [] }

    /// The earliest pending timer.
    public var nextDeadline: SIPTime? { [timerG, timerH, timerI, timerL].compactMap { $0 }.min() }

    /// Feeds a retransmission of the INVITE.
    public mutating func receiveRetransmission(at now: SIPTime) -> [SIPTransactionOutput] {
        switch state {
        case .proceeding, .completed: lastResponse.map { [.send($0)] } ?? []
        case .confirmed, .accepted, .terminated: []
        }
    }

    /// Feeds an ACK that matched this transaction (the ACK for a non-2xx final).
    public mutating func receiveACK(_ ack: SIPMessage, at now: SIPTime) -> [SIPTransactionOutput] {
        switch state {
        case .completed:
            state = .confirmed
            timerG = nil
            timerH = nil
            timerI = now.adding(milliseconds: timers.t4)
            return []
        case .accepted:
            // A peer that reuses the INVITE branch for the 2xx ACK: it is still the TU's ACK.
            return [.deliver(ack)]
        case .proceeding, .confirmed, .terminated:
            return []
        }
    }

    /// Sends a response from the TU; nil when the transaction can no longer send one.
    public mutating func send(_ response: SIPMessage, at now: SIPTime) -> [SIPTransactionOutput]? {
        guard let status = response.status else { return nil }
        switch state {
        case .proceeding:
            if status.isProvisional {
                lastResponse = response
            } else if status.isSuccess {
                state = .accepted
                lastResponse = response
                timerL = now.adding(milliseconds: timers.transactionTimeout)
            } else {
                state = .completed
                lastResponse = response
                timerG = now.adding(milliseconds: timers.t1)
                timerH = now.adding(milliseconds: timers.transactionTimeout)
            }
            return [.send(response)]
        case .accepted:
            // Further 2xx (RFC 6026 §7.1) go straight out.
            return status.isSuccess ? [.send(response)] : nil
        case .completed, .confirmed, .terminated:
            return nil
        }
    }

    /// Fires the timers due by `now`, each at its own deadline.
    public mutating func advance(to now: SIPTime) -> [SIPTransactionOutput] {
        var outputs: [SIPTransactionOutput] = []
        while state != .terminated, let deadline = nextDeadline, deadline <= now {
            if deadline == timerG {
                if let lastResponse { outputs.append(.send(lastResponse)) }
                intervalG = min(2 * intervalG, timers.t2)
                timerG = deadline.adding(milliseconds: intervalG)
            } else if deadline == timerH {
                state = .terminated
                outputs.append(.timeout)
            } else {
                state = .terminated
            }
        }
        if state == .terminated { (timerG, timerH, timerI, timerL) = (nil, nil, nil, nil) }
        return outputs
    }
}
