import SwitchboardProtocol

/// The canned reply routes and schemas (`/api/v1/canned-replies`).
extension OpenAPIDocument {
    static var cannedReplyRoutes: [Operation] {
        let id = pathParameter("id", "The reply's id, e.g. `cr-3f9a0c1b2d4e`.")
        return [
            Operation(method: "get", path: "/api/v1/canned-replies", id: "listCannedReplies", tag: "canned replies",
                      summary: "List canned replies by owner, then shortcut; `skillGroupId` and `agentId` narrow the list to those owners.",
                      parameters: pageParameters + [
                          queryParameter("skillGroupId", ["type": "string"], "Only the replies this group shares (with agentId: those too)."),
                          queryParameter("agentId", ["type": "string"], "Only this agent's personal replies (with skillGroupId: those too)."),
                      ], responses: ["200": response("A page of replies.", "CannedReplyPage")].merging(errors(400, 401, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/canned-replies", id: "createCannedReply", tag: "canned replies",
                      summary: "Create a reply shared by a skill group (`skillGroupId`) or one agent's own (`agentId`): exactly one of them.",
                      description: "400 names the field at fault (`unknownSkillGroup` / `unknownAgent` for an owner that does not exist, `invalidValue` for a bad shortcut, title or text); 409 `shortcutExists` when the owner has a reply with that shortcut, `tooManyCannedReplies` past \(CannedReplyBook.maximumPerOwner) replies.",
                      body: requestBody("CannedReplyInput"),
                      responses: ["201": response("Created.", "CannedReply")].merging(errors(400, 401, 409, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/canned-replies/{id}", id: "getCannedReply", tag: "canned replies", summary: "One reply.",
                      parameters: [id], responses: ["200": response("The reply.", "CannedReply")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "put", path: "/api/v1/canned-replies/{id}", id: "replaceCannedReply", tag: "canned replies",
                      summary: "Replace a reply's shortcut, title and text. Whose it is cannot change: `skillGroupId` / `agentId`, if given, must be its owner.",
                      parameters: [id], body: requestBody("CannedReplyInput"),
                      responses: ["200": response("The reply as saved.", "CannedReply")].merging(errors(400, 401, 404, 409, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/canned-replies/{id}", id: "deleteCannedReply", tag: "canned replies", summary: "Delete a reply.",
                      parameters: [id], responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 503)) { $1 }),
        ]
    }

    static var cannedReplySchemas: [String: JSONValue] {
        [
            "CannedReplyPage": page(of: "CannedReply"),
            "CannedReply": representation("A canned reply: text an agent inserts by typing `/` and its shortcut.", [
                ("id", string()), ("scope", string("`skillGroup`: shared by the group's members; `agent`: one agent's own.", oneOf: ["skillGroup", "agent"])),
                ("skillGroupId", nullable("string", "The group that shares it.")), ("agentId", nullable("string", "The agent it belongs to.")),
                ("shortcut", string("Without the `/`, lower case.")), ("title", string()), ("text", string()),
                ("createdAt", milliseconds), ("updatedAt", milliseconds),
            ]),
            "CannedReplyInput": input("A reply: whose it is (exactly one of skillGroupId and agentId on create), its shortcut, title and text.", [
                ("skillGroupId", string("Shared by this group's members.")), ("agentId", string("This agent's own.")),
                ("shortcut", string("1–\(CannedReplyBook.maximumShortcutLength) letters, digits, '-', '_' or '.', with or without the leading '/'; kept in lower case, unique within its owner.")),
                ("title", string("What it is for, one line.", maxLength: CannedReplyBook.maximumTitleLength)),
                ("text", string("What it inserts.", maxLength: CannedReplyBook.maximumTextLength)),
            ], required: ["shortcut", "title", "text"]),
        ]
    }
}
