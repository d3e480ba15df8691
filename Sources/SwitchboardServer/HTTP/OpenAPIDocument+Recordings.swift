import SwitchboardProtocol

/// The call recording routes and the session export (`/api/v1/recordings`,
/// `/api/v1/sessions/{id}/recording`, `/api/v1/sessions.csv`).
extension OpenAPIDocument {
    static var recordingRoutes: [Operation] {
        [
            Operation(method: "get", path: "/api/v1/recordings", id: "listRecordings", tag: "sessions",
                      summary: "Call recordings, newest first: made, being made, or failed (with the reason).",
                      parameters: pageParameters + [
                          queryParameter("status", ["type": "string", "enum": ["recording", "ready", "failed"]], "Only recordings in this state."),
                      ], responses: ["200": response("A page of recordings.", "RecordingPage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "get", path: "/api/v1/sessions/{id}/recording", id: "getSessionRecording", tag: "sessions",
                      summary: "A phone call's recording as WAV (8 kHz, 16-bit, two channels: caller left, agent right).",
                      description: "Honours one `Range: bytes=…` (206 with `Content-Range`; 416 for a range past the end), so an audio element can seek.",
                      parameters: [pathParameter("id", "The session's id, e.g. `s-42`."),
                                   ["name": "Range", "in": "header", "required": false, "schema": ["type": "string"],
                                    "description": "One byte range, e.g. `bytes=0-1023`, `bytes=4096-` or `bytes=-1024`."]],
                      responses: [
                          "200": ["description": "The whole file.", "content": ["audio/wav": ["schema": ["type": "string", "format": "binary"]]]],
                          "206": ["description": "The range asked for.", "content": ["audio/wav": ["schema": ["type": "string", "format": "binary"]]]],
                          "409": response("`recordingInProgress` (the call goes on) or `recordingFailed` (the message says why).", "Error"),
                          "416": response("`rangeNotSatisfiable`: the range starts past the end.", "Error"),
                      ].merging(errors(400, 401, 404)) { $1 }),
            Operation(method: "get", path: "/api/v1/agent/sessions", id: "listAgentHistory", tag: "agent history",
                      summary: "The sessions the agent with this login token accepted, newest first: its own history.",
                      description: "`q` searches the customer's name, phone numbers, remark and user id and the messages' text, ignoring letter case (on SQLite, of ASCII letters only). Transcripts are read with the SDK's `Chat.getMessages`; a call's recording with `recording.url`.",
                      security: [["agentToken": []]],
                      parameters: pageParameters + [
                          queryParameter("q", ["type": "string", "maxLength": 100], "Text to look for (1–100 characters; blank: no search)."),
                      ],
                      responses: ["200": response("A page of session records; a recorded call's `recording.url` is under /api/v1/agent/.", "SessionPage"),
                                  "401": response("`notAuthenticated`: no agent login token, or one that is expired, revoked, single-use or not this server's.", "Error")]
                          .merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agent/sessions/{id}/customer-sessions", id: "listCustomerSessions", tag: "agent history",
                      summary: "The other sessions of this session's customer, newest first, whichever agent handled them.",
                      description: "The customer is known by the site's `userId` (im, voip, video) or the customer's number of a phone call either way, as `usingLastSeat` knows them (not by `clientData`, which pages share). Both are the customer side's word, so only sessions of the agent's own skill groups are listed. The session must ring at the agent, be held by it, or have been answered by it. A customer who gave neither has none. Recordings are left out.",
                      security: [["agentToken": []]],
                      parameters: [pathParameter("id", "The session the agent serves, e.g. `s-42`.")] + pageParameters,
                      responses: ["200": response("A page of session records.", "SessionPage"),
                                  "401": response("`notAuthenticated`: no valid agent login token.", "Error"),
                                  "404": response("`unknownSession`: not a session that rings at this agent, it holds or it answered.", "Error")]
                          .merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agent/sessions/{id}/customer-sessions/{earlierId}/messages", id: "listCustomerSessionMessages", tag: "agent history",
                      summary: "The transcript of one of the customer's earlier sessions (paged as `/api/v1/sessions/{id}/messages`).",
                      security: [["agentToken": []]],
                      parameters: [pathParameter("id", "The session the agent serves, e.g. `s-42`."),
                                   pathParameter("earlierId", "An earlier session of the same customer, e.g. `s-7`."),
                                   queryParameter("order", ["type": "string", "enum": ["oldest", "newest"], "default": "oldest"], "Which end to start from."),
                                   queryParameter("limit", integer(minimum: 1, maximum: 200, default: 50), "At most this many messages."),
                                   queryParameter("before", ["type": "string"], "Only messages before this message id (e.g. `m-17`)."),
                                   queryParameter("after", ["type": "string"], "Only messages after this message id; not with `before`.")],
                      responses: ["200": response("A page of messages.", "MessagePage"),
                                  "401": response("`notAuthenticated`: no valid agent login token.", "Error"),
                                  "404": response("`unknownSession`: `id` is not the agent's, or `earlierId` is not an earlier session of its customer.", "Error")]
                          .merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agent/sessions/{id}/customer-sessions/{earlierId}/attachments/{attachmentId}",
                      id: "getCustomerSessionAttachment", tag: "agent history",
                      summary: "A picture or file sent in one of the customer's earlier sessions (served as a download or inline picture, never as a page).",
                      security: [["agentToken": []]],
                      parameters: [pathParameter("id", "The session the agent serves, e.g. `s-42`."),
                                   pathParameter("earlierId", "An earlier session of the same customer, e.g. `s-7`."),
                                   pathParameter("attachmentId", "The file's id, from its message's `attachment`.")],
                      responses: ["200": ["description": "The file.", "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]],
                                  "401": response("`notAuthenticated`: no valid agent login token.", "Error"),
                                  "404": response("`unknownSession` (as for the transcript) or `attachmentNotFound`.", "Error")]
                          .merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agent/sessions/{id}/recording", id: "getAgentRecording", tag: "agent history",
                      summary: "A call's recording for an agent who answered it (as `/api/v1/sessions/{id}/recording`, ranges too).",
                      security: [["agentToken": []]],
                      parameters: [pathParameter("id", "The session's id, e.g. `s-42`."),
                                   ["name": "Range", "in": "header", "required": false, "schema": ["type": "string"],
                                    "description": "One byte range, e.g. `bytes=0-1023`."]],
                      responses: [
                          "200": ["description": "The whole file.", "content": ["audio/wav": ["schema": ["type": "string", "format": "binary"]]]],
                          "206": ["description": "The range asked for.", "content": ["audio/wav": ["schema": ["type": "string", "format": "binary"]]]],
                          "401": response("`notAuthenticated`: no valid agent login token.", "Error"),
                          "404": response("`noRecording`: not a call this agent answered, not recorded, or deleted (the same answer for a session it never answered).", "Error"),
                          "409": response("`recordingInProgress` or `recordingFailed`.", "Error"),
                          "416": response("`rangeNotSatisfiable`.", "Error"),
                      ].merging(errors(400, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/sessions.csv", id: "exportSessions", tag: "sessions",
                      summary: "Session records as CSV, oldest first, with TCCC's call-record column names (DescribeTelCdr) where they fit.",
                      description: "Columns: \(SessionCSV.columns.joined(separator: ", ")). Times are whole seconds since 1970. Cells starting with = + - @ (a formula to a spreadsheet) get a leading '.",
                      parameters: [
                          queryParameter("from", ["type": "string"], "Sessions created at or after: milliseconds since 1970, or ISO 8601 (`2026-11-30`, `2026-11-30T08:00:00Z`)."),
                          queryParameter("to", ["type": "string"], "Sessions created before this time (same forms)."),
                          queryParameter("type", ["type": "string"], "Session types, comma-separated (e.g. `phone`)."),
                      ],
                      responses: ["200": ["description": "RFC 4180 CSV (UTF-8, CRLF).", "content": ["text/csv": ["schema": ["type": "string"]]]]]
                          .merging(errors(400, 401, 503)) { $1 }),
        ]
    }

    static var recordingSchemas: [String: JSONValue] {
        [
            "Recording": representation("A call recording; `failed` ones say why.", recordingProperties),
            "RecordingPage": page(of: "Recording"),
        ]
    }

    static var recordingProperties: Properties {
        [
            ("sessionId", string()), ("status", string(oneOf: ["recording", "ready", "failed"])),
            ("reason", nullable("string", "Why it failed.")), ("startedAt", milliseconds), ("endedAt", nullableMilliseconds),
            ("durationSeconds", nullable("number")), ("bytes", nullable("integer")),
            ("url", nullable("string", "The audio (`GET`), once ready.")),
        ]
    }
}
