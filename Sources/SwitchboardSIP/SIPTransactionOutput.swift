/// What a transaction asks its owner to do after an input.
public enum SIPTransactionOutput: Hashable, Sendable {
    /// Send this message to the transaction's peer (a request, a retransmission, an ACK or a response).
    case send(SIPMessage)
    /// Hand this message to the transaction user (a response to our request, or an ACK for a 2xx).
    case deliver(SIPMessage)
    /// The transaction gave up waiting (Timer B, F or H).
    case timeout
}
