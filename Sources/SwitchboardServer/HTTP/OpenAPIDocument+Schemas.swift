import SwitchboardCore
import SwitchboardProtocol

/// The schemas of bodies and representations. Response schemas list every property as
/// required, because every representation writes every property (null when not set); input
/// schemas forbid other properties, because the API refuses fields it does not know.
extension OpenAPIDocument {
    typealias Properties = [(String, JSONValue)]

    static let statusValues: JSONValue = ["free", "busy", "arrange", "notReady", "rest", "offline"]
    static let sessionTypes: JSONValue = ["phone", "im", "voip", "video", "internal"]
    static let closeByValues: JSONValue = ["client", "seat", "admin", "timer"]

    static func integer(minimum: Int? = nil, maximum: Int? = nil, default value: Int? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": "integer"]
        if let minimum { members["minimum"] = .integer(Int64(minimum)) }
        if let maximum { members["maximum"] = .integer(Int64(maximum)) }
        if let value { members["default"] = .integer(Int64(value)) }
        return .object(members)
    }

    static func string(_ description: String? = nil, oneOf values: JSONValue? = nil, maxLength: Int? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": "string"]
        if let description { members["description"] = .string(description) }
        if let values { members["enum"] = values }
        if let maxLength { members["maxLength"] = .integer(Int64(maxLength)) }
        return .object(members)
    }

    /// A string, integer or enum that may be null.
    static func nullable(_ type: String, _ description: String? = nil, oneOf values: JSONValue? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": [.string(type), "null"]]
        if let description { members["description"] = .string(description) }
        if case .array(let cases)? = values { members["enum"] = .array(cases + [.null]) }
        return .object(members)
    }

    static let boolean: JSONValue = ["type": "boolean"]
    static let milliseconds: JSONValue = ["type": "integer", "description": "Milliseconds since 1970 (UTC)."]
    static let nullableMilliseconds: JSONValue = ["type": ["integer", "null"], "description": "Milliseconds since 1970 (UTC), or null."]

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    /// A response object: every property required.
    static func representation(_ description: String, _ properties: Properties) -> JSONValue {
        object(description, properties, required: properties.map(\.0), closed: false)
    }

    /// A request body: only the listed properties allowed.
    static func input(_ description: String, _ properties: Properties, required: [String] = []) -> JSONValue {
        object(description, properties, required: required, closed: true)
    }

    static func object(_ description: String, _ properties: Properties, required: [String], closed: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "type": "object", "description": .string(description),
            "properties": .object(Dictionary(properties, uniquingKeysWith: { $1 })),
        ]
        if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
        if closed { members["additionalProperties"] = false }
        return .object(members)
    }

    /// `{items, total, limit, offset, hasMore}` of one item schema.
    static func page(of item: String) -> JSONValue {
        representation("A page of a list.", [
            ("items", array(ref(item))),
            ("total", nullable("integer", "How many items the whole list has; null when the list comes from the store and this page does not reach its end.")),
            ("limit", integer(minimum: 1, maximum: 500)), ("offset", integer(minimum: 0)),
            ("hasMore", ["type": "boolean", "description": "Whether items follow this page."]),
        ])
    }

    static var schemas: [String: JSONValue] {
        var all: [String: JSONValue] = [
            "Error": representation("An error: `code` for programs, `message` for people.", [
                ("error", object("The error; `retryAfter` (seconds) when waiting helps.", [
                    ("code", string("e.g. invalidValue, unknownAgent, inUse")), ("message", string()),
                    ("retryAfter", integer(minimum: 1)),
                ], required: ["code", "message"], closed: false)),
            ]),
            "HealthStatus": representation("A health answer.", [("status", string(oneOf: ["ok", "ready", "starting"]))]),
            "SkillGroupPage": page(of: "SkillGroup"), "AgentPage": page(of: "Agent"), "StatusRecordPage": page(of: "StatusRecord"),
            "SessionPage": page(of: "Session"), "QueuePage": page(of: "Queue"), "PhoneNumberPage": page(of: "PhoneNumber"),
            "PhoneNumber": representation("A telephone number and where its calls go.", [
                ("number", string()), ("skillGroupId", nullable("string", "The group its calls queue in; null when a flow answers them.")),
                ("ivrFlowId", nullable("string", "The IVR flow its calls go through; null when they queue at once.")),
                ("priority", ["type": "integer"]), ("answerWhenAccepted", boolean),
                ("record", nullable("boolean", "Whether its calls are recorded, whatever their group says; null: the group's recordCalls decides.")),
            ]),
            "PhoneMedia": representation("A live phone call's media counters.", [
                ("sessionId", string()),
                ("legs", array(representation("What rtpengine received from one side.", [
                    ("leg", string(oneOf: ["carrier", "agent"])), ("codec", nullable("string")), ("transport", nullable("string")),
                    ("packetsReceived", integer(minimum: 0)), ("bytesReceived", integer(minimum: 0)),
                ]))),
            ]),
            "PhoneNumberInput": input("Where a number's calls go: exactly one of `skillGroupId` and `ivrFlowId`; `number`, if given, must match the path.", [
                ("number", string()), ("skillGroupId", string("Calls queue in this group.")),
                ("ivrFlowId", string("Calls go through this IVR flow first (cannot be combined with answerWhenAccepted).")),
                ("priority", ["type": "integer", "minimum": -100, "maximum": 100, "default": 0, "description": "The queue priority its calls get."]),
                ("answerWhenAccepted", ["type": "boolean", "default": false, "description": "Ring (180) until an agent accepts instead of answering at once with queue audio."]),
                ("record", ["type": ["boolean", "null"], "description": "Record its calls (and outbound calls presenting it) from the agent's answer, paused on hold (true), or never (false), whatever the skill group's recordCalls says; left out or null: the group decides."]),
            ]),
        ]
        all.merge(groupAndAgentSchemas) { $1 }
        all.merge(sessionSchemas) { $1 }
        all.merge(liveSchemas) { $1 }
        all.merge(monitorSchemas) { $1 }
        all.merge(chatSchemas) { $1 }
        all.merge(supervisorSchemas) { $1 }
        all.merge(ivrFlowSchemas) { $1 }
        all.merge(recordingSchemas) { $1 }
        all.merge(reportSchemas) { $1 }
        all.merge(cloudAPISchemas) { $1 }
        all.merge(webhookSchemas) { $1 }
        all.merge(cannedReplySchemas) { $1 }
        all.merge(attachmentSchemas) { $1 }
        return all
    }

    static var skillGroupSettings: Properties {
        [
            ("name", string("A name for people; default: the id.", maxLength: 256)),
            ("strategy", string("Default longestIdle.", oneOf: ["longestIdle", "roundRobin", "leastActive", "skillLevel"])),
            ("offerTimeoutSeconds", integer(minimum: 0, maximum: 604_800, default: 20)),
            ("queueTimeoutSeconds", integer(minimum: 0, maximum: 604_800, default: 0)),
            ("overflowGroupId", nullable("string", "Where a session goes when its queue timeout runs out; null ends it.")),
            ("wrapUpSeconds", integer(minimum: 0, maximum: 604_800, default: 0)),
            ("missedOfferStatus", string("Default notReady.", oneOf: ["notReady", "rest", "free"])),
            ("imInactivityTimeoutSeconds", integer(minimum: 0, maximum: 604_800, default: 0)),
            ("maxQueueLength", integer(minimum: 0, maximum: SkillGroup.maximumQueueLengthLimit, default: 0)),
            ("ringAll", flag(false, "TCCC's RingAll: a waiting session rings at every eligible agent at once; the first to accept takes it.")),
            ("usingLastSeat", flag(false, "TCCC's UsingLastSeat: a returning customer rings first at the agent who last served them, when that agent is eligible.")),
            ("maxConcurrency", described(integer(minimum: 0, maximum: SkillGroup.maximumConcurrencyLimit, default: 0),
                                         "TCCC's MaxConcurrency: the im sessions an agent may have from this group at once; 0: only the agent's own capacity.")),
            ("timeoutTransfer", flag(true, "When an offer rings out, move the session on to the next agent (true) or keep it ringing at the same agent (false).")),
            ("maxSessionSeconds", described(integer(minimum: 0, maximum: 604_800, default: 0),
                                            "Accepted sessions end (closeBy timer) this long after their first accept; 0: no limit.")),
            ("endWhenNoSeatOnline", flag(false, "End a new session at once (end status noSeatOnline) when no member is online, instead of queueing it.")),
            ("workingHours", workingHoursSchema),
            ("dispositionCodes", described(array(string(maxLength: SkillGroup.maximumDispositionCodeLength)),
                                           "What agents pick from when they wrap up a session of this group (at most \(SkillGroup.maximumDispositionCodes), each 1–\(SkillGroup.maximumDispositionCodeLength) characters, no leading or trailing space, no two alike ignoring case); empty: a note alone.")),
            ("recordCalls", flag(false, "Record this group's phone calls, from the agent's answer to the end, paused on hold. A phone number's own `record` (true or false) wins over it.")),
        ]
    }

    static func flag(_ value: Bool, _ description: String) -> JSONValue {
        ["type": "boolean", "default": .bool(value), "description": .string(description)]
    }

    static func described(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        members["description"] = .string(description)
        return .object(members)
    }

    /// `{timeZone, weekly}` or null; outside the hours new sessions end at once (`notWorkTime`).
    static var workingHoursSchema: JSONValue {
        let range: JSONValue = [
            "type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$",
            "description": "From-to in local time, e.g. 09:00-17:30; 24:00 is the end of the day.",
        ]
        let days = WorkingHours.Weekday.allCases.map { ($0.rawValue, array(range)) }
        return [
            "type": ["object", "null"],
            "description": "When the group works; a new session outside these hours ends at once (end status notWorkTime). Null: always.",
            "properties": [
                "timeZone": string("An IANA time zone name, e.g. Europe/Berlin."),
                "weekly": object("Each day's ranges; a day left out is closed.", days, required: [], closed: true),
            ],
            "required": ["timeZone", "weekly"],
            "additionalProperties": false,
        ]
    }

    static var groupAndAgentSchemas: [String: JSONValue] {
        let id = string("1–128 letters, digits, '.', '_', '-' or '@'.")
        let membershipInput = input("A membership.", [("skillGroupId", string()), ("skillLevel", integer(minimum: 1, maximum: 5, default: 3))],
                                    required: ["skillGroupId"])
        let profile: Properties = [
            ("name", string("Default: the id.", maxLength: 256)),
            ("imCapacity", integer(minimum: 1, maximum: 100)), ("memberships", array(membershipInput)),
        ]
        return [
            "SkillGroup": representation("A skill group with live figures.", [("id", string())] + skillGroupSettings + [
                ("withinWorkingHours", ["type": "boolean", "description": "Whether its working hours let new sessions in now (true without working hours)."]),
                ("waiting", integer(minimum: 0)), ("members", integer(minimum: 0)), ("membersOnline", integer(minimum: 0)),
            ]),
            "NewSkillGroup": input("A new skill group.", [("id", id)] + skillGroupSettings, required: ["id"]),
            "SkillGroupSettings": input("A skill group's settings; `id`, if given, must match the path.", [("id", string())] + skillGroupSettings),
            "Membership": representation("A skill group the agent serves.", [("skillGroupId", string()), ("skillLevel", integer(minimum: 1, maximum: 5))]),
            "Agent": representation("An agent with its live state.", [
                ("id", string()), ("name", string()),
                ("imCapacity", nullable("integer", "null: the tenant's defaultImCapacity applies.")),
                ("memberships", array(ref("Membership"))), ("status", string(oneOf: statusValues)),
                ("restReason", nullable("string")),
                ("pendingStatus", nullable("string", "Asked for while busy; applied when the last session ends.", oneOf: ["free", "rest", "arrange", "notReady"])),
                ("pendingRestReason", nullable("string")), ("connected", boolean),
                ("ringing", array(string())), ("held", array(string())),
            ]),
            "NewAgent": input("A new agent.", [("id", id)] + profile + [("password", string("8–128 characters.", maxLength: 128))], required: ["id"]),
            "AgentProfile": input("An agent's profile; `id`, if given, must match the path.", [("id", string())] + profile),
            "MembershipLevel": input("A skill level; the body may be left out (level 3).", [("skillLevel", integer(minimum: 1, maximum: 5, default: 3))]),
            "PasswordInput": input("A password.", [("password", string("8–128 characters.", maxLength: 128))], required: ["password"]),
            "TokenRequest": input("A token's lifetime; the body may be left out.", [
                ("lifetimeSeconds", integer(minimum: 60, maximum: 86_400)),
            ]),
            "Disconnected": representation("The agent's connections closed by the server.", [("userId", string()), ("closedConnections", integer())]),
            "Revocation": representation("Tokens issued before `revokedBefore` (ms) are refused.", [("userId", string()), ("revokedBefore", milliseconds), ("closedConnections", integer())]),
            "LoginLock": representation("An agent's password logins: locked after too many failures, or waiting.", [
                ("userId", string()),
                ("locked", ["type": "boolean", "description": "Password logins are refused until the lock is deleted; token logins still work."]),
                ("lockedAt", nullableMilliseconds),
                ("recentFailures", integer(minimum: 0)),
                ("retryAfterSeconds", nullable("integer", "Seconds before the next password login may be tried; null when it may be tried now (or is locked).")),
            ]),
            "Token": representation("An SDK login token.", [("token", string()), ("userId", string()), ("expiresAt", milliseconds)]),
            "StatusInput": input("A status as Agent.setStatus takes it (case-insensitive; stopNotReady = free).", [
                ("status", string("free, rest, arrange, notReady or stopNotReady")), ("restReason", string()),
            ], required: ["status"]),
            "StatusRecord": representation("One status change.", [
                ("at", milliseconds), ("status", string(oneOf: statusValues)), ("restReason", nullable("string")),
                ("cause", string(oneOf: ["agent", "sessionAccepted", "sessionEnded", "missedOffer", "wrapUpTimer", "admin"])),
            ]),
        ]
    }
}
