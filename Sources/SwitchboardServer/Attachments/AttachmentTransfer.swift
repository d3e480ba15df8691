import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// The HTTP side of attachments shared by the customer's, the agent's and the admin's routes:
/// reading an upload against the policy, and serving a file so that no browser runs it.
enum AttachmentTransfer {
    /// Reads the upload: the raw file as the body, its media type in `Content-Type` and its name
    /// in the `name` query parameter. A declared size or type over the policy is refused before
    /// the body is read; the bytes received are checked again.
    static func receive(_ request: Request, name rawName: String?, policy: AttachmentPolicy) async throws -> ChatMessaging.Upload {
        guard let rawName else { throw APIError.invalid("query parameter 'name' is required: the file's name, such as photo.png") }
        guard let name = AttachmentPolicy.cleanName(rawName) else {
            throw APIError.invalid("query parameter 'name' holds no usable file name ('\(rawName)')")
        }
        let contentType = AttachmentPolicy.mediaType(of: request.headers[.contentType])
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let refusal = policy.refusal(contentType: contentType, size: declared) { throw error(for: refusal) }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: policy.maximumBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "attachmentTooLarge", "the file is larger than \(policy.maximumBytes) bytes (\(policy.readableLimit)), the limit")
        }
        let bytes = Array(buffer.readableBytesView)
        if let refusal = policy.refusal(contentType: contentType, size: bytes.count) { throw error(for: refusal) }
        guard let contentType else { throw APIError.invalid("the upload has no Content-Type") }
        if let mismatch = AttachmentPolicy.contentMismatch(bytes, declared: contentType) {
            throw APIError(.unsupportedMediaType, code: "attachmentTypeMismatch", mismatch)
        }
        return ChatMessaging.Upload(name: name, contentType: contentType, bytes: bytes)
    }

    /// The API error for a policy refusal: 415 for the type, 413 for the size, 400 for an empty file.
    private static func error(for refusal: AttachmentPolicy.Refusal) -> APIError {
        switch refusal.rule {
        case .type: APIError(.unsupportedMediaType, code: "attachmentTypeNotAccepted", refusal.message)
        case .size: APIError(.contentTooLarge, code: "attachmentTooLarge", refusal.message)
        case .empty: APIError.invalid(refusal.message)
        }
    }

    /// The answer to an upload: 201 with the message, or 200 when a retried `clientMessageId`
    /// found it stored before.
    /// `authors` names the agent of an agent's message, as agents' events do; customers get none.
    static func sent(
        _ stored: StoredMessage, duplicate: Bool, authors: [AgentID: String]? = nil, location: String, request: Request, context: ServerRequestContext
    ) throws -> Response {
        var response = try AdminRoutes.created(
            AttachmentSentRepresentation(message: ChatMessaging.wire(stored, authors: authors), clientMessageId: stored.clientMessageId),
            at: location, request: request, context: context)
        if duplicate { response.status = .ok }
        return response
    }

    /// The file, served so that no browser renders it as a page from this origin: pictures
    /// shown inline are served as themselves, everything else as a download
    /// (`Content-Disposition: attachment`), with `nosniff` and a sandboxing policy either way.
    static func response(for attachment: StoredAttachment) -> Response {
        let inline = ChatAttachment.imageTypes.contains(attachment.info.contentType)
        let headers: HTTPFields = [
            .contentType: attachment.info.contentType,
            .contentDisposition: disposition(inline ? "inline" : "attachment", name: attachment.info.name),
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .contentSecurityPolicy: "\(SecurityHeaders.apiPolicy); sandbox",
            // The same URL answers other people differently (or not at all): nothing shared may keep it.
            .cacheControl: "private, no-store",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: attachment.content)))
    }

    /// `inline` / `attachment` with the name as an ASCII fallback and RFC 5987 `filename*`.
    static func disposition(_ kind: String, name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "\(kind); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// The attachment `id` of `session`, or 404 naming neither which was wrong.
    static func find(_ id: String, of session: SessionID, server: ServerComponents) async throws -> StoredAttachment {
        let found: StoredAttachment?
        do throws(ChatMessaging.Refusal) { found = try await server.messaging.attachment(id, of: session) } catch {
            throw APIError(.serviceUnavailable, code: "unavailable", error.description)
        }
        guard let found else { throw APIError.notFound("attachmentNotFound", "session \(session) has no attachment '\(id)'") }
        return found
    }

    /// A messaging refusal as the API error the upload routes answer.
    static func apiError(_ refusal: ChatMessaging.Refusal, conflict: Bool = false) -> APIError {
        if let retryAfter = refusal.retryAfter {
            return APIError(.tooManyRequests, code: ProtocolError.Code.rateLimited.rawValue, refusal.description, retryAfter: retryAfter)
        }
        if refusal.retryable { return APIError(.serviceUnavailable, code: "unavailable", refusal.description) }
        return conflict ? APIError(.conflict, code: "notAllowed", refusal.description) : APIError.invalid(refusal.description)
    }
}

/// The answer to an upload: the message that carries the file, as the sockets deliver it.
struct AttachmentSentRepresentation: ResponseEncodable, Sendable {
    var message: ChatMessage
    @Nullable var clientMessageId: String?
}

/// The attachment limits, for pages to check a file before sending it.
struct AttachmentPolicyRepresentation: ResponseEncodable, Sendable {
    var maximumBytes: Int
    var contentTypes: [String]
    /// The types shown inline as pictures.
    var imageTypes: [String]
}
