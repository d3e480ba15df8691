import Hummingbird
import SwitchboardCore

/// Files sent in im sessions, for supervisors reading a transcript (the admin key may too).
extension AdminRoutes {
    static func registerAttachments(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/sessions/{id}/attachments/{attachmentId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let session = SessionID(try RequestInput.pathId("id", context))
            return AttachmentTransfer.response(for: try await AttachmentTransfer.find(try RequestInput.pathId("attachmentId", context), of: session, server: server))
        }
    }
}
