import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Files both ways in im sessions: the content is saved in the store first, then the message that
/// names it goes through the same group commit, delivery and acknowledgement as a text message.
/// A crash between the two leaves content nobody is shown, never a message whose file is missing.
extension ChatMessaging {
    /// Who sends a file.
    enum AttachmentSender: Sendable {
        /// The session's customer; a retried `clientMessageId` stores the message once.
        case customer(clientMessageId: String?)
        /// The agent holding the session.
        case agent(AgentID)
    }

    /// A file received, already checked against the policy (``AttachmentPolicy``).
    struct Upload: Sendable {
        var name: String
        var contentType: String
        var bytes: [UInt8]
    }

    /// Stores `upload` and the message that carries it (its text is the file name); returns the
    /// message, and whether a retried `clientMessageId` found it stored before.
    func sendAttachment(_ upload: Upload, from sender: AttachmentSender, in session: SessionID) async throws(Refusal) -> (StoredMessage, duplicate: Bool) {
        var clientMessageId: String?
        var agentId: AgentID?
        switch sender {
        case .customer(let id):
            clientMessageId = id
            if id?.unicodeScalars.contains("\u{0}") == true { throw Refusal("clientMessageId contains a NUL character (\\u0000)") }
            let live = await service.read { $0.sessions[session] != nil }
            guard live else { throw Refusal("session \(session) has ended; start a new chat") }
            if let refusal = admission.admitMessage(in: session.rawValue) {
                throw Refusal(refusal.message, retryAfter: refusal.retryAfter)
            }
        case .agent(let agent):
            agentId = agent
            try await checkAgentMayWrite(agent, in: session)
        }
        let now = Timestamp.now()
        let info = AttachmentInfo(id: Self.newAttachmentId(), name: upload.name, contentType: upload.contentType, size: upload.bytes.count)
        do {
            try await store.saveAttachment(StoredAttachment(info: info, sessionId: session, uploadedAt: now, content: upload.bytes))
        } catch {
            throw Refusal("could not save the file (\(error)); try again", retryable: true)
        }
        let stored = try await store(NewMessage(
            sessionId: session, author: agentId == nil ? .customer : .agent, agentId: agentId, text: upload.name, sentAt: now,
            clientMessageId: clientMessageId, attachment: info))
        return (stored, stored.storedBefore)
    }

    /// The attachment `id` of `session`, for a reader already allowed to read the session; nil
    /// when the session has no such file.
    func attachment(_ id: String, of session: SessionID) async throws(Refusal) -> StoredAttachment? {
        do { return try await store.attachment(id, of: session) } catch {
            throw Refusal("could not read the file (\(error)); try again", retryable: true)
        }
    }

    /// A fresh, unguessable attachment id: `a-` and 32 hex digits.
    static func newAttachmentId() -> String {
        var generator = SystemRandomNumberGenerator()
        let halves = [generator.next() as UInt64, generator.next() as UInt64]
        return "a-" + halves.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
