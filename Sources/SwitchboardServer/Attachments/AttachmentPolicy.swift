import Foundation
import SwitchboardProtocol

/// Which files customers and agents may send in an im session: the largest size and the media
/// types accepted (`--attachment-max-bytes`, `--attachment-types`). Everything else is refused
/// with a message naming the limit, before anything is stored. See docs/security.md.
public struct AttachmentPolicy: Sendable, Equatable {
    /// The largest file accepted, in bytes; 10 MiB by default, at most 64 MiB (the content is
    /// kept in the store, and a transaction holding it delays the ones behind it).
    public var maximumBytes: Int = 10 * 1024 * 1024
    /// The media types accepted: pictures, PDF, plain text and CSV, and office documents by
    /// default. Never types a browser would run as a page (HTML, SVG, XML), whatever is set here:
    /// files are served from this server's origin.
    public var contentTypes: [String] = Self.defaultContentTypes

    /// The types accepted when none are configured.
    public static let defaultContentTypes = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv",
        "application/zip",
        "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]

    /// Types refused even when configured: a browser would treat them as a document that can run
    /// script in this origin.
    static let neverAccepted: Set<String> = [
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript",
        "application/javascript", "text/xsl", "multipart/x-mixed-replace",
    ]

    /// The largest `maximumBytes` that may be configured.
    public static let largestAllowed = 64 * 1024 * 1024

    /// The defaults.
    public init() {}

    /// Checks the settings, naming the first one that is wrong.
    public func validate() throws(ConfigurationError) {
        if !(1024...Self.largestAllowed).contains(maximumBytes) {
            throw ConfigurationError("the attachment size limit must be 1024 bytes to 64 MiB (\(Self.largestAllowed)), not \(maximumBytes)")
        }
        if contentTypes.isEmpty { throw ConfigurationError("the attachment types must list at least one media type, such as image/png") }
        for type in contentTypes {
            let parts = type.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }), type == type.lowercased(), !type.contains(" "), !type.contains(";") else {
                throw ConfigurationError("attachment type '\(type)' is not a media type in lower case, such as image/png or application/pdf")
            }
            if Self.neverAccepted.contains(type) {
                throw ConfigurationError("attachment type '\(type)' cannot be allowed: a browser would run it as a page from this server's origin")
            }
        }
    }

    /// The size limit as people read it ("10 MiB", "512 KiB", "1500 bytes").
    var readableLimit: String { Self.readable(maximumBytes) }

    static func readable(_ bytes: Int) -> String {
        if bytes % (1024 * 1024) == 0 { return "\(bytes / (1024 * 1024)) MiB" }
        if bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }

    /// The media type in a `Content-Type` header, without parameters, in lower case.
    static func mediaType(of header: String?) -> String? {
        guard let header, let type = header.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(), !type.isEmpty else {
            return nil
        }
        return type
    }

    /// Why a file cannot be sent, and which rule it breaks (the HTTP status follows from it).
    struct Refusal: Error, Equatable {
        enum Rule { case type, size, empty }
        var rule: Rule
        var message: String
    }

    /// Why a file of this type and size cannot be sent; nil when it may. Checked before the body
    /// is read when the size is declared, and again on the bytes received.
    func refusal(contentType: String?, size: Int?) -> Refusal? {
        guard let contentType else {
            return Refusal(rule: .type, message: "the upload has no Content-Type; send the file's media type, one of \(contentTypes.joined(separator: ", "))")
        }
        guard contentTypes.contains(contentType) else {
            return Refusal(rule: .type, message: "files of type \(contentType) are not accepted; the accepted types are \(contentTypes.joined(separator: ", "))")
        }
        if let size, size > maximumBytes {
            return Refusal(rule: .size, message: "the file is \(size) bytes; the limit is \(maximumBytes) bytes (\(readableLimit))")
        }
        if size == 0 { return Refusal(rule: .empty, message: "the file is empty") }
        return nil
    }

    /// Why the bytes are not the picture their type says (a page would show them inline); nil
    /// when they are, or the type is not a picture shown inline.
    static func contentMismatch(_ bytes: [UInt8], declared contentType: String) -> String? {
        guard ChatAttachment.imageTypes.contains(contentType) else { return nil }
        let signatures: [String: [[UInt8]]] = [
            "image/png": [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]],
            "image/jpeg": [[0xFF, 0xD8, 0xFF]],
            "image/gif": [Array("GIF87a".utf8), Array("GIF89a".utf8)],
            "image/webp": [Array("RIFF".utf8)],
        ]
        let matches = (signatures[contentType] ?? []).contains { bytes.starts(with: $0) }
        let webpMarker = contentType != "image/webp" || (bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8))
        return matches && webpMarker ? nil : "the file is not a \(contentType) picture (its first bytes say otherwise)"
    }

    /// A file name safe to keep and show: the last path component, without control characters,
    /// at most 200 characters; nil when nothing is left.
    static func cleanName(_ raw: String) -> String? {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let visible = String(String.UnicodeScalarView(last.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrFormat }))
            .trimmingCharacters(in: .whitespaces)
        guard !visible.isEmpty, visible != ".", visible != ".." else { return nil }
        return String(visible.prefix(200))
    }
}

extension Unicode.GeneralCategory {
    /// Control and format characters (including the bidirectional overrides that disguise a name).
    fileprivate var isControlOrFormat: Bool { self == .control || self == .format }
}
