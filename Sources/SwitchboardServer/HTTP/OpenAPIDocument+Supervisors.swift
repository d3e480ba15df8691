import SwitchboardProtocol

/// Supervisor accounts (`/api/v1/supervisors`) and the sign-in (`/api/v1/auth/session`): their
/// operations and schemas.
extension OpenAPIDocument {
    static var supervisorRoutes: [Operation] {
        let id = pathParameter("id", "The supervisor's id (the userId it signs in with).")
        return [
            Operation(method: "get", path: "/api/v1/supervisors", id: "listSupervisors", tag: "supervisors",
                      summary: "List supervisor accounts by id (role admin).", parameters: pageParameters,
                      responses: ["200": response("A page of accounts.", "SupervisorPage")].merging(errors(400, 401, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/supervisors/{id}", id: "getSupervisor", tag: "supervisors",
                      summary: "One supervisor account (role admin).", parameters: [id],
                      responses: ["200": response("The account.", "Supervisor")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "put", path: "/api/v1/supervisors/{id}", id: "saveSupervisor", tag: "supervisors",
                      summary: "Create a supervisor account, or replace its name and role (role admin).",
                      description: "A `password`, when given, is set too, and ends the account's sessions. A changed role applies at once to the account's open sessions.",
                      parameters: [id], body: requestBody("SupervisorInput"),
                      responses: ["201": response("Created.", "Supervisor"), "200": response("Replaced.", "Supervisor")]
                        .merging(errors(400, 401, 413, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/supervisors/{id}", id: "deleteSupervisor", tag: "supervisors",
                      summary: "Delete a supervisor account; its sessions end at once (role admin).", parameters: [id],
                      responses: ["204": response("Deleted.")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "put", path: "/api/v1/supervisors/{id}/password", id: "setSupervisorPassword", tag: "supervisors",
                      summary: "Set the account's password (bcrypt); every session of the account ends (role admin).",
                      parameters: [id], body: requestBody("PasswordInput"),
                      responses: ["204": response("Set.")].merging(errors(400, 401, 404, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/supervisors/{id}/login-lock", id: "getSupervisorLoginLock", tag: "supervisors",
                      summary: "Whether too many failed sign-ins locked the account, and its recent failures (role admin).", parameters: [id],
                      responses: ["200": response("The lock state.", "LoginLock")].merging(errors(400, 401, 404, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/supervisors/{id}/login-lock", id: "unlockSupervisorLogins", tag: "supervisors",
                      summary: "Lift the account's sign-in lock and forget its failures (role admin).", parameters: [id],
                      responses: ["204": response("Unlocked.")].merging(errors(400, 401, 404, 503)) { $1 }),
        ]
    }

    static var signInRoutes: [Operation] {
        let noAuth: JSONValue = []
        let cookie: JSONValue = [["supervisorSession": []]]
        let retryAfter: JSONValue = ["Retry-After": [
            "description": "Seconds to wait before the next sign-in with this id (or from this address).", "schema": ["type": "integer"],
        ]]
        let setCookie: JSONValue = ["Set-Cookie": [
            "description": "`switchboard_supervisor=<secret>; Max-Age=<lifetime>; Path=/; HttpOnly; SameSite=Strict` (and `Secure` over TLS).",
            "schema": ["type": "string"],
        ]]
        return [
            Operation(method: "post", path: "/api/v1/auth/session", id: "signIn", tag: "supervisors",
                      summary: "Sign a supervisor in with a password; sets the session cookie.",
                      description: "Passwords are checked as agents' are: unknown ids answer like wrong passwords after the same work, failures earn growing waits per id and per address, and 20 failures lock the id until an admin unlocks it (docs/security.md).",
                      security: noAuth, body: requestBody("SignInInput"),
                      responses: [
                        "200": ["description": "Signed in.", "headers": setCookie, "content": jsonContent(ref("SignedIn"))],
                        "401": ["description": "`wrongCredentials`: wrong user id or password (the same answer for ids that do not exist).",
                                "headers": retryAfter, "content": jsonContent(ref("Error"))],
                        "403": response("`signInLocked`: too many failures locked this id's sign-ins until an admin unlocks them.", "Error"),
                        "429": ["description": "`tooManyAttempts`: too many failures for the id or from the address, or too many sign-ins being checked; retry after `Retry-After` seconds.",
                                "headers": retryAfter, "content": jsonContent(ref("Error"))],
                      ].merging(errors(400, 413, 503)) { $1 }),
            Operation(method: "get", path: "/api/v1/auth/session", id: "getSignedIn", tag: "supervisors",
                      summary: "Who is signed in with this cookie, with the CSRF token (for a reloaded page).", security: cookie,
                      responses: [
                        "200": response("Signed in.", "SignedIn"),
                        "401": response("`notSignedIn`: no cookie, or its session ended.", "Error"),
                      ].merging(errors(400, 503)) { $1 }),
            Operation(method: "delete", path: "/api/v1/auth/session", id: "signOut", tag: "supervisors",
                      summary: "Sign out: the session ends and the cookie is cleared. Needs the CSRF token while the session is live.",
                      security: noAuth,
                      responses: [
                        "204": response("Signed out (also when nobody was signed in)."),
                        "403": response("`csrfTokenInvalid`: the session is live and the request lacks its CSRF token; still signed in.", "Error"),
                      ].merging(errors(400, 503)) { $1 }),
        ]
    }

    static var supervisorSchemas: [String: JSONValue] {
        let role = string("`admin`: everything; `supervisor`: live views, records, ending sessions, agent statuses and logouts, no configuration or credentials.",
                          oneOf: ["admin", "supervisor"])
        return [
            "Supervisor": representation("A supervisor account (never its password).", [
                ("id", string()), ("name", string()), ("role", role),
                ("hasPassword", ["type": "boolean", "description": "False: it cannot sign in until a password is set."]),
                ("createdAt", milliseconds),
            ]),
            "SupervisorPage": page(of: "Supervisor"),
            "SupervisorInput": input("A supervisor account; `id`, if given, must match the path.", [
                ("id", string()), ("name", string("Default: the id.", maxLength: 256)), ("role", role),
                ("password", string("8–128 characters; when given, it is set and the account's sessions end.", maxLength: 128)),
            ], required: ["role"]),
            "SignInInput": input("A supervisor's sign-in.", [
                ("userId", string("The supervisor's id.", maxLength: 128)), ("password", string(maxLength: 128)),
            ], required: ["userId", "password"]),
            "SignedIn": representation("The signed-in supervisor.", [
                ("userId", string()), ("name", string()), ("role", role),
                ("csrfToken", string("Send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE made with the cookie. Keep it in memory only.")),
                ("expiresAt", ["type": "integer", "description": "Milliseconds since 1970: when the session ends unless used again, or at the latest."]),
            ]),
        ]
    }
}
