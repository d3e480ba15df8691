/// The INVITE client transaction (RFC 3261 §17.1.1, with the RFC 6026 Accepted state), over UDP.
///
/// Retransmits the INVITE on Timer A (T1, doubling) until a response or Timer B (64*T1); ACKs
/// non-2xx finals itself and absorbs their retransmissions for Timer D; passes 2xx responses up and
/// stays Accepted for Timer M (64*T1) so retransmitted 2xx can be answered with the TU's ACK.
public struct SIPInviteClientTransaction: Hashable, Sendable {
    /// The transaction states.
    public enum State: Hashable, Sendable {
        /// INVITE sent, nothing heard.
        case calling
        /// A provisional response arrived.
        case proceeding
        /// A non-2xx final arrived and was ACKed.
        case completed
        /// A 2xx arrived; the TU ACKs it.
        case accepted
        /// Done.
        case terminated
    }

    /// The INVITE.
    public let request: SIPMessage
    /// The current state.
    public private(set) var state: State = .calling
    let timers: SIPTimerSettings
    var timerA: SIPTime?
    var intervalA: Int64
    var timerB: SIPTime?
    var timerD: SIPTime?
    var timerM: SIPTime?
    var ackForFailure: SIPMessage?
    /// The TU's ACK for each 2xx, by To tag (forked 2xx have different tags).
    var acksForSuccess: [String: SIPMessage] = [:]

    /// Starts the transaction: the returned outputs send the INVITE.
    public init(request: SIPMessage, at now: SIPTime, timers: SIPTimerSettings = .init()) {
        self.request = request
        self.timers = timers
        intervalA = timers.t1
        timerA = now.adding(milliseconds: timers.t1)
        timerB = now.adding(milliseconds: timers.transactionTimeout)
    }

    /// What to do first: send the INVITE.
    public var initialOutputs: [SIPTransactionOutput] { [.send(request)] }

    /// The earliest pending timer.
    public var nextDeadline: SIPTime? { [timerA, timerB, timerD, timerM].compactMap { $0 }.min() }

    /// Feeds a response that matched this transaction.
    public mutating func receive(_ response: SIPMessage, at now: SIPTime) -> [SIPTransactionOutput] {
        guard let status = response.status else { return [] }
        switch state {
        case .calling, .proceeding:
            timerA = nil
            timerB = nil
            if status.isProvisional {
                state = .proceeding
                return [.deliver(response)]
            }
            if status.isSuccess {
                state = .accepted
                timerM = now.adding(milliseconds: timers.transactionTimeout)
                return [.deliver(response)]
            }
            state = .completed
            let ack = makeACK(for: response)
            ackForFailure = ack
            timerD = now.adding(milliseconds: timers.timerD)
            return [.send(ack), .deliver(response)]
        case .completed:
            // A retransmitted final: our ACK was lost, send it again.
            if status.isFinal, !status.isSuccess, let ack = ackForFailure { return [.send(ack)] }
            return []
        case .accepted:
            guard status.isSuccess else { return [] }
            if let tag = response.to?.tag, let ack = acksForSuccess[tag] { return [.send(ack)] }
            return [.deliver(response)]
        case .terminated:
            return []
        }
    }

    /// Remembers the ACK the TU sent for a 2xx, to resend it when that 2xx is retransmitted.
    public mutating func recordACK(_ ack: SIPMessage) {
        guard state == .accepted, let tag = ack.to?.tag else { return }
        acksForSuccess[tag] = ack
    }

    /// Fires the timers due by `now`, each at its own deadline.
    public mutating func advance(to now: SIPTime) -> [SIPTransactionOutput] {
        var outputs: [SIPTransactionOutput] = []
        while state != .terminated, let deadline = nextDeadline, deadline <= now {
            if deadline == timerA {
                outputs.append(.send(request))
                intervalA *= 2
                timerA = deadline.adding(milliseconds: intervalA)
            } else if deadline == timerB {
                state = .terminated
                outputs.append(.timeout)
            } else {
                // Timer D (Completed) or M (Accepted): stop absorbing retransmissions.
                state = .terminated
            }
        }
        if state == .terminated { (timerA, timerB, timerD, timerM) = (nil, nil, nil, nil) }
        return outputs
    }

    /// The ACK for a non-2xx final (§17.1.1.3): same Request-URI, Call-ID, From, CSeq number, top Via
    /// and Route as the INVITE, and the response's To (with its tag).
    func makeACK(for response: SIPMessage) -> SIPMessage {
        var ack = SIPMessage(method: .ack, uri: request.requestURI ?? SIPURI(host: "invalid"))
        if let via = request.headers.values(.via).first { ack.headers.add(.via, via) }
        ack.headers.add(.maxForwards, "70")
        if let from = request.headers[.from] { ack.headers.add(.from, from) }
        if let to = response.headers[.to] { ack.headers.add(.to, to) }
        if let callID = request.callID { ack.headers.add(.callID, callID) }
        ack.headers.add(.cseq, SIPCSeq(request.cseq?.number ?? 0, .ack).description)
        for route in request.headers.values(.route) { ack.headers.add(.route, route) }
        return ack
    }
}
