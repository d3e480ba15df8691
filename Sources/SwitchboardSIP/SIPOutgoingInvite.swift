/// A call we place: the initial INVITE, its CANCEL, and its retry with credentials after 401/407.
///
/// ```swift
/// var call = SIPOutgoingInvite(to: callee, from: caller, agent: agent, sdp: offer)
/// send(call.request)                              // via SIPEndpoint.sendRequest
/// // on 401/407:
/// send(try call.authenticate(after: response, credentials: trunkCredentials))
/// // on 2xx:
/// var dialog = SIPDialog(uacRequest: call.request, response: response)!
/// send(dialog.makeACK(for: response, agent: agent))
/// ```
public struct SIPOutgoingInvite: Hashable, Sendable {
    /// The INVITE as last sent (after ``authenticate(after:credentials:cnonce:branch:)``, the retry).
    public private(set) var request: SIPMessage
    /// The nonces already answered, so a second challenge with the same nonce means wrong credentials.
    var answeredNonces: Set<String> = []

    /// Builds the initial INVITE (RFC 3261 §8.1.1): Request-URI, From with a new tag, To without one,
    /// a new Call-ID, CSeq, Via with a branch and `rport`, Contact, Max-Forwards 70, Allow,
    /// Supported, and the SDP offer. `requestURI` defaults to the To URI; `routes` become Route
    /// headers (a preloaded outbound proxy).
    public init(
        to: SIPNameAddress,
        from: SIPNameAddress,
        agent: SIPAgentProfile,
        sdp: [UInt8],
        requestURI: SIPURI? = nil,
        routes: [SIPNameAddress] = [],
        callID: String = SIPIdentifiers.callID(),
        fromTag: String = SIPIdentifiers.tag(),
        branch: String = SIPIdentifiers.branch(),
        sequence: UInt32 = 1,
        extraHeaders: [SIPHeaderField] = []
    ) {
        var request = SIPMessage(method: .invite, uri: requestURI ?? to.uri)
        request.headers.add(.via, agent.via(branch: branch).description)
        request.headers.add(.maxForwards, "70")
        for route in routes { request.headers.add(.route, route.description) }
        request.headers.add(.from, from.tagged(fromTag).description)
        var toWithoutTag = to
        toWithoutTag.tag = nil
        request.headers.add(.to, toWithoutTag.description)
        request.headers.add(.callID, callID)
        request.headers.add(.cseq, SIPCSeq(sequence, .invite).description)
        request.headers.add(.contact, SIPNameAddress(uri: agent.contact).description)
        request.headers.add(.allow, agent.allowValue)
        request.headers.add(.supported, agent.supported.joined(separator: ", "))
        if let userAgent = agent.userAgent { request.headers.add(.userAgent, userAgent) }
        request.headers.fields += extraHeaders
        request.setBody(sdp, contentType: "application/sdp")
        self.request = request
    }

    /// The CANCEL for the INVITE (§9.1): same Request-URI, Call-ID, From, To, CSeq number and Route,
    /// and the INVITE's top Via (same branch), so the peer matches it to the INVITE transaction.
    /// Send it only after a provisional response has arrived.
    public func makeCancel() -> SIPMessage {
        var cancel = SIPMessage(method: .cancel, uri: request.requestURI ?? SIPURI(host: "invalid"))
        if let via = request.headers.values(.via).first { cancel.headers.add(.via, via) }
        cancel.headers.add(.maxForwards, "70")
        for route in request.headers.values(.route) { cancel.headers.add(.route, route) }
        for name in [SIPHeaderName.from, .to, .callID] {
            if let value = request.headers[name] { cancel.headers.add(name, value) }
        }
        cancel.headers.add(.cseq, SIPCSeq(request.cseq?.number ?? 1, .cancel).description)
        return cancel
    }

    /// The INVITE again with Authorization / Proxy-Authorization answering the 401/407 challenge
    /// (§22.2): CSeq + 1, a new branch, same Call-ID and From tag. Throws when the response holds no
    /// digest challenge we can answer, or when it re-challenges a nonce we already answered without
    /// `stale=true` (the credentials are wrong; retrying would loop).
    public mutating func authenticate(
        after response: SIPMessage,
        credentials: SIPDigestCredentials,
        cnonce: String = SIPIdentifiers.tag() + SIPIdentifiers.tag(),
        branch: String = SIPIdentifiers.branch()
    ) throws(SIPError) -> SIPMessage {
        let challenges = SIPDigestChallenge.challenges(in: response)
        guard !challenges.isEmpty else {
            throw SIPError(.authentication, "the \(response.statusCode ?? 0) response has no digest challenge this library can answer")
        }
        var retry = request
        retry.headers.remove(.authorization)
        retry.headers.remove(.proxyAuthorization)
        let uri = request.requestURI?.description ?? ""
        for challenge in challenges {
            if answeredNonces.contains(challenge.nonce), !challenge.stale {
                throw SIPError(.authentication, "realm '\(challenge.realm)' rejected the credentials for '\(credentials.username)': check the username and password")
            }
            answeredNonces.insert(challenge.nonce)
            let answer = challenge.authorization(method: .invite, uri: uri, credentials: credentials, body: request.body, cnonce: cnonce)
            retry.headers.add(answer.headerName, answer.description)
        }
        var via = retry.topVia ?? SIPVia(host: "invalid", branch: branch)
        via.branch = branch
        via.parameters.remove("received")
        retry.headers.setAll(.via, [via.description])
        retry.cseq = SIPCSeq((request.cseq?.number ?? 1) + 1, .invite)
        request = retry
        return retry
    }
}
