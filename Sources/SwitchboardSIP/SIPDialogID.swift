/// What identifies a dialog (RFC 3261 §12): Call-ID and the two tags, seen from our side.
public struct SIPDialogID: Hashable, Sendable, CustomStringConvertible {
    /// The Call-ID.
    public var callID: String
    /// Our tag.
    public var localTag: String
    /// The peer's tag (empty for an RFC 2543 peer that sent none).
    public var remoteTag: String

    /// Creates an id.
    public init(callID: String, localTag: String, remoteTag: String) {
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
    }

    /// The dialog a received in-dialog request belongs to: our tag is in To, theirs in From. Nil
    /// for a request without a To tag (it starts a new dialog instead).
    public init?(receivedRequest request: SIPMessage) {
        guard let callID = request.callID, let localTag = request.to?.tag else { return nil }
        self.init(callID: callID, localTag: localTag, remoteTag: request.from?.tag ?? "")
    }

    /// The dialog a response to our request belongs to: our tag is in From, theirs in To.
    public init?(receivedResponse response: SIPMessage) {
        guard let callID = response.callID, let localTag = response.from?.tag, let remoteTag = response.to?.tag else { return nil }
        self.init(callID: callID, localTag: localTag, remoteTag: remoteTag)
    }

    public var description: String { "\(callID);local=\(localTag);remote=\(remoteTag)" }
}
