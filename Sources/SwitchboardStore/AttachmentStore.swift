import SwitchboardCore

/// What a transcript shows of a file sent in an im session: enough to name it, tell an image
/// from other files and ask for it; the content is read on its own (``AttachmentStore``).
public struct AttachmentInfo: Codable, Equatable, Hashable, Sendable {
    /// The server's id for it: random, so it cannot be guessed from another one.
    public var id: String
    /// The file name the sender gave (no directories).
    public var name: String
    /// The media type it was accepted as (`image/png`, `application/pdf`).
    public var contentType: String
    /// Its size in bytes.
    public var size: Int

    /// Creates the description.
    public init(id: String, name: String, contentType: String, size: Int) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.size = size
    }
}

/// A file sent in an im session, with its content.
public struct StoredAttachment: Sendable, Equatable {
    /// Its description, as the message carries it.
    public var info: AttachmentInfo
    /// The session it was sent in; it is served only to that session's customer and agents.
    public var sessionId: SessionID
    /// When it was received.
    public var uploadedAt: Timestamp
    /// The bytes, exactly as received.
    public var content: [UInt8]

    /// Creates an attachment.
    public init(info: AttachmentInfo, sessionId: SessionID, uploadedAt: Timestamp, content: [UInt8]) {
        self.info = info
        self.sessionId = sessionId
        self.uploadedAt = uploadedAt
        self.content = content
    }
}

/// Where files sent in im sessions are kept: in the store beside the messages, so an attachment
/// is as durable as the message that names it and any node of a cluster can serve it.
///
/// The server saves the content first and then the message that names it (``NewMessage/attachment``);
/// a crash between the two leaves content no message shows, never a message without its content.
public protocol AttachmentStore: Sendable {
    /// Stores an attachment; durable when it returns. An id already stored throws `.database`.
    func saveAttachment(_ attachment: StoredAttachment) async throws

    /// The attachment `id` if it was sent in `session`; nil otherwise (unknown, or another
    /// session's: the two are not told apart).
    func attachment(_ id: String, of session: SessionID) async throws -> StoredAttachment?
}
