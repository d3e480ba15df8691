extension SIPEndpoint {
    /// Sends a request to `destination`. INVITE and other requests start a client transaction
    /// (retransmitted until answered); an ACK for a 2xx is sent once and remembered, so it is resent
    /// whenever that 2xx is retransmitted.
    public mutating func sendRequest(_ request: SIPMessage, to destination: SIPTransportAddress, at now: SIPTime) -> [Action] {
        var actions = firesTimersOnEveryCall ? tick(at: now) : []
        guard let key = SIPTransactionKey(clientRequest: request), let method = request.method else {
            return actions + [.dropped(request, reason: "request has no Via branch or no CSeq: give it a Via with a branch")]
        }
        switch method {
        case .ack:
            if let callID = request.callID, let sequence = request.cseq?.number {
                for (inviteKey, var entry) in inviteClients
                where entry.transaction.request.callID == callID && entry.transaction.request.cseq?.number == sequence {
                    entry.transaction.recordACK(request)
                    inviteClients[inviteKey] = entry
                }
            }
            actions.append(.send(request, to: destination))
        case .invite:
            guard inviteClients[key] == nil else {
                return actions + [.dropped(request, reason: "an INVITE transaction with branch \(key.branch) already exists: use a new branch")]
            }
            let transaction = SIPInviteClientTransaction(request: request, at: now, timers: timers)
            inviteClients[key] = ClientEntry(transaction: transaction, destination: destination)
            actions += map(transaction.initialOutputs, request: request, destination: destination)
        default:
            guard nonInviteClients[key] == nil else {
                return actions + [.dropped(request, reason: "a \(method) transaction with branch \(key.branch) already exists: use a new branch")]
            }
            let transaction = SIPNonInviteClientTransaction(request: request, at: now, timers: timers)
            nonInviteClients[key] = ClientEntry(transaction: transaction, destination: destination)
            actions += map(transaction.initialOutputs, request: request, destination: destination)
        }
        return actions
    }

    /// Sends a response to a request received earlier; it finds its server transaction by its Via
    /// branch, sent-by and CSeq method (build it with ``SIPMessage/makeResponse(_:toTag:contact:body:contentType:)``).
    /// A 2xx to INVITE is then retransmitted until its ACK arrives.
    public mutating func respond(_ response: SIPMessage, at now: SIPTime) -> [Action] {
        var actions = firesTimersOnEveryCall ? tick(at: now) : []
        guard let key = SIPTransactionKey(serverMessage: response), let status = response.status else {
            return actions + [.dropped(response, reason: "response has no Via or CSeq copied from its request")]
        }
        if key.method == .invite, var entry = inviteServers[key] {
            guard let outputs = entry.transaction.send(response, at: now) else {
                return actions + [.dropped(response, reason: "the INVITE already has a final response (\(entry.transaction.state))")]
            }
            inviteServers[key] = entry
            actions += map(outputs, request: entry.transaction.request, destination: entry.destination)
            if status.isSuccess, let callID = response.callID, let sequence = response.cseq?.number {
                unacknowledged[AcceptedKey(callID: callID, sequence: sequence)] = UnacknowledgedSuccess(
                    response: response, destination: entry.destination,
                    nextRetransmission: now.adding(milliseconds: timers.t1), interval: timers.t1,
                    giveUp: now.adding(milliseconds: timers.transactionTimeout)
                )
            }
            return actions
        }
        if key.method != .invite, var entry = nonInviteServers[key] {
            guard let outputs = entry.transaction.send(response, at: now) else {
                return actions + [.dropped(response, reason: "the \(key.method) already has a final response")]
            }
            nonInviteServers[key] = entry
            return actions + map(outputs, request: entry.transaction.request, destination: entry.destination)
        }
        return actions + [.dropped(response, reason: "response matches no server transaction (\(key)); it may have ended")]
    }

    /// Fires every timer due by `now`: retransmissions, timeouts, and the end of transactions.
    /// Only the entries that are due are ordered (by key, so the actions are deterministic): a
    /// tick over thousands of idle transactions costs one pass, not a sort.
    public mutating func tick(at now: SIPTime) -> [Action] {
        var actions: [Action] = []
        for key in Self.due(inviteClients, at: now, deadline: { $0.transaction.nextDeadline }) {
            guard var entry = inviteClients[key] else { continue }
            let outputs = entry.transaction.advance(to: now)
            actions += map(outputs, request: entry.transaction.request, destination: entry.destination)
            inviteClients[key] = entry.transaction.state == .terminated ? nil : entry
        }
        for key in Self.due(nonInviteClients, at: now, deadline: { $0.transaction.nextDeadline }) {
            guard var entry = nonInviteClients[key] else { continue }
            let outputs = entry.transaction.advance(to: now)
            actions += map(outputs, request: entry.transaction.request, destination: entry.destination)
            nonInviteClients[key] = entry.transaction.state == .terminated ? nil : entry
        }
        for key in Self.due(inviteServers, at: now, deadline: { $0.transaction.nextDeadline }) {
            guard var entry = inviteServers[key] else { continue }
            // Timer H (no ACK for our failure response) needs no action from the call logic.
            let outputs = entry.transaction.advance(to: now).filter { $0 != .timeout }
            actions += map(outputs, request: entry.transaction.request, destination: entry.destination)
            inviteServers[key] = entry.transaction.state == .terminated ? nil : entry
        }
        for key in Self.due(nonInviteServers, at: now, deadline: { $0.transaction.nextDeadline }) {
            guard var entry = nonInviteServers[key] else { continue }
            _ = entry.transaction.advance(to: now)
            nonInviteServers[key] = entry.transaction.state == .terminated ? nil : entry
        }
        let dueSuccesses = unacknowledged.filter { min($0.value.nextRetransmission, $0.value.giveUp) <= now }.keys
        for key in dueSuccesses.sorted(by: { ($0.callID, $0.sequence) < ($1.callID, $1.sequence) }) {
            guard var pending = unacknowledged[key] else { continue }
            while pending.nextRetransmission <= now, pending.nextRetransmission < pending.giveUp {
                actions.append(.send(pending.response, to: pending.destination))
                pending.interval = min(2 * pending.interval, timers.t2)
                pending.nextRetransmission = pending.nextRetransmission.adding(milliseconds: pending.interval)
            }
            if pending.giveUp <= now {
                unacknowledged[key] = nil
                actions.append(.ackTimedOut(pending.response))
            } else {
                unacknowledged[key] = pending
            }
        }
        return actions
    }

    /// The keys of `table` whose deadline has come, in a stable order.
    private static func due<Entry>(
        _ table: [SIPTransactionKey: Entry], at now: SIPTime, deadline: (Entry) -> SIPTime?
    ) -> [SIPTransactionKey] {
        var keys: [SIPTransactionKey] = []
        for (key, entry) in table {
            if let time = deadline(entry), time <= now { keys.append(key) }
        }
        if keys.count > 1 { keys.sort { $0.description < $1.description } }
        return keys
    }

    func map(_ outputs: [SIPTransactionOutput], request: SIPMessage, destination: SIPTransportAddress) -> [Action] {
        outputs.map { output in
            switch output {
            case .send(let message): .send(message, to: destination)
            case .deliver(let message): message.isRequest ? .request(message, from: destination) : .response(message, request: request)
            case .timeout: .timedOut(request)
            }
        }
    }
}
