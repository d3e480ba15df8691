import SwitchboardProtocol

/// Listening in on calls (`/api/v1/sessions/{id}/monitors`, `/api/v1/monitors/...`).
extension OpenAPIDocument {
    static var monitorRoutes: [Operation] {
        let monitorId = pathParameter("monitorId", "The monitor's id, from its creation.")
        let unknown = response("`unknownMonitor`: no such monitor, or it ended.", "Error")
        return [
            Operation(method: "post", path: "/api/v1/sessions/{id}/monitors", id: "createMonitor", tag: "live",
                      summary: "Listen in on an answered call: register a monitor, then open its event stream.",
                      description: "No media passes through the server: the agent's page that has the call's media sends the supervisor's page both sides over a second WebRTC connection, whose signalling goes through `/api/v1/monitors/{monitorId}` (see docs/calls.md). `listen`: nobody hears the supervisor; `whisper`: the agent does; `barge`: the agent and the customer do.",
                      parameters: [pathParameter("id", "The call's session id, e.g. `s-42`.")], body: requestBody("MonitorInput", required: false),
                      responses: ["201": response("The monitor; nothing happens until its event stream opens.", "Monitor"),
                                  "404": response("`unknownSession`: no such live session.", "Error"),
                                  "409": response("`notAnsweredCall`: not a call, or not answered yet.", "Error")]
                          .merging(errors(400, 401, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/monitors/{monitorId}/events", id: "monitorEvents", tag: "live",
                      summary: "The monitor's life, as server-sent events: `signal` (the agent page's offer and ICE candidates, as JSON) and `ended` (`{why}`).",
                      description: "Opening it tells the agent's page, which offers; closing it ends the monitor, as do the call ending or moving to another agent. One stream per monitor.",
                      parameters: [monitorId],
                      responses: ["200": ["description": "The stream.", "content": ["text/event-stream": ["schema": ["type": "string"]]]],
                                  "404": unknown].merging(errors(400, 401)) { $1 }),
            Operation(method: "post", path: "/api/v1/monitors/{monitorId}/signals", id: "sendMonitorSignal", tag: "live",
                      summary: "The supervisor page's WebRTC answer or ICE candidate, for the agent's page.",
                      parameters: [monitorId], body: requestBody("MonitorSignalInput"),
                      responses: ["204": ["description": "Relayed."], "404": response("`unknownMonitor`: no such monitor, or its stream is not open.", "Error")]
                          .merging(errors(400, 401, 413)) { $1 }),
            Operation(method: "put", path: "/api/v1/monitors/{monitorId}", id: "setMonitorMode", tag: "live",
                      summary: "Switch between listen, whisper and barge.",
                      parameters: [monitorId], body: requestBody("MonitorModeInput"),
                      responses: ["200": response("The monitor.", "Monitor"), "404": unknown].merging(errors(400, 401, 413)) { $1 }),
            Operation(method: "delete", path: "/api/v1/monitors/{monitorId}", id: "deleteMonitor", tag: "live",
                      summary: "Stop listening in.",
                      parameters: [monitorId],
                      responses: ["204": ["description": "Stopped; the stream gets `ended`."], "404": unknown].merging(errors(400, 401)) { $1 }),
        ]
    }

    static var monitorSchemas: [String: JSONValue] {
        [
            "MonitorInput": input("What the supervisor does (default listen).", [
                ("mode", ["type": "string", "enum": ["listen", "whisper", "barge"]]),
            ]),
            "MonitorModeInput": input("What the supervisor does from now on.", [
                ("mode", ["type": "string", "enum": ["listen", "whisper", "barge"]]),
            ], required: ["mode"]),
            "MonitorSignalInput": object("A WebRTC signal: `{kind: answer, sdp}` or `{kind: candidate, candidate: {candidate, sdpMid, sdpMLineIndex}}` (offers come from the agent's page).", [
                ("kind", ["type": "string", "enum": ["offer", "answer", "candidate"]]),
            ], required: ["kind"], closed: false),
            "Monitor": representation("A supervisor listening in on a call.", [
                ("monitorId", string()), ("sessionId", string()), ("agentId", string()),
                ("mode", ["type": "string", "enum": ["listen", "whisper", "barge"]]),
            ]),
        ]
    }
}
