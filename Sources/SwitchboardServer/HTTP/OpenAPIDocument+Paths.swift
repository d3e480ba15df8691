import SwitchboardProtocol

/// Every route, as an operation. Keep in step with the `register` functions: `OpenAPITests`
/// compares this list with the router's.
extension OpenAPIDocument {
    static var operations: [Operation] {
        operationsRoutes + skillGroupRoutes + agentRoutes + sessionRoutes + recordingRoutes + reportRoutes + liveRoutes + monitorRoutes + chatRoutes + phoneNumberRoutes + ivrFlowRoutes + supervisorRoutes
            + signInRoutes + cloudAPIRoutes + webhookRoutes + cannedReplyRoutes + attachmentRoutes
    }

    private static let noAuth: JSONValue = []
    private static let groupId = pathParameter("id", "The skill group's id.")
    private static let agentId = pathParameter("id", "The agent's id.")
    private static let sessionId = pathParameter("id", "The session's id, e.g. `s-42`.")

    static var operationsRoutes: [Operation] {
        [
            Operation(method: "get", path: "/healthz", id: "getHealth", tag: "operations", summary: "The process answers.", security: noAuth,
                      responses: ["200": response("Always `{\"status\":\"ok\"}`.", "HealthStatus")]),
            Operation(method: "get", path: "/readyz", id: "getReadiness", tag: "operations",
                      summary: "Routing state is loaded and the writer runs.", security: noAuth,
                      responses: ["200": response("`{\"status\":\"ready\"}`.", "HealthStatus"),
                                  "503": response("`{\"status\":\"starting\"}`: not ready yet.", "HealthStatus")]),
            Operation(method: "get", path: "/metrics", id: "getMetrics", tag: "operations", summary: "Prometheus metrics.",
                      description: "Open unless the server was started with `--metrics-token` (`SWITCHBOARD_METRICS_TOKEN`); then `Authorization: Bearer <metrics token>` is required. A scrape costs the same however many sessions are live.",
                      security: [[:], ["metricsToken": []]],
                      responses: ["200": ["description": "Prometheus text exposition format 0.0.4.",
                                          "content": ["text/plain": ["schema": ["type": "string"]]]],
                                  "401": response("`--metrics-token` is set and the request has no token or a wrong one.", "Error")]),
            Operation(method: "get", path: "/openapi.json", id: "getOpenAPIDocument", tag: "operations", summary: "This document.", security: noAuth,
                      responses: ["200": ["description": "The OpenAPI 3.1 document.", "content": jsonContent(["type": "object"])]]),
            Operation(method: "get", path: "/ws/agent", id: "connectAgentSocket", tag: "operations",
                      summary: "The agent SDK WebSocket.",
                      description: "A WebSocket upgrade (`Upgrade: websocket`). The agent logs in with `hello` (password or token) inside the socket; see docs/protocol.md §2.",
                      security: noAuth, responses: ["101": response("Switching protocols: the socket is open."),
                                                   "403": response("The request's Origin is not in --allowed-origins.", "Error"),
                                                   "426": response("Not a WebSocket upgrade request.", "Error")]),
            Operation(method: "get", path: "/ws/customer", id: "connectCustomerSocket", tag: "operations",
                      summary: "The chat widget WebSocket.",
                      description: "A WebSocket upgrade (`Upgrade: websocket`) for customers; see docs/protocol.md §3.",
                      security: noAuth, responses: ["101": response("Switching protocols: the socket is open."),
                                                   "403": response("The request's Origin is not in --allowed-origins.", "Error"),
                                                   "426": response("Not a WebSocket upgrade request.", "Error")]),
        ]
    }

    static var skillGroupRoutes: [Operation] {
        [
            Operation(method: "get", path: "/api/v1/skill-groups", id: "listSkillGroups", tag: "skill groups", summary: "List skill groups by id.",
                      parameters: pageParameters, responses: ["200": response("A page of skill groups.", "SkillGroupPage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "post", path: "/api/v1/skill-groups", id: "createSkillGroup", tag: "skill groups",
                      summary: "Create a skill group; settings left out take their defaults.", body: requestBody("NewSkillGroup"),
                      responses: ["201": response("Created.", "SkillGroup")].merging(errors(400, 401, 409, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/skill-groups/{id}", id: "getSkillGroup", tag: "skill groups", summary: "One skill group.",
                      parameters: [groupId], responses: ["200": response("The skill group.", "SkillGroup")].merging(errors(400, 401, 404)) { $1 }),
            Operation(method: "put", path: "/api/v1/skill-groups/{id}", id: "replaceSkillGroup", tag: "skill groups",
                      summary: "Replace a skill group's settings; settings left out take their defaults.",
                      parameters: [groupId], body: requestBody("SkillGroupSettings"),
                      responses: ["200": response("The changed group.", "SkillGroup")].merging(errors(400, 401, 404, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/skill-groups/{id}", id: "deleteSkillGroup", tag: "skill groups",
                      summary: "Delete a skill group with no live sessions, no members, and that is nobody's overflow (else 409 `inUse`).",
                      parameters: [groupId], responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 409, 503)) { $1 }),
        ]
    }

    static var phoneNumberRoutes: [Operation] {
        let number = pathParameter("number", "The telephone number as the trunk sends it, e.g. `+4930123456` (`%2B4930123456`).")
        return [
            Operation(method: "get", path: "/api/v1/phone-numbers", id: "listPhoneNumbers", tag: "phone numbers",
                      summary: "List the tenant's telephone numbers and the skill group each reaches.",
                      parameters: pageParameters, responses: ["200": response("A page of numbers.", "PhoneNumberPage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "get", path: "/api/v1/phone-numbers/{number}", id: "getPhoneNumber", tag: "phone numbers", summary: "One number.",
                      parameters: [number], responses: ["200": response("The number.", "PhoneNumber")].merging(errors(400, 401, 404)) { $1 }),
            Operation(method: "put", path: "/api/v1/phone-numbers/{number}", id: "bindPhoneNumber", tag: "phone numbers",
                      summary: "Bind a number to a skill group (calls to it queue there) or to an IVR flow (calls hear its menu first), or rebind it.",
                      parameters: [number], body: requestBody("PhoneNumberInput"),
                      responses: ["200": response("The number, rebound.", "PhoneNumber"), "201": response("The number, bound for the first time.", "PhoneNumber")].merging(errors(400, 401, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/phone-numbers/{number}", id: "unbindPhoneNumber", tag: "phone numbers",
                      summary: "Unbind a number: calls to it are refused (404) from then on.",
                      parameters: [number], responses: ["204": response("Unbound.")].merging(errors(400, 401, 404, 503)) { $1 }),
        ]
    }

    static var agentRoutes: [Operation] {
        let membershipGroup = pathParameter("skillGroupId", "The skill group's id.")
        return [
            Operation(method: "get", path: "/api/v1/agents", id: "listAgents", tag: "agents", summary: "List agents by id.",
                      parameters: pageParameters + [
                          queryParameter("status", ["type": "string", "enum": statusValues], "Only agents in this status."),
                          queryParameter("skillGroupId", ["type": "string"], "Only members of this skill group."),
                      ], responses: ["200": response("A page of agents.", "AgentPage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "post", path: "/api/v1/agents", id: "createAgent", tag: "agents", summary: "Create an agent, optionally with a password.",
                      body: requestBody("NewAgent"), responses: ["201": response("Created.", "Agent")].merging(errors(400, 401, 409, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agents/{id}", id: "getAgent", tag: "agents", summary: "One agent with its live state.",
                      parameters: [agentId], responses: ["200": response("The agent.", "Agent")].merging(errors(400, 401, 404)) { $1 }),
            Operation(method: "put", path: "/api/v1/agents/{id}", id: "replaceAgent", tag: "agents",
                      summary: "Replace an agent's profile (name, imCapacity, memberships).", parameters: [agentId], body: requestBody("AgentProfile"),
                      responses: ["200": response("The changed agent.", "Agent")].merging(errors(400, 401, 404, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/agents/{id}", id: "deleteAgent", tag: "agents",
                      summary: "Delete an offline agent (else 409 `inUse`); its password stops working.",
                      parameters: [agentId], responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 409, 503)) { $1 }),
            Operation(method: "put", path: "/api/v1/agents/{id}/memberships/{skillGroupId}", id: "setAgentMembership", tag: "agents",
                      summary: "Add the agent to a skill group or change its skill level there.",
                      parameters: [agentId, membershipGroup], body: requestBody("MembershipLevel", required: false),
                      responses: ["200": response("The changed agent.", "Agent")].merging(errors(400, 401, 404, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/agents/{id}/memberships/{skillGroupId}", id: "deleteAgentMembership", tag: "agents",
                      summary: "Take the agent out of a skill group (404 `notMember` if it is not in it).", parameters: [agentId, membershipGroup],
                      responses: ["204": response("Removed.")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "put", path: "/api/v1/agents/{id}/password", id: "setAgentPassword", tag: "agents",
                      summary: "Set the agent's SDK login password (stored as a bcrypt hash).", parameters: [agentId], body: requestBody("PasswordInput"),
                      responses: ["204": response("Set.")].merging(errors(400, 401, 404, 413, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/agents/{id}/disconnect", id: "disconnectAgent", tag: "agents",
                      summary: "Close the agent's SDK connections (a forced logout); its sessions follow the reconnect grace rules, and an SDK may reconnect and resume.",
                      parameters: [agentId],
                      responses: ["200": response("How many connections were closed.", "Disconnected")].merging(errors(400, 401, 404)) { $1 }),
            Operation(method: "post", path: "/api/v1/agents/{id}/tokens/revoke", id: "revokeAgentTokens", tag: "agents",
                      summary: "Refuse every login token issued to the agent until now, and close its SDK connections.",
                      parameters: [agentId],
                      responses: ["200": response("The revocation.", "Revocation")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agents/{id}/login-lock", id: "getAgentLoginLock", tag: "agents",
                      summary: "Whether too many failed password logins locked the agent, and its recent failures (see docs/security.md).",
                      parameters: [agentId],
                      responses: ["200": response("The lock state.", "LoginLock")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/agents/{id}/login-lock", id: "unlockAgentLogins", tag: "agents",
                      summary: "Lift the agent's login lock and forget its failed logins; 204 whether or not it was locked.",
                      parameters: [agentId],
                      responses: ["204": response("Unlocked.")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/agents/{id}/tokens", id: "issueAgentToken", tag: "agents",
                      summary: "Issue an SDK login token (TCCC's CreateSDKLoginToken).", parameters: [agentId],
                      body: requestBody("TokenRequest", required: false),
                      responses: ["201": response("The token.", "Token")].merging(errors(400, 401, 404, 413)) { $1 }),
            Operation(method: "put", path: "/api/v1/agents/{id}/status", id: "setAgentStatus", tag: "agents",
                      summary: "Set the agent's status as a supervisor; same rules as Agent.setStatus, cause `admin`.",
                      parameters: [agentId], body: requestBody("StatusInput"),
                      responses: ["200": response("The agent after the change.", "Agent")].merging(errors(400, 401, 404, 409, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/agents/{id}/status-history", id: "listAgentStatusHistory", tag: "agents",
                      summary: "The agent's status changes, newest first (the newest 500 are reachable).",
                      parameters: [agentId] + pageParameters,
                      responses: ["200": response("A page of status changes.", "StatusRecordPage")].merging(errors(400, 401, 404, 503)) { $1 }),
        ]
    }

    static var sessionRoutes: [Operation] {
        [
            Operation(method: "get", path: "/api/v1/sessions", id: "listSessions", tag: "sessions", summary: "Session records, newest first, with live state.",
                      parameters: pageParameters + [
                          queryParameter("live", ["type": "boolean"], "Only sessions not yet ended."),
                          queryParameter("agentId", ["type": "string"], "Only sessions this agent was offered, held or transferred."),
                          queryParameter("skillGroupId", ["type": "string"], "Only sessions (now or last) in this skill group."),
                          queryParameter("from", ["type": "string"], "Sessions created at or after: milliseconds since 1970, or ISO 8601 (`2026-11-30`, `2026-11-30T08:00:00Z`)."),
                          queryParameter("to", ["type": "string"], "Sessions created before this time (same forms)."),
                          queryParameter("type", ["type": "string"], "Session types, comma-separated (e.g. `phone,voip`)."),
                          queryParameter("q", ["type": "string", "maxLength": 100], "Text in the customer's name, phone numbers, remark or user id, or in the messages (ignoring letter case (on SQLite, of ASCII letters only))."),
                      ], responses: ["200": response("A page of sessions.", "SessionPage")].merging(errors(400, 401, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/sessions", id: "createSession", tag: "sessions",
                      summary: "Queue a session for a channel without a socket (phone, voip, video, internal) or a load test.",
                      body: requestBody("NewSession"),
                      responses: ["201": response("Queued.", "CreatedSession"),
                                  "409": response("Turned away at once by the group's state, recorded with the code as its end status: `noSeatOnline` (nobody online, with endWhenNoSeatOnline) or `notWorkTime` (outside its workingHours).", "Error"),
                                  "503": response("`queueFull`: turned away at once by the group's full queue (recorded with end status `queueFull`); or the store failed.", "Error")]
                          .merging(errors(400, 401, 413)) { $1 }),
            Operation(method: "get", path: "/api/v1/sessions/{id}", id: "getSession", tag: "sessions",
                      summary: "One session: record, live state, queue position and history (with each offer's reason).",
                      parameters: [sessionId], responses: ["200": response("The session.", "SessionDetail")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/sessions/{id}/media", id: "getSessionMedia", tag: "sessions",
                      summary: "A live phone call's media counters per leg (carrier, agent), as rtpengine counts what it receives.",
                      parameters: [sessionId], responses: ["200": response("The counters.", "PhoneMedia")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/sessions/{id}/messages", id: "listSessionMessages", tag: "sessions",
                      summary: "A page of an im transcript, as Chat.getMessages returns it.",
                      parameters: [sessionId,
                                   queryParameter("order", ["type": "string", "enum": ["oldest", "newest"], "default": "oldest"], "Which end to start from."),
                                   queryParameter("limit", integer(minimum: 1, maximum: 200, default: 50), "At most this many messages."),
                                   queryParameter("before", ["type": "string"], "Only messages before this message id (e.g. `m-17`)."),
                                   queryParameter("after", ["type": "string"], "Only messages after this message id; not with `before`.")],
                      responses: ["200": response("A page of messages.", "MessagePage")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/sessions/{id}/end", id: "endSession", tag: "sessions",
                      summary: "End a live session (closeBy `admin`); the agent gets sessionEnded with the reasons.",
                      parameters: [sessionId], body: requestBody("EndSessionInput", required: false),
                      responses: ["200": response("The ended session.", "Session")].merging(errors(400, 401, 404, 409, 413, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/sessions/{id}/assign", id: "assignSession", tag: "sessions",
                      summary: "Ring a session waiting in its queue at the agent chosen, now, out of the queue's order.",
                      description: "The agent need not be in the session's skill group, but must be able to take it now: online, connected, free or busy with room, no status change pending. It rings with the group's offer timeout; unanswered, it goes back to its queue and keeps its wait. Its history's `offered` line says `assigned: true`.",
                      parameters: [sessionId], body: requestBody("AssignSessionInput"),
                      responses: ["200": response("The session, ringing at the agent.", "Session"),
                                  "409": response("`notWaiting` (ringing or held already), `sessionEnded`, or `transferTargetUnavailable` (the agent cannot take it now; the message says why).", "Error")]
                          .merging(errors(400, 401, 404, 413, 503)) { $1 }),
        ]
    }

    static var liveRoutes: [Operation] {
        let group = queryParameter("skillGroupId", ["type": "string"], "Only this skill group.")
        return [
            Operation(method: "get", path: "/api/v1/queues", id: "listQueues", tag: "live",
                      summary: "Each skill group's waiting sessions in order, with positions and waits.", parameters: pageParameters + [group],
                      responses: ["200": response("A page of queues, by skill group id.", "QueuePage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "get", path: "/api/v1/status-board", id: "getStatusBoard", tag: "live",
                      summary: "Agents grouped by status, with counts.", parameters: [group],
                      responses: ["200": response("The board.", "StatusBoard")].merging(errors(400, 401)) { $1 }),
            Operation(method: "get", path: "/api/v1/configuration", id: "getConfiguration", tag: "live", summary: "The tenant-wide routing settings.",
                      responses: ["200": response("The settings.", "Configuration")].merging(errors(400, 401)) { $1 }),
            Operation(method: "put", path: "/api/v1/configuration", id: "replaceConfiguration", tag: "live",
                      summary: "Replace the tenant-wide settings; settings left out take their defaults.", body: requestBody("ConfigurationInput"),
                      responses: ["200": response("The new settings.", "Configuration")].merging(errors(400, 401, 413, 503)) { $1 }),
        ]
    }

    static var chatRoutes: [Operation] {
        let secret: JSONValue = [["sessionSecret": []]]
        let chatId = pathParameter("id", "The session id from starting the chat.")
        let notFound = response("`sessionNotFound`: no session matches that id and secret (the same answer for both).", "Error")
        return [
            Operation(method: "post", path: "/api/v1/chat/sessions", id: "startChat", tag: "chat",
                      summary: "Start an im session (the socket's `start`).", security: noAuth, body: requestBody("ChatStart"),
                      responses: ["201": response("Started; keep the secret.", "ChatStarted"),
                                  "409": response("The customer was turned away at once by the group's state, recorded with the code as its end status: `noSeatOnline` (no agent of the group is online) or `notWorkTime` (outside the group's working hours).", "Error"),
                                  "503": response("`queueFull`: the group's queue is full, the customer was turned away (the record's end status is `queueFull`); `serverBusy`: the server is overloaded and started nothing; or the store failed. `Retry-After` says when to try again.", "Error")]
                          .merging(errors(400, 413, 429)) { $1 }),
            Operation(method: "get", path: "/api/v1/chat/sessions/{id}", id: "pollChat", tag: "chat",
                      summary: "The chat's state and the messages after `after`.", security: secret,
                      parameters: [chatId,
                                   queryParameter("after", ["type": "string"], "The last message id the widget shows; messages after it are returned."),
                                   queryParameter("limit", integer(minimum: 1, maximum: 200, default: 50), "At most this many messages.")],
                      responses: ["200": response("The state and new messages.", "ChatSession"), "404": notFound].merging(errors(400, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/chat/sessions/{id}/messages", id: "sendChatMessage", tag: "chat",
                      summary: "Send a message (the socket's `message`); a retried clientMessageId answers 200 with the first messageId.",
                      security: secret, parameters: [chatId], body: requestBody("ChatMessageInput"),
                      responses: ["201": response("Stored.", "ChatSent"), "200": response("Already stored under this clientMessageId.", "ChatSent"),
                                  "404": notFound,
                                  "409": response("`sessionEnded`: the chat is over.", "Error")].merging(errors(400, 413, 429, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/chat/sessions/{id}/leave", id: "leaveChat", tag: "chat",
                      summary: "End the chat (closeBy `client`); leaving an ended chat answers its state.", security: secret, parameters: [chatId],
                      responses: ["200": response("The chat's state, ended.", "ChatState"), "404": notFound].merging(errors(400, 503)) { $1 }),
        ]
    }
}
