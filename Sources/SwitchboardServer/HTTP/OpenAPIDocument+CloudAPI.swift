import SwitchboardProtocol

/// The TCCC server API key pairs (`/api/v1/api-keys`) and the TCCC server API itself (`POST /`):
/// their operations and schemas.
extension OpenAPIDocument {
    static var cloudAPIRoutes: [Operation] {
        let secretId = pathParameter("secretId", "The key's SecretId, e.g. `AKID...`.")
        return [
            Operation(method: "get", path: "/api/v1/api-keys", id: "listAPIKeys", tag: "tccc api",
                      summary: "List the tenant's TCCC API key pairs, oldest first, without their SecretKeys (role admin).",
                      parameters: pageParameters,
                      responses: ["200": response("A page of keys.", "APIKeyPage")].merging(errors(400, 401, 503)) { $1 }),
            Operation(method: "post", path: "/api/v1/api-keys", id: "createAPIKey", tag: "tccc api",
                      summary: "Create a key pair for the TCCC server API (role admin).",
                      description: "The answer is the only time the SecretKey is shown; the server keeps it sealed with a key derived from its signing secret. The key acts for the deployment's SdkAppId (`--sdk-app-id`).",
                      body: requestBody("APIKeyInput", required: false),
                      responses: ["201": response("Created; keep the SecretKey.", "CreatedAPIKey")].merging(errors(400, 401, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/api-keys/{secretId}", id: "revokeAPIKey", tag: "tccc api",
                      summary: "Revoke a key pair: requests signed with it are refused (`AuthFailure.SecretIdNotFound`) from now on (role admin).",
                      parameters: [secretId], responses: ["204": response("Revoked.")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "post", path: "/", id: "callTCCCServerAPI", tag: "tccc api",
                      summary: "TCCC's server API (ccc 2020-02-10) as Tencent Cloud API 3.0 serves it.",
                      description: """
                          For Tencent Cloud's official SDKs (set their endpoint to this server). The action is in `X-TC-Action`, \
                          the version in `X-TC-Version: 2020-02-10`, and the request is signed with TC3-HMAC-SHA256 by a key pair \
                          from `POST /api/v1/api-keys`. Every answer is 200 with `{"Response": {..., "RequestId"}}`; errors carry \
                          `Response.Error.Code` (`AuthFailure.SignatureFailure`, `InvalidParameterValue.*`, `UnsupportedOperation`, ...). \
                          docs/tccc-migration.md lists the actions.
                          """,
                      security: [["tc3Signature": []]],
                      body: ["required": false, "content": jsonContent(["type": "object", "description": "The action's parameters, as TCCC names them."])],
                      responses: ["200": response("The action's result, or its error, in TCCC's envelope.", "TCCCResponse")]),
        ]
    }

    static var cloudAPISchemas: [String: JSONValue] {
        [
            "APIKeyInput": input("What the key is for; the body may be left out.", [("description", string("At most 256 characters.", maxLength: 256))]),
            "APIKey": representation("A TCCC API key pair, without its SecretKey.", [
                ("secretId", string()), ("sdkAppId", integer()), ("description", nullable("string")), ("createdAt", milliseconds),
            ]),
            "CreatedAPIKey": representation("A new TCCC API key pair, with its SecretKey (shown this once).", [
                ("secretId", string()), ("secretKey", string()), ("sdkAppId", integer()), ("description", nullable("string")),
                ("createdAt", milliseconds),
            ]),
            "APIKeyPage": page(of: "APIKey"),
            "TCCCResponse": [
                "type": "object", "required": ["Response"],
                "description": "Tencent Cloud API 3.0's envelope: the action's fields and `RequestId`, or `Error: {Code, Message}` and `RequestId`.",
                "properties": ["Response": ["type": "object", "required": ["RequestId"], "properties": ["RequestId": ["type": "string"]]]],
            ],
        ]
    }
}
