import SwitchboardProtocol

/// The attachment routes and schemas: files sent in im sessions by the customer (session secret),
/// the agent (its login token) and read by supervisors (admin API).
extension OpenAPIDocument {
    static var attachmentRoutes: [Operation] {
        let chatId = pathParameter("id", "The session id from starting the chat.")
        let sessionId = pathParameter("id", "The session's id, e.g. `s-42`.")
        let attachmentId = pathParameter("attachmentId", "The file's id from its message's `attachment.attachmentId`, e.g. `a-3f9a...`.")
        let name = queryParameter("name", ["type": "string", "minLength": 1], "The file's name, shown to the other side (directories and control characters are dropped).")
        let upload: JSONValue = [
            "required": true,
            "description": "The file itself, with its media type as `Content-Type`; `GET /api/v1/chat/attachment-policy` lists the accepted types and the size limit.",
            "content": [
                "image/png": ["schema": ["type": "string", "format": "binary"]],
                "image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                "application/pdf": ["schema": ["type": "string", "format": "binary"]],
                "text/plain": ["schema": ["type": "string"]],
            ],
        ]
        let file: JSONValue = [
            "description": "The file. Pictures shown inline (PNG, JPEG, GIF, WebP) come with `Content-Disposition: inline`, everything else with `attachment`; always `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy.",
            "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]],
        ]
        let refusedType = response("`attachmentTypeNotAccepted`: not an accepted type (the message lists them); `attachmentTypeMismatch`: a picture type whose bytes are not that picture.", "Error")
        let tooLarge = response("`attachmentTooLarge`: over the size limit, which the message names (refused before the body is read when `Content-Length` says so).", "Error")
        let secret: JSONValue = [["sessionSecret": []]]
        let agentToken: JSONValue = [["agentToken": []]]
        let notAuthenticated = response("`notAuthenticated`: no agent login token, or one that is expired, revoked, single-use or not this server's.", "Error")
        let sent: [String: JSONValue] = ["201": response("Stored with its message, which both sides receive.", "AttachmentSent")]
        return [
            Operation(method: "get", path: "/api/v1/chat/attachment-policy", id: "getAttachmentPolicy", tag: "chat",
                      summary: "Which files may be sent in a chat: the size limit and the media types, for pages to check a file before sending it.",
                      security: [], responses: ["200": response("The limits.", "AttachmentPolicy")].merging(errors(400)) { $1 }),
            Operation(method: "post", path: "/api/v1/chat/sessions/{id}/attachments", id: "sendChatAttachment", tag: "chat",
                      summary: "The customer sends a picture or file; a retried clientMessageId answers 200 with the first message.",
                      security: secret, parameters: [chatId, name, queryParameter("clientMessageId", ["type": "string"], "The widget's own id, so a retry is stored once.")],
                      body: upload,
                      responses: sent.merging([
                          "200": response("Already stored under this clientMessageId.", "AttachmentSent"),
                          "404": response("`sessionNotFound`: no session matches that id and secret.", "Error"),
                          "409": response("`sessionEnded`: the chat is over.", "Error"), "413": tooLarge, "415": refusedType,
                      ]) { $1 }.merging(errors(400, 429, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/chat/sessions/{id}/attachments/{attachmentId}", id: "getChatAttachment", tag: "chat",
                      summary: "A file sent in the customer's chat, by either side.", security: secret, parameters: [chatId, attachmentId],
                      responses: ["200": file, "404": response("`sessionNotFound` (id or secret wrong) or `attachmentNotFound`.", "Error")]
                          .merging(errors(400, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/agent/sessions/{id}/attachments", id: "sendAgentAttachment", tag: "chat",
                      summary: "The agent holding an im session sends a picture or file to its customer (what the workbench's paper clip does).",
                      security: agentToken, parameters: [sessionId, name], body: upload,
                      responses: sent.merging([
                          "401": notAuthenticated, "409": response("`notAllowed`: the session is not an im session this agent holds (or it ended).", "Error"),
                          "413": tooLarge, "415": refusedType,
                      ]) { $1 }.merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agent/sessions/{id}/attachments/{attachmentId}", id: "getAgentAttachment", tag: "chat",
                      summary: "A file in a session this agent holds, rings for, or once accepted (the transcript rule).",
                      security: agentToken, parameters: [sessionId, attachmentId],
                      responses: ["200": file, "401": notAuthenticated,
                                  "404": response("`attachmentNotFound`: no such file, or not a session this agent may read (the same answer).", "Error")]
                          .merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/sessions/{id}/attachments/{attachmentId}", id: "getSessionAttachment", tag: "sessions",
                      summary: "A file sent in an im session, for reading its transcript (supervisors may).", parameters: [sessionId, attachmentId],
                      responses: ["200": file, "404": response("`attachmentNotFound`.", "Error")].merging(errors(400, 401, 503)) { $1 }),
        ]
    }

    static var attachmentSchemas: [String: JSONValue] {
        [
            "AttachmentPolicy": representation("Which files may be sent in a chat.", [
                ("maximumBytes", integer(minimum: 1024)), ("contentTypes", array(string())),
                ("imageTypes", array(string("Shown inline as pictures; other files are downloads."))),
            ]),
            "AttachmentSent": representation("The message that carries the file.", [
                ("message", ref("ChatMessage")), ("clientMessageId", nullable("string", "As sent.")),
            ]),
            "ChatAttachment": object("A file carried by a message.", [
                ("attachmentId", string()), ("name", string()), ("contentType", string()), ("size", integer(minimum: 1)),
                ("kind", string("`image`: shown inline; `file`: a download.", oneOf: .array(ChatAttachment.Kind.allCases.map { .string($0.rawValue) }))),
            ], required: ["attachmentId", "name", "contentType", "size", "kind"], closed: false),
        ]
    }
}
