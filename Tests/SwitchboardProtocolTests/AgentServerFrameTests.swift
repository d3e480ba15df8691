import SwitchboardProtocol
import Testing

@Suite("Agent socket: server frames")
struct AgentServerFrameTests {
    @Test func welcome() throws {
        let ringing = SessionSummary(callIn: .im(sessionId: "s-1", timeout: 12, nickname: "Ann"), state: .ringing)
        let held = SessionSummary(
            callIn: .phone(sessionId: "s-2", timeout: 0, calleePhoneNumber: "02088880000", ivrPath: [], serverType: "staffSeat"),
            state: .accepted, acceptedAt: 1_712_345_678_901
        )
        let welcome = AgentWelcome(
            userId: "7", name: "Grace", status: .rest, restReason: "lunch", sessions: [ringing, held], lastSeq: 41,
            resumed: true
        )
        try expectWire(
            AgentServerFrame.welcome(welcome),
            [
                "v": 1, "type": "welcome", "userId": "7", "name": "Grace", "status": "rest", "restReason": "lunch",
                "lastSeq": 41, "resumed": true,
                "sessions": [
                    ["sessionId": "s-1", "type": "im", "timeout": 12, "nickname": "Ann", "state": "ringing"],
                    ["sessionId": "s-2", "type": "phone", "timeout": 0, "calleePhoneNumber": "02088880000",
                     "ivrPath": [], "serverType": "staffSeat", "state": "accepted", "acceptedAt": 1_712_345_678_901],
                ],
            ]
        )
    }

    @Test func welcomeWithoutRestReasonOrSessions() throws {
        try expectWire(
            AgentServerFrame.welcome(AgentWelcome(userId: "7", name: "Grace", status: .offline, sessions: [], lastSeq: 0, resumed: false)),
            ["v": 1, "type": "welcome", "userId": "7", "name": "Grace", "status": "offline", "sessions": [], "lastSeq": 0, "resumed": false]
        )
    }

    @Test func successResponse() throws {
        try expectWire(AgentServerFrame.response(.success(id: "r-1")), ["v": 1, "type": "response", "id": "r-1", "status": "success"])
    }

    @Test func errorResponse() throws {
        try expectWire(
            AgentServerFrame.response(.failure(id: "r-2", errorMsg: "session s-42 is not ringing at agent 7")),
            ["v": 1, "type": "response", "id": "r-2", "status": "error", "errorMsg": "session s-42 is not ringing at agent 7"]
        )
    }

    @Test func responseWithTypedData() throws {
        let page = MessagePage(
            sessionId: "s-1",
            messages: [
                ChatMessage(messageId: "m-1", from: .customer, text: "Hi", sentAt: 1_712_345_678_901),
                ChatMessage(messageId: "m-2", from: .agent, text: "Hello!", sentAt: 1_712_345_679_000),
            ],
            hasMore: false
        )
        let response = try AgentResponse.success(id: "r-3", result: page)
        try expectWire(
            AgentServerFrame.response(response),
            [
                "v": 1, "type": "response", "id": "r-3", "status": "success",
                "data": [
                    "sessionId": "s-1", "hasMore": false,
                    "messages": [
                        ["messageId": "m-1", "from": "customer", "text": "Hi", "sentAt": 1_712_345_678_901],
                        ["messageId": "m-2", "from": "agent", "text": "Hello!", "sentAt": 1_712_345_679_000],
                    ],
                ],
            ]
        )
        #expect(try response.decodeData(as: MessagePage.self) == page)
    }

    @Test func statusAndSentMessageResults() throws {
        let status = try AgentResponse.success(id: "1", result: AgentStatusResult(status: .rest, restReason: "lunch"))
        #expect(status.data == ["status": "rest", "restReason": "lunch"])
        #expect(try status.decodeData(as: AgentStatusResult.self) == AgentStatusResult(status: .rest, restReason: "lunch"))
        let sent = try AgentResponse.success(id: "2", result: SentMessage(messageId: "m-9", sentAt: 1_712_345_678_901))
        #expect(sent.data == ["messageId": "m-9", "sentAt": 1_712_345_678_901])
    }

    @Test func transferTargetsResult() throws {
        let targets = TransferTargets(
            sessionId: "s-7",
            skillGroups: [TransferTargets.SkillGroupTarget(skillGroupId: "billing", name: "Billing", waiting: 3, membersOnline: 2)],
            agents: [
                TransferTargets.AgentTarget(userId: "bob", name: "Bob", status: .free, skillGroupIds: ["billing"], available: true),
                TransferTargets.AgentTarget(
                    userId: "cy", name: "Cy", status: .rest, connected: false, skillGroupIds: [], available: false,
                    why: "agent cy is rest and cannot take a transfer"),
            ])
        let response = try AgentResponse.success(id: "1", result: targets)
        #expect(response.data == [
            "sessionId": "s-7",
            "skillGroups": [["skillGroupId": "billing", "name": "Billing", "waiting": 3, "membersOnline": 2]],
            "agents": [
                ["userId": "bob", "name": "Bob", "status": "free", "connected": true, "skillGroupIds": ["billing"], "available": true],
                ["userId": "cy", "name": "Cy", "status": "rest", "connected": false, "skillGroupIds": [], "available": false,
                 "why": "agent cy is rest and cannot take a transfer"],
            ],
        ])
        #expect(try response.decodeData(as: TransferTargets.self) == targets)
        // Without a session, neither the session nor availabilities are sent.
        let plain = try AgentResponse.success(id: "2", result: TransferTargets(skillGroups: [], agents: [
            TransferTargets.AgentTarget(userId: "bob", name: "Bob", status: .busy),
        ]))
        #expect(plain.data == ["skillGroups": [], "agents": [["userId": "bob", "name": "Bob", "status": "busy", "connected": true, "skillGroupIds": []]]])
    }

    @Test func decodeDataNamesTheField() {
        let response = AgentResponse.success(id: "1", data: ["status": 3])
        #expect(throws: ProtocolError(.wrongFieldType, "field 'data.status' must be a string, not the number 3")) {
            try response.decodeData(as: AgentStatusResult.self)
        }
    }

    @Test func errorFrame() throws {
        try expectWire(
            AgentServerFrame.error(ProtocolError(.notAuthenticated, "send hello first")),
            ["v": 1, "type": "error", "code": "notAuthenticated", "message": "send hello first"]
        )
        // A refusal that waiting cures says how long to wait.
        try expectWire(
            AgentServerFrame.error(ProtocolError(.notAuthenticated, "too many failed logins for user 'alice'; retry in 4 s", retryAfter: 4)),
            ["v": 1, "type": "error", "code": "notAuthenticated", "message": "too many failed logins for user 'alice'; retry in 4 s", "retryAfter": 4]
        )
    }

    /// A frame kind added in version 1 for the customer's typing: just the session, no `seq`.
    @Test func customerTypingFrame() throws {
        try expectWire(AgentServerFrame.customerTyping(sessionId: "s-41"), ["v": 1, "type": "customerTyping", "sessionId": "s-41"])
        #expect(AgentServerFrame.customerTyping(sessionId: "s-41").encodedText() == #"{"sessionId":"s-41","type":"customerTyping","v":1}"#)
    }

    @Test func reportingAnErrorOfARequestAnswersThatRequest() throws {
        let error = try #require(decodingError(AgentClientFrame.self, #"{"v":1,"type":"request","id":"r-5","method":"Chat.acept"}"#))
        #expect(error.requestId == "r-5")
        #expect(AgentServerFrame.reporting(error) == .response(.failure(id: "r-5", errorMsg: error.message)))
        let other = ProtocolError(.malformedJSON, "the frame is not valid JSON")
        #expect(AgentServerFrame.reporting(other) == .error(other))
    }

    /// Every event, with the JSON of its `data`.
    static let events: [(AgentEvent, JSONValue)] = [
        (.ready, [:]),
        (.callIn(.im(sessionId: "s-1", timeout: 30, nickname: "Ann")),
         ["sessionId": "s-1", "type": "im", "timeout": 30, "nickname": "Ann"]),
        (.callIn(.im(sessionId: "s-1", timeout: 0, nickname: "Ann", avatar: "https://x/a.png", remark: "VIP",
                     peerSource: "web", channelName: "shop", clientData: "{\"order\":12}")),
         ["sessionId": "s-1", "type": "im", "timeout": 0, "nickname": "Ann", "avatar": "https://x/a.png", "remark": "VIP",
          "peerSource": "web", "channelName": "shop", "clientData": "{\"order\":12}"]),
        (.callIn(.phone(sessionId: "s-2", timeout: 15, calleePhoneNumber: "02088880000", callerPhoneNumber: "13800000000",
                        callerLocation: "Shenzhen", remark: "r", ivrPath: [CallIn.IVRStep(key: "2", label: "Billing")],
                        serverType: "staffSeat")),
         ["sessionId": "s-2", "type": "phone", "timeout": 15, "calleePhoneNumber": "02088880000",
          "callerPhoneNumber": "13800000000", "callerLocation": "Shenzhen", "remark": "r",
          "ivrPath": [["key": "2", "label": "Billing"]], "serverType": "staffSeat"]),
        (.callIn(.voip(sessionId: "s-3", timeout: 15, callee: "sales-line", calleeRemark: "Sales", userId: "u-1",
                       nickname: "Bo", avatar: "a", remark: "r", peerSource: "app", ivrPath: [CallIn.IVRStep(key: "1", label: "New")])),
         ["sessionId": "s-3", "type": "voip", "timeout": 15, "callee": "sales-line", "calleeRemark": "Sales", "userId": "u-1",
          "nickname": "Bo", "avatar": "a", "remark": "r", "peerSource": "app", "ivrPath": [["key": "1", "label": "New"]]]),
        (.callIn(.voip(sessionId: "s-3", timeout: 15, callee: "sales-line", userId: "u-1")),
         ["sessionId": "s-3", "type": "voip", "timeout": 15, "callee": "sales-line", "userId": "u-1"]),
        (.callIn(.video(sessionId: "s-4", timeout: 15, userId: "u-2", nickname: "Cy", avatar: "a", remark: "r")),
         ["sessionId": "s-4", "type": "video", "timeout": 15, "userId": "u-2", "nickname": "Cy", "avatar": "a", "remark": "r"]),
        (.callIn(.internal(sessionId: "s-5", timeout: 20, peerUserId: "8")),
         ["sessionId": "s-5", "type": "internal", "timeout": 20, "peerUserId": "8"]),
        (.userAccessed(sessionId: "s-1"), ["sessionId": "s-1"]),
        (.autoTransfer(sessionId: "s-1"), ["sessionId": "s-1"]),
        (.sessionEnded(SessionEnded(sessionId: "s-1", closeBy: .client)), ["sessionId": "s-1", "closeBy": "client"]),
        (.sessionEnded(SessionEnded(sessionId: "s-2", closeBy: .admin, mainReason: "abuse", subReason: "spam", type: .phone, duration: 95)),
         ["sessionId": "s-2", "closeBy": "admin", "mainReason": "abuse", "subReason": "spam", "type": "phone", "duration": 95]),
        (.transfer(sessionId: "s-1", skillGroupId: "billing", userId: nil), ["sessionId": "s-1", "skillGroupId": "billing"]),
        (.transfer(sessionId: "s-1", skillGroupId: nil, userId: "9"), ["sessionId": "s-1", "userId": "9"]),
        (.statusChanged(StatusChanged(status: .rest, restReason: "lunch", cause: .agent)),
         ["status": "rest", "restReason": "lunch", "cause": "agent"]),
        (.statusChanged(StatusChanged(status: .notReady, cause: .missedOffer)), ["status": "notReady", "cause": "missedOffer"]),
        (.sessionCompleted(sessionId: "s-1"), ["sessionId": "s-1"]),
        (.tokenExpired, [:]),
        (.callOuted(CallOuted(sessionId: "s-6", type: .internal, calleeUserId: "9", skillGroupId: "sales")),
         ["sessionId": "s-6", "type": "internal", "calleeUserId": "9", "skillGroupId": "sales"]),
        (.callOuted(CallOuted(
            sessionId: "s-7", type: .phone, skillGroupId: "sales", calleePhoneNumber: "+4930123", callerPhoneNumber: "+4930100",
            remark: "Ann", uui: "order=1", serverType: "staffSeat", placedBy: "serverAPI")),
         ["sessionId": "s-7", "type": "phone", "skillGroupId": "sales", "calleePhoneNumber": "+4930123", "callerPhoneNumber": "+4930100",
          "remark": "Ann", "uui": "order=1", "serverType": "staffSeat", "placedBy": "serverAPI"]),
        (.calloutAccepted(sessionId: "s-6"), ["sessionId": "s-6"]),
        (.message(SessionMessage(sessionId: "s-1", message: ChatMessage(messageId: "m-1", from: .customer, text: "Hi", sentAt: 1_712_345_678_901))),
         ["sessionId": "s-1", "messageId": "m-1", "from": "customer", "text": "Hi", "sentAt": 1_712_345_678_901]),
    ]

    @Test(arguments: events)
    func event(event: AgentEvent, data: JSONValue) throws {
        try expectWire(
            AgentServerFrame.event(seq: 42, event),
            ["v": 1, "type": "event", "seq": 42, "name": .string(event.name.rawValue), "data": data]
        )
    }

    @Test func everyEventIsCovered() {
        #expect(Set(Self.events.map { $0.0.name }) == Set(AgentEvent.Name.allCases))
    }

    @Test func eventsWithoutFieldsMayOmitData() throws {
        #expect(try AgentServerFrame.decode(#"{"v":1,"type":"event","seq":0,"name":"ready"}"#) == .event(seq: 0, .ready))
    }

    @Test func unknownEventIsReportedSoClientsCanSkipIt() {
        let error = decodingError(AgentServerFrame.self, #"{"v":1,"type":"event","seq":3,"name":"callRecorded","data":{}}"#)
        #expect(error?.code == .unknownEvent)
        #expect(error?.message.hasPrefix("unknown event 'callRecorded'; the events are ready, callIn,") == true)
    }

    @Test func unknownStatusChangeCauseIsKept() throws {
        let frame = try AgentServerFrame.decode(
            #"{"v":1,"type":"event","seq":3,"name":"statusChanged","data":{"status":"free","cause":"shiftStarted"}}"#
        )
        #expect(frame == .event(seq: 3, .statusChanged(StatusChanged(status: .free, cause: StatusChangeCause(rawValue: "shiftStarted")))))
    }
}
