extension SIPDialog {
    /// A new in-dialog request (BYE, re-INVITE, INFO, UPDATE...) with the next CSeq (§12.2.1.1).
    ///
    /// Routing: with no route set the Request-URI is the remote target; when the first route is a
    /// loose router (`;lr`) the Request-URI is the remote target and the route set goes in Route;
    /// otherwise (a strict router) the first route becomes the Request-URI and the remote target is
    /// appended to the Route list. Send it to ``nextHop``.
    public mutating func makeRequest(
        _ method: SIPMethod,
        agent: SIPAgentProfile,
        branch: String = SIPIdentifiers.branch(),
        body: [UInt8] = [],
        contentType: String? = nil
    ) -> SIPMessage {
        localSequence += 1
        return build(method, sequence: localSequence, agent: agent, branch: branch, body: body, contentType: contentType)
    }

    /// The ACK for a 2xx to an INVITE or re-INVITE of this dialog: a new branch, the INVITE's CSeq
    /// number, the same routing as other in-dialog requests (§13.2.2.4). The body is the SDP answer
    /// when the 2xx carried the offer.
    public func makeACK(
        for response: SIPMessage,
        agent: SIPAgentProfile,
        branch: String = SIPIdentifiers.branch(),
        body: [UInt8] = [],
        contentType: String? = nil
    ) -> SIPMessage {
        build(.ack, sequence: response.cseq?.number ?? localSequence, agent: agent, branch: branch, body: body, contentType: contentType)
    }

    /// Where in-dialog requests go first (RFC 3261 §8.1.2): the first route, loose or strict, else
    /// the remote target.
    public var nextHop: SIPURI { routeSet.first?.uri ?? remoteTarget }

    private func build(
        _ method: SIPMethod, sequence: UInt32, agent: SIPAgentProfile, branch: String, body: [UInt8], contentType: String?
    ) -> SIPMessage {
        var requestURI = remoteTarget
        var routes = routeSet
        if let first = routeSet.first, !first.uri.isLooseRouter {
            requestURI = first.uri
            // Parameters not allowed in a Request-URI (RFC 3261 §19.1.1 table 1).
            requestURI.headers = []
            requestURI.parameters.remove("method")
            routes = Array(routeSet.dropFirst()) + [SIPNameAddress(uri: remoteTarget)]
        }
        var request = SIPMessage(method: method, uri: requestURI)
        request.headers.add(.via, agent.via(branch: branch).description)
        request.headers.add(.maxForwards, "70")
        for route in routes { request.headers.add(.route, route.description) }
        request.headers.add(.from, local.description)
        request.headers.add(.to, remote.description)
        request.headers.add(.callID, id.callID)
        request.headers.add(.cseq, SIPCSeq(sequence, method).description)
        if method == .invite || method == .update {
            request.headers.add(.contact, SIPNameAddress(uri: agent.contact).description)
            request.headers.add(.allow, agent.allowValue)
            request.headers.add(.supported, agent.supported.joined(separator: ", "))
        }
        if let userAgent = agent.userAgent { request.headers.add(.userAgent, userAgent) }
        request.setBody(body, contentType: contentType)
        return request
    }
}
