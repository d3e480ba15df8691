/// One side of a dialog (RFC 3261 §12): the state needed to send and check in-dialog requests.
///
/// Created from the INVITE and a 2xx (or a 1xx with a To tag, as an early dialog) on either side.
/// Build in-dialog requests with ``makeRequest(_:agent:branch:body:contentType:)`` and
/// ``makeACK(for:agent:branch:body:contentType:)``; check received ones with ``receive(_:)``.
public struct SIPDialog: Hashable, Sendable {
    /// Whether the dialog is still early (created by a provisional response).
    public enum State: Hashable, Sendable {
        /// Created by a 1xx with a To tag.
        case early
        /// Created or confirmed by a 2xx.
        case confirmed
    }

    /// The Call-ID and tags.
    public private(set) var id: SIPDialogID
    /// Early or confirmed.
    public private(set) var state: State
    /// Whether we placed the call (UAC of the INVITE that created it).
    public let isCaller: Bool
    /// Our address with our tag: From in our requests.
    public var local: SIPNameAddress
    /// The peer's address with its tag: To in our requests.
    public var remote: SIPNameAddress
    /// Where in-dialog requests go: the peer's latest Contact.
    public var remoteTarget: SIPURI
    /// The route set, in the order our requests traverse it.
    public var routeSet: [SIPNameAddress]
    /// The CSeq of the last request we sent in the dialog (0 before the first, on the UAS side).
    public var localSequence: UInt32
    /// The CSeq of the last request the peer sent, if any.
    public var remoteSequence: UInt32?
    /// Whether the dialog was set up over sips.
    public var isSecure: Bool

    /// The UAS side: from the INVITE we received and the response we send (2xx, or 1xx with our To tag).
    public init?(uasRequest request: SIPMessage, response: SIPMessage) {
        guard let status = response.status, status.code > 100, status.code < 300,
              let callID = request.callID, var local = request.to, let localTag = response.to?.tag,
              let remote = request.from, let target = request.contacts.first?.uri, let cseq = request.cseq
        else { return nil }
        local.tag = localTag
        id = SIPDialogID(callID: callID, localTag: localTag, remoteTag: remote.tag ?? "")
        state = status.isSuccess ? .confirmed : .early
        isCaller = false
        self.local = local
        self.remote = remote
        remoteTarget = target
        routeSet = request.recordRoutes
        localSequence = 0
        remoteSequence = cseq.number
        isSecure = request.requestURI?.isSecure ?? false
    }

    /// The UAC side: from the INVITE we sent and a response to it (2xx, or 1xx with a To tag).
    /// The route set is the response's Record-Route reversed.
    public init?(uacRequest request: SIPMessage, response: SIPMessage) {
        guard let status = response.status, status.code > 100, status.code < 300,
              let callID = request.callID, let local = request.from, let localTag = local.tag,
              let remote = response.to, let remoteTag = remote.tag, let cseq = request.cseq
        else { return nil }
        id = SIPDialogID(callID: callID, localTag: localTag, remoteTag: remoteTag)
        state = status.isSuccess ? .confirmed : .early
        isCaller = true
        self.local = local
        self.remote = remote
        // Without a Contact the Request-URI is the best remaining guess at the target.
        remoteTarget = response.contacts.first?.uri ?? request.requestURI ?? SIPURI(host: "invalid")
        routeSet = response.recordRoutes.reversed()
        localSequence = cseq.number
        remoteSequence = nil
        isSecure = request.requestURI?.isSecure ?? false
    }

    /// Applies a later response to the INVITE (UAC side): a 2xx confirms an early dialog and
    /// recomputes its route set (§12.1.2); any 1xx/2xx Contact refreshes the remote target.
    public mutating func update(with response: SIPMessage) {
        guard let status = response.status, status.code > 100, status.code < 300 else { return }
        if let target = response.contacts.first?.uri { remoteTarget = target }
        if status.isSuccess, state == .early {
            state = .confirmed
            if isCaller { routeSet = response.recordRoutes.reversed() }
        }
    }

    /// Whether a received request belongs to this dialog (Call-ID and both tags).
    public func matches(_ request: SIPMessage) -> Bool {
        SIPDialogID(receivedRequest: request) == id
    }

    /// Checks and applies a received in-dialog request: returns the 500 to send when its CSeq is
    /// lower than the last one seen (§12.2.2, out of order), else nil after recording the CSeq and,
    /// for a re-INVITE or UPDATE with a Contact, the new remote target.
    public mutating func receive(_ request: SIPMessage) -> SIPMessage? {
        guard let cseq = request.cseq, let method = request.method else {
            return request.makeResponse(.badRequest)
        }
        if method == .ack || method == .cancel { return nil }
        if let remoteSequence, cseq.number < remoteSequence {
            var refusal = request.makeResponse(SIPStatus(code: 500, reason: "Request Out Of Order"))
            refusal.headers.add(.retryAfter, "1")
            return refusal
        }
        remoteSequence = cseq.number
        if method == .invite || method == .update, let target = request.contacts.first?.uri {
            remoteTarget = target
        }
        return nil
    }
}
