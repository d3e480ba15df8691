extension SIPMessage {
    /// A response to this request, built per RFC 3261 §8.2.6: Via (all, in order), From, To, Call-ID
    /// and CSeq copied; `toTag` added to To unless it already has one (never on 100 Trying);
    /// Record-Route copied into responses that can create a dialog (1xx other than 100, and 2xx, to
    /// INVITE) so the peer sees the same route set (§12.1.1).
    public func makeResponse(
        _ status: SIPStatus,
        toTag: String? = nil,
        contact: SIPURI? = nil,
        body: [UInt8] = [],
        contentType: String? = nil
    ) -> SIPMessage {
        var response = SIPMessage(status: status)
        for field in headers.fields where field.name == .via {
            response.headers.fields.append(field)
        }
        if let from = headers[.from] { response.headers.add(.from, from) }
        if let toValue = headers[.to] {
            if let toTag, status.code != 100, var to = to, to.tag == nil {
                to.tag = toTag
                response.headers.add(.to, to.description)
            } else {
                response.headers.add(.to, toValue)
            }
        }
        if let callID = headers[.callID] { response.headers.add(.callID, callID) }
        if let cseq = headers[.cseq] { response.headers.add(.cseq, cseq) }
        if method == .invite, status.code > 100, status.code < 300 {
            for field in headers.fields where field.name == .recordRoute {
                response.headers.fields.append(field)
            }
        }
        if let contact { response.headers.add(.contact, SIPNameAddress(uri: contact).description) }
        response.setBody(body, contentType: contentType)
        return response
    }

    /// Fills `received` and `rport` on the top Via of a request that arrived from `source`
    /// (RFC 3261 §18.2.1, RFC 3581 §4): `received` when the source IP differs from the sent-by host,
    /// `rport=<port>` when the sender asked for it. Responses then go where the request came from.
    public mutating func stampReceived(from source: SIPTransportAddress) {
        guard isRequest, let index = headers.fields.firstIndex(where: { $0.name == .via }) else { return }
        let field = headers.fields[index]
        let elements = SIPSyntax.splitTopLevel(field.value[...], on: UInt8(ascii: ",")).parts
        guard let first = elements.first, var via = try? SIPVia(parsing: first) else { return }
        if via.bareHostForComparison != source.host.lowercased() || via.hasRport {
            via.received = source.host
        }
        if via.hasRport { via.parameters.set("rport", String(source.port)) }
        let rest = elements.dropFirst().map { String(SIPSyntax.trim($0)) }
        headers.fields[index].value = ([via.description] + rest).joined(separator: ", ")
    }

    /// Where a response goes over UDP: from its top Via (`received`/`rport` honoured).
    public var responseAddress: SIPTransportAddress? { topVia?.responseAddress }
}

extension SIPVia {
    var bareHostForComparison: String {
        (host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host).lowercased()
    }
}
