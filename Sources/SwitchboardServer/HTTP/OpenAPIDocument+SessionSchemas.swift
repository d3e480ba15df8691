import SwitchboardProtocol

/// Schemas of sessions, live views and the chat fallback.
extension OpenAPIDocument {
    static var sessionProperties: Properties {
        [
            ("id", string()), ("type", string(oneOf: sessionTypes)), ("skillGroupId", string("Now, or last.")),
            ("priority", ["type": "integer"]), ("customer", ref("CustomerDetails")),
            ("state", string(oneOf: ["queued", "ringing", "accepted", "ended"])),
            ("queuePosition", nullable("integer", "1 = next; null unless queued.")),
            ("agentId", nullable("string", "The agent it rings at or is held by while live, else the last agent that held it.")),
            ("createdAt", milliseconds),
            ("queuedAt", nullable("integer", "ms: when it was first queued in a skill group; after createdAt (the arrival) for a call that walked an IVR flow; null if it never queued.")),
            ("firstRingAt", nullableMilliseconds), ("acceptedAt", nullableMilliseconds),
            ("endedAt", nullableMilliseconds), ("closeBy", nullable("string", oneOf: closeByValues)),
            ("mainReason", nullable("string")), ("subReason", nullable("string")),
            ("endStatus", nullable("string", "TCCC-style: ok, waitingGiveUp, ringingGiveUp, queueTimeout, adminEnded; outbound calls: busy, notAnswer, userReject, numberNotExist, operatorError, error, callerCancel.")),
            ("direction", nullable("string", "phone calls: which way the call went.", oneOf: ["inbound", "outbound"])),
            ("digits", nullable("string", "phone calls: the keys the caller pressed, in order.")),
            ("hangUpSide", nullable("string", "Who hung up, as TCCC's call records say it.", oneOf: ["seat", "user", "system"])),
            ("waitSeconds", nullable("integer", "Seconds queued before the first ring (or the end); null for outbound calls and live sessions that have not rung.")),
            ("ringSeconds", nullable("integer", "Seconds from the first ring (for outbound calls: the dial) to the answer or the end.")),
            ("durationSeconds", nullable("integer", "Seconds from answer to end (talk and hold); null unless answered and ended.")),
            ("holdSeconds", nullable("integer", "Seconds on hold (Call.hold to Call.unHold or the end), every agent's; null before an agent handled it (or for records from before hold time was kept, until `reports rebuild`).")),
            ("talkSeconds", nullable("integer", "durationSeconds less holdSeconds; null unless both are known.")),
            ("dispositionCode", nullable("string", "The disposition code the agent picked when it wrapped the session up (one of its skill group's).")),
            ("wrapUpNote", nullable("string", "The agent's wrap-up note.")),
            ("wrappedUpAt", nullableMilliseconds), ("wrappedUpBy", nullable("string", "The agent who wrapped it up.")),
            ("recording", ["oneOf": [["type": "null"], ref("Recording")], "description": "phone calls: the recording, if the call was recorded (or its recording failed); null otherwise."]),
        ]
    }

    static var chatMessage: JSONValue {
        object("An im message, as the sockets carry it.", [
            ("messageId", string("e.g. m-18; the paging cursor.")), ("from", string(oneOf: ["customer", "agent", "system"])),
            ("text", string()), ("sentAt", milliseconds),
            ("agentUserId", string("agent messages: the agent who wrote it.")),
            ("agentName", string("agent messages: that agent's name, while the agent exists.")),
            ("attachment", ref("ChatAttachment")),
        ], required: ["messageId", "from", "text", "sentAt"], closed: false)
    }

    static var sessionSchemas: [String: JSONValue] {
        let customerFields = ["nickname", "avatar", "remark", "peerSource", "channelName", "clientData", "userId", "callee",
                              "calleeRemark", "calleePhoneNumber", "callerPhoneNumber", "callerLocation", "serverType", "peerUserId"]
        let ivrStep = input("One IVR choice.", [("key", string()), ("label", string())], required: ["key", "label"])
        return [
            "Session": representation("A session record with its live state.", sessionProperties),
            "SessionDetail": representation("A session with its history.", sessionProperties + [("history", array(ref("HistoryEntry")))]),
            "HistoryEntry": representation("One line of a session's history.", [
                ("at", milliseconds),
                ("kind", string(oneOf: ["created", "dialled", "queued", "offered", "missed", "withdrawn", "accepted", "transferred", "overflowed",
                                        "returnedToQueue", "digits", "ended"])),
                ("agentId", nullable("string")), ("skillGroupId", nullable("string")),
                ("detail", ["type": "object", "description": "The entry's fields; for `offered`, why this agent: strategy, skillLevel, idleMilliseconds, activeSessions, passedOver."]),
            ]),
            "CustomerDetails": input(
                "What the customer side said about itself; each session type uses TCCC's callIn fields for it.",
                customerFields.map { ($0, string()) } + [("ivrPath", array(ivrStep))]),
            "NewSession": input("A session to queue.", [
                ("type", string(oneOf: sessionTypes)), ("skillGroupId", string()),
                ("priority", ["type": "integer", "default": 0, "description": "Higher goes first."]),
                ("customer", ref("CustomerDetails")),
            ], required: ["type", "skillGroupId"]),
            "CreatedSession": representation("The new session.", [("sessionId", string())]),
            "AssignSessionInput": input("The agent to ring the session at.", [
                ("agentId", string("The agent's id.", maxLength: 256)),
            ], required: ["agentId"]),
            "EndSessionInput": input("Why the session is ended; the body may be left out.", [
                ("mainReason", string(maxLength: 4096)), ("subReason", string(maxLength: 4096)),
            ]),
            "MessagePage": representation("A page of a transcript.", [
                ("sessionId", string()), ("messages", array(ref("ChatMessage"))), ("hasMore", boolean),
            ]),
            "ChatMessage": chatMessage,
        ]
    }

    static var liveSchemas: [String: JSONValue] {
        let configuration: Properties = [
            ("statusAfterOnline", string("Default free.", oneOf: ["free", "notReady"])),
            ("defaultImCapacity", integer(minimum: 1, maximum: 100, default: 5)),
            ("allowVoiceWithIm", ["type": "boolean", "default": false]),
            ("reconnectGraceSeconds", integer(minimum: 0, default: 30)),
            ("imHoldSeconds", integer(minimum: 0, default: 120)),
            ("onlineAtLogin", ["type": "boolean", "default": true,
                               "description": "An SDK login (a login token, as TCCC's SdkURL carries) puts an offline agent online, as TCCC does; false: offline until Agent.online(). Password logins and reconnects never change the status."]),
        ]
        return [
            "Queue": representation("A skill group's waiting sessions, first in line first.", [
                ("skillGroupId", string()), ("name", string()), ("waiting", integer(minimum: 0)),
                ("oldestWaitSeconds", nullable("integer", "null when nobody waits.")), ("sessions", array(ref("QueuedSession"))),
            ]),
            "QueuedSession": representation("A waiting session.", [
                ("sessionId", string()), ("position", integer(minimum: 1)), ("type", string(oneOf: sessionTypes)),
                ("priority", ["type": "integer"]), ("nickname", nullable("string")), ("createdAt", milliseconds),
                ("waitedSeconds", integer(minimum: 0)),
            ]),
            "StatusBoard": representation("Agents grouped by status.", [
                ("total", integer(minimum: 0)), ("connected", integer(minimum: 0)), ("statuses", array(ref("StatusGroup"))),
            ]),
            "StatusGroup": representation("The agents in one status.", [
                ("status", string(oneOf: statusValues)), ("count", integer(minimum: 0)), ("agents", array(ref("Agent"))),
            ]),
            "Configuration": representation("The tenant-wide routing settings.", configuration),
            "ConfigurationInput": input("The tenant-wide routing settings; left-out settings take their defaults.", configuration),
        ]
    }

    static var chatSchemas: [String: JSONValue] {
        let state: Properties = [
            ("sessionId", string()), ("state", string(oneOf: ["queued", "ringing", "accepted", "ended"])),
            ("position", nullable("integer", "1 = next; null unless queued.")),
            ("agentNickname", nullable("string", "The agent who accepted; null unless accepted.")),
            ("closeBy", nullable("string", "null unless ended.", oneOf: closeByValues)),
        ]
        return [
            "ChatStart": input("The customer socket's `start` fields.", [
                ("skillGroupId", string("Not empty.")), ("nickname", string("Not empty.", maxLength: 256)),
                ("avatar", string(maxLength: 2048)), ("remark", string(maxLength: 256)), ("peerSource", string(maxLength: 256)),
                ("channelName", string(maxLength: 256)), ("clientData", string(maxLength: 4096)),
                ("userId", string("The customer's id on your site: a skill group with usingLastSeat offers a returning customer to the agent who served them last.", maxLength: 256)),
            ], required: ["skillGroupId", "nickname"]),
            "ChatStarted": representation("The socket's `started`.", [("sessionId", string()), ("secret", string("Send as X-Session-Secret."))]),
            "ChatState": representation("Where the chat stands.", state),
            "ChatSession": representation("Where the chat stands, and new messages.", state + [
                ("messages", array(ref("ChatMessage"))), ("hasMore", boolean),
            ]),
            "ChatMessageInput": input("The socket's `message` fields.", [
                ("text", string("Not empty; at most 8000 characters.")), ("clientMessageId", string("Your id for it; a retry with it is stored once.")),
            ], required: ["text"]),
            "ChatSent": representation("The socket's `ack`.", [("messageId", string()), ("clientMessageId", nullable("string"))]),
        ]
    }
}
