import SwitchboardCore
import SwitchboardProtocol

/// The IVR flow routes and schemas (`/api/v1/ivr-flows`).
extension OpenAPIDocument {
    static var ivrFlowRoutes: [Operation] {
        let id = pathParameter("id", "The flow's id: 1–64 letters, digits, '-', '_' or '.'.")
        return [
            Operation(method: "get", path: "/api/v1/ivr-flows", id: "listIVRFlows", tag: "ivr flows",
                      summary: "List the tenant's IVR flows (phone menus).",
                      parameters: pageParameters, responses: ["200": response("A page of flows.", "IVRFlowPage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "get", path: "/api/v1/ivr-flows/{id}", id: "getIVRFlow", tag: "ivr flows", summary: "One flow.",
                      parameters: [id], responses: ["200": response("The flow.", "IVRFlow")].merging(errors(400, 401, 404)) { $1 }),
            Operation(method: "put", path: "/api/v1/ivr-flows/{id}", id: "saveIVRFlow", tag: "ivr flows",
                      summary: "Create or replace a flow. It is validated whole: an unknown skill group, a missing or unreachable node, or a loop no caller's choice leaves is refused (400) with the node and field at fault.",
                      parameters: [id], body: requestBody("IVRFlowInput"),
                      responses: ["200": response("The flow as saved, replacing the one with this id.", "IVRFlow"), "201": response("The flow as saved, new.", "IVRFlow")].merging(errors(400, 401, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/ivr-prompts", id: "listIVRPrompts", tag: "ivr flows",
                      summary: "List the uploaded IVR prompts (WAV files a prompt's `audio` names).",
                      parameters: pageParameters, responses: ["200": response("A page of prompts.", "IVRPromptPage")].merging(errors(400, 401)) { $1 }),
            Operation(method: "put", path: "/api/v1/ivr-prompts/{name}", id: "uploadIVRPrompt", tag: "ivr flows",
                      summary: "Upload (or replace) a prompt: the body is a PCM WAV file (`Content-Type: audio/wav`, at most 4 MiB).",
                      parameters: [pathParameter("name", "The prompt's name: 1–64 letters, digits, '-', '_' or '.'.")],
                      body: ["required": true, "content": ["audio/wav": ["schema": ["type": "string", "format": "binary"]]]],
                      responses: ["200": response("The prompt as stored, replacing the one with this name.", "IVRPrompt"), "201": response("The prompt as stored, new.", "IVRPrompt")].merging(errors(400, 401, 413, 415, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/ivr-prompts/{name}", id: "deleteIVRPrompt", tag: "ivr flows",
                      summary: "Delete a prompt no flow plays (else 409 `inUse`).",
                      parameters: [pathParameter("name", "The prompt's name.")],
                      responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 409)) { $1 }),
            Operation(method: "delete", path: "/api/v1/ivr-flows/{id}", id: "deleteIVRFlow", tag: "ivr flows",
                      summary: "Delete a flow no phone number is bound to (else 409 `inUse`). Calls already in it finish it.",
                      parameters: [id], responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 409, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/chat/ivr-prompts/{kind}/{name}", id: "getIVRPromptAudio", tag: "chat",
                      summary: "A flow's prompt as the widget plays it in a web call's menu (the URL an `ivrPrompt` frame names).",
                      security: [],
                      parameters: [pathParameter("kind", "`generated` (spoken from the prompt's text) or `uploaded`."),
                                   pathParameter("name", "The file: `tts-<hash>.wav` or `<prompt name>.wav`.")],
                      responses: ["200": ["description": "The prompt's WAV.", "content": ["audio/wav": ["schema": ["type": "string", "format": "binary"]]]],
                                  "404": response("`promptNotFound`: no such prompt file.", "Error")].merging(errors(400)) { $1 }),
        ]
    }

    static var ivrFlowSchemas: [String: JSONValue] {
        let prompt = object("What the caller hears: `text` spoken by espeak-ng, or the uploaded audio file `audio`.", [
            ("text", string("Words to speak (at most 1000 characters).", maxLength: IVRFlow.maximumPromptLength)),
            ("audio", string("The name of an uploaded audio file, played instead of speaking `text`.")),
        ], required: [], closed: true)
        let choice = object("One choice of a menu.", [
            ("digits", string("The keys that select it: 1–16 of 0-9, *, A-D (`#` ends an entry).")),
            ("label", string("What it means; with `digits`, an `ivrPath` step of the call's callIn.", maxLength: 64)),
            ("next", string("The node it leads to.")),
        ], required: ["digits", "label", "next"], closed: true)
        let node = object("""
            One step, by `type`: `play` (prompt, next); `menu` (prompt, choices, timeoutSeconds 1–60 default 5, \
            interDigitSeconds 1–30 default 3, retries 0–9 default 2, onFailure); `workingHours` (timeZone, weekly, \
            holidays as YYYY-MM-DD local dates, open, closed); `queue` (skillGroupId, priority -100–100 default 0); \
            `hangUp` (prompt?, endStatus ivrEnd or notWorkTime, default ivrEnd). Fields another type takes are refused.
            """, [
            ("id", string("Unique in the flow.")),
            ("type", string(oneOf: ["play", "menu", "workingHours", "queue", "hangUp"])),
            ("prompt", prompt), ("next", string()), ("choices", array(choice)),
            ("timeoutSeconds", integer(minimum: 1, maximum: 60, default: 5)),
            ("interDigitSeconds", integer(minimum: 1, maximum: 30, default: 3)),
            ("retries", integer(minimum: 0, maximum: 9, default: 2)), ("onFailure", string()),
            ("timeZone", string("An IANA time zone name, e.g. Europe/Berlin.")),
            ("weekly", ["type": "object", "description": "Each day's ranges (`09:00-17:30`); a day left out is closed.",
                        "additionalProperties": array(string())]),
            ("holidays", array(string("A local date, e.g. 2025-12-25."))), ("open", string()), ("closed", string()),
            ("skillGroupId", string()), ("priority", integer(minimum: -100, maximum: 100, default: 0)),
            ("endStatus", string(oneOf: ["ivrEnd", "notWorkTime"])),
        ], required: ["id", "type"], closed: true)
        let properties: Properties = [
            ("id", string()), ("name", nullable("string", "A name for people.")),
            ("start", string("The node calls start at.")), ("nodes", array(node)),
        ]
        return [
            "IVRFlowPage": page(of: "IVRFlow"), "IVRPromptPage": page(of: "IVRPrompt"),
            "IVRPrompt": representation("An uploaded prompt.", [
                ("name", string()), ("bytes", integer(minimum: 0)), ("milliseconds", integer(minimum: 0)),
            ]),
            "IVRFlow": object("An IVR flow (phone menu).", properties, required: ["id", "start", "nodes"], closed: false),
            "IVRFlowInput": input("A flow; `id`, if given, must match the path.", properties, required: ["start", "nodes"]),
        ]
    }
}
