/// What identifies a transaction (RFC 3261 §17.1.3, §17.2.3): the top Via branch, the method (ACK
/// counts as INVITE), and for server transactions the Via sent-by.
public struct SIPTransactionKey: Hashable, Sendable, CustomStringConvertible {
    /// The branch; for RFC 2543 peers without the magic cookie, a key made of the request's identity.
    public var branch: String
    /// The top Via sent-by (`host:port`) for server transactions, empty for client ones.
    public var sentBy: String
    /// The method; an ACK matches the INVITE it acknowledges.
    public var method: SIPMethod

    /// Creates a key.
    public init(branch: String, sentBy: String, method: SIPMethod) {
        self.branch = branch
        self.sentBy = sentBy
        self.method = method == .ack ? .invite : method
    }

    /// The key of the client transaction a response belongs to (§17.1.3: branch and CSeq method).
    public init?(response: SIPMessage) {
        guard let branch = response.topVia?.branch, let method = response.cseq?.method else { return nil }
        self.init(branch: branch, sentBy: "", method: method)
    }

    /// The key of the client transaction for a request we send.
    public init?(clientRequest request: SIPMessage) {
        guard let branch = request.topVia?.branch, let method = request.method else { return nil }
        self.init(branch: branch, sentBy: "", method: method)
    }

    /// The key of the server transaction for a received request or for the response we send to it.
    public init?(serverMessage message: SIPMessage) {
        guard let via = message.topVia, let method = message.method else { return nil }
        if let branch = via.branch, branch.hasPrefix(SIPVia.magicCookie) {
            self.init(branch: branch, sentBy: via.sentBy, method: method)
        } else {
            // RFC 2543 peers: no unique branch, so the request's own identity is the key (§17.2.3,
            // simplified: the To tag is left out because ACKs for non-2xx carry it and INVITEs do not).
            guard let callID = message.callID, let cseq = message.cseq else { return nil }
            let fromTag = message.from?.tag ?? ""
            self.init(branch: "2543|\(callID)|\(fromTag)|\(cseq.number)|\(via.branch ?? "")", sentBy: via.sentBy, method: method)
        }
    }

    public var description: String { sentBy.isEmpty ? "\(method) \(branch)" : "\(method) \(branch) from \(sentBy)" }
}
