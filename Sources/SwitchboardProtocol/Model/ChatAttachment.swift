/// A file carried by an im message: its description. The content is fetched over HTTP by the
/// session's customer (`/api/v1/chat/sessions/{id}/attachments/{attachmentId}`), its agents
/// (`/api/v1/agent/sessions/...`) and supervisors (`/api/v1/sessions/...`); see docs/protocol.md.
public struct ChatAttachment: Sendable, Codable, Equatable, Hashable {
    /// The server's id for the file (random).
    public var attachmentId: String
    /// The file name the sender gave.
    public var name: String
    /// Its media type (`image/png`, `application/pdf`).
    public var contentType: String
    /// Its size in bytes.
    public var size: Int
    /// `image` for the picture types a page may show inline (PNG, JPEG, GIF, WebP), `file` for
    /// everything else, which is offered as a download.
    public var kind: Kind

    /// How a page shows the file.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Shown inline as a picture.
        case image
        /// Offered as a download.
        case file
    }

    /// The media types shown inline as pictures. SVG is not among them: it can carry script.
    public static let imageTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]

    /// Creates the description; `kind` follows from the media type.
    public init(attachmentId: String, name: String, contentType: String, size: Int) {
        self.attachmentId = attachmentId
        self.name = name
        self.contentType = contentType
        self.size = size
        self.kind = Self.imageTypes.contains(contentType) ? .image : .file
    }
}
