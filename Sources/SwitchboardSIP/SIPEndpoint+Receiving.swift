extension SIPEndpoint {
    /// Feeds a message that arrived from `source`. Requests get `received`/`rport` stamped on their
    /// top Via first, so responses go back where they came from.
    public mutating func receive(_ message: SIPMessage, from source: SIPTransportAddress, at now: SIPTime) -> [Action] {
        var actions = firesTimersOnEveryCall ? tick(at: now) : []
        if message.isRequest {
            var request = message
            request.stampReceived(from: source)
            actions += receiveRequest(request, from: source, at: now)
        } else {
            actions += receiveResponse(message, at: now)
        }
        return actions
    }

    private mutating func receiveResponse(_ response: SIPMessage, at now: SIPTime) -> [Action] {
        guard let key = SIPTransactionKey(response: response) else {
            return [.dropped(response, reason: "response has no top Via branch or CSeq, so it matches no transaction")]
        }
        if var entry = inviteClients[key] {
            let outputs = entry.transaction.receive(response, at: now)
            inviteClients[key] = entry
            return map(outputs, request: entry.transaction.request, destination: entry.destination)
        }
        if var entry = nonInviteClients[key] {
            let outputs = entry.transaction.receive(response, at: now)
            nonInviteClients[key] = entry
            return map(outputs, request: entry.transaction.request, destination: entry.destination)
        }
        return [.dropped(response, reason: "response matches no client transaction (\(key))")]
    }

    private mutating func receiveRequest(_ request: SIPMessage, from source: SIPTransportAddress, at now: SIPTime) -> [Action] {
        guard let key = SIPTransactionKey(serverMessage: request), let method = request.method else {
            return [.dropped(request, reason: "request has no Via or CSeq, so no transaction can hold it")]
        }
        let destination = request.responseAddress ?? source
        if method == .ack {
            return receiveACK(request, key: key, from: source, at: now)
        }
        if method == .invite, var entry = inviteServers[key] {
            let outputs = entry.transaction.receiveRetransmission(at: now)
            inviteServers[key] = entry
            return map(outputs, request: request, destination: entry.destination)
        }
        if method != .invite, var entry = nonInviteServers[key] {
            let outputs = entry.transaction.receiveRetransmission(at: now)
            nonInviteServers[key] = entry
            return map(outputs, request: request, destination: entry.destination)
        }
        if method == .invite {
            let transaction = SIPInviteServerTransaction(request: request, at: now, timers: timers)
            inviteServers[key] = ServerEntry(transaction: transaction, destination: destination)
            return map(transaction.initialOutputs, request: request, destination: destination) + [.request(request, from: source)]
        }
        nonInviteServers[key] = ServerEntry(
            transaction: SIPNonInviteServerTransaction(request: request, at: now, timers: timers),
            destination: destination
        )
        if method == .cancel {
            return receiveCancel(request, key: key, at: now)
        }
        return [.request(request, from: source)]
    }

    private mutating func receiveACK(_ ack: SIPMessage, key: SIPTransactionKey, from source: SIPTransportAddress, at now: SIPTime) -> [Action] {
        if var entry = inviteServers[key], entry.transaction.state != .accepted {
            // The ACK for our non-2xx final: it ends retransmission and stays inside the transaction.
            _ = entry.transaction.receiveACK(ack, at: now)
            inviteServers[key] = entry
            return []
        }
        guard let callID = ack.callID, let sequence = ack.cseq?.number else {
            return [.dropped(ack, reason: "ACK has no Call-ID or CSeq")]
        }
        let accepted = AcceptedKey(callID: callID, sequence: sequence)
        if unacknowledged.removeValue(forKey: accepted) != nil {
            return [.request(ack, from: source)]
        }
        return [.dropped(ack, reason: "ACK matches no transaction and no unacknowledged 2xx (a retransmitted ACK?)")]
    }

    private mutating func receiveCancel(_ cancel: SIPMessage, key: SIPTransactionKey, at now: SIPTime) -> [Action] {
        let inviteKey = SIPTransactionKey(branch: key.branch, sentBy: key.sentBy, method: .invite)
        guard var invite = inviteServers[inviteKey] else {
            return respond(cancel.makeResponse(.callDoesNotExist, toTag: SIPIdentifiers.tag(using: &generator)), at: now)
        }
        var actions = respond(cancel.makeResponse(.ok), at: now)
        guard invite.transaction.state == .proceeding else {
            // Too late: the INVITE already has its final response, so the CANCEL changes nothing.
            return actions
        }
        let request = invite.transaction.request
        // The 487 must carry the To tag of any provisional the TU sent, so the peer sees one dialog.
        let tag = invite.transaction.lastResponse?.to?.tag ?? SIPIdentifiers.tag(using: &generator)
        let outputs = invite.transaction.send(request.makeResponse(.requestTerminated, toTag: tag), at: now) ?? []
        inviteServers[inviteKey] = invite
        actions += map(outputs, request: request, destination: invite.destination)
        actions.append(.cancelled(request))
        return actions
    }
}
