import SwitchboardProtocol
import Testing

@Suite("Agent socket: client frames")
struct AgentClientFrameTests {
    @Test func helloWithToken() throws {
        try expectWire(
            AgentClientFrame.hello(AgentHello(token: "tk-1", sdkAppId: "1400001", resumeFrom: 41)),
            ["v": 1, "type": "hello", "token": "tk-1", "sdkAppId": "1400001", "resumeFrom": 41]
        )
    }

    @Test func helloWithPassword() throws {
        try expectWire(
            AgentClientFrame.hello(AgentHello(userId: "7", password: "secret")),
            ["v": 1, "type": "hello", "userId": "7", "password": "secret"]
        )
    }

    @Test func helloDescriptionHidesSecrets() {
        let hello = AgentHello(token: "tk-1", userId: "7", password: "pw")
        #expect(hello.description == "AgentHello(token: <hidden>, userId: 7, password: <hidden>)")
    }

    /// Every SDK method, with the JSON a JavaScript SDK would send for it.
    static let requests: [(AgentCall, JSONValue)] = [
        (.agentOnline, ["method": "Agent.online"]),
        (.agentOffline, ["method": "Agent.offline"]),
        (.agentSetStatus(status: "rest", restReason: "lunch"),
         ["method": "Agent.setStatus", "params": ["status": "rest", "restReason": "lunch"]]),
        (.agentSetStatus(status: "StopNotReady", restReason: nil),
         ["method": "Agent.setStatus", "params": ["status": "StopNotReady"]]),
        (.agentGetStatus, ["method": "Agent.getStatus"]),
        (.agentGetTransferTargets(sessionId: nil), ["method": "Agent.getTransferTargets"]),
        (.agentGetTransferTargets(sessionId: "s-42"), ["method": "Agent.getTransferTargets", "params": ["sessionId": "s-42"]]),
        (.chatAccept(sessionId: "s-42"), ["method": "Chat.accept", "params": ["sessionId": "s-42"]]),
        (.chatEnd(sessionId: "s-42"), ["method": "Chat.end", "params": ["sessionId": "s-42"]]),
        (.chatTransfer(sessionId: "s-42", skillGroupId: "billing", userId: nil),
         ["method": "Chat.transfer", "params": ["sessionId": "s-42", "skillGroupId": "billing"]]),
        (.chatTransfer(sessionId: "s-42", skillGroupId: nil, userId: "9"),
         ["method": "Chat.transfer", "params": ["sessionId": "s-42", "userId": "9"]]),
        (.chatSendMessage(sessionId: "s-42", text: "Hello, how can I help?"),
         ["method": "Chat.sendMessage", "params": ["sessionId": "s-42", "text": "Hello, how can I help?"]]),
        (.chatGetMessages(MessageQuery(sessionId: "s-42")),
         ["method": "Chat.getMessages", "params": ["sessionId": "s-42"]]),
        (.chatGetMessages(MessageQuery(sessionId: "s-42", order: .newest, limit: 20, cursor: .before("m-90"))),
         ["method": "Chat.getMessages",
          "params": ["sessionId": "s-42", "order": "newest", "limit": 20, "before": "m-90"]]),
        (.chatGetMessages(MessageQuery(sessionId: "s-42", order: .oldest, cursor: .after("m-3"))),
         ["method": "Chat.getMessages", "params": ["sessionId": "s-42", "order": "oldest", "after": "m-3"]]),
        (.chatTyping(sessionId: "s-42"), ["method": "Chat.typing", "params": ["sessionId": "s-42"]]),
        (.callAccept(sessionId: "s-42", video: false), ["method": "Call.accept", "params": ["sessionId": "s-42"]]),
        (.callAccept(sessionId: "s-42", video: true), ["method": "Video.accept", "params": ["sessionId": "s-42"]]),
        (.callHangUp(sessionId: "s-42", video: false), ["method": "Call.hungUp", "params": ["sessionId": "s-42"]]),
        (.callHangUp(sessionId: "s-42", video: true), ["method": "Video.end", "params": ["sessionId": "s-42"]]),
        (.callTransfer(sessionId: "s-42", skillGroupId: "billing", userId: nil, video: false),
         ["method": "Call.transfer", "params": ["sessionId": "s-42", "skillGroupId": "billing"]]),
        (.callTransfer(sessionId: "s-42", skillGroupId: nil, userId: "9", video: true),
         ["method": "Video.transfer", "params": ["sessionId": "s-42", "userId": "9"]]),
        (.callHold(sessionId: "s-42"), ["method": "Call.hold", "params": ["sessionId": "s-42"]]),
        (.callUnHold(sessionId: "s-42"), ["method": "Call.unHold", "params": ["sessionId": "s-42"]]),
        (.callSendDigits(sessionId: "s-42", dtmfText: "12#"), ["method": "Call.sendDigits", "params": ["sessionId": "s-42", "dtmfText": "12#"]]),
        (.callStartInternalCall(calleeUserId: "9", skillGroupId: nil), ["method": "Call.startInternalCall", "params": ["calleeUserId": "9"]]),
        (.callStartInternalCall(calleeUserId: nil, skillGroupId: "billing"),
         ["method": "Call.startInternalCall", "params": ["skillGroupId": "billing"]]),
        (.callStartOutboundCall(phoneNumber: "+15550100"), ["method": "Call.startOutboundCall", "params": ["phoneNumber": "+15550100"]]),
        (.chatGetWrapUp(sessionId: "s-42"), ["method": "Chat.getWrapUp", "params": ["sessionId": "s-42"]]),
        (.chatWrapUp(sessionId: "s-42", dispositionCode: "Resolved", note: "Sent the invoice"),
         ["method": "Chat.wrapUp", "params": ["sessionId": "s-42", "dispositionCode": "Resolved", "note": "Sent the invoice"]]),
        (.chatWrapUp(sessionId: "s-42", dispositionCode: nil, note: "A note alone"),
         ["method": "Chat.wrapUp", "params": ["sessionId": "s-42", "note": "A note alone"]]),
        (.cannedRepliesList, ["method": "CannedReplies.list"]),
        (.cannedRepliesSave(id: nil, shortcut: "/refund", title: "Refund", text: "On its way."),
         ["method": "CannedReplies.save", "params": ["shortcut": "/refund", "title": "Refund", "text": "On its way."]]),
        (.cannedRepliesSave(id: "cr-1", shortcut: "refund", title: "Refund", text: "Soon."),
         ["method": "CannedReplies.save", "params": ["id": "cr-1", "shortcut": "refund", "title": "Refund", "text": "Soon."]]),
        (.cannedRepliesDelete(id: "cr-1"), ["method": "CannedReplies.delete", "params": ["id": "cr-1"]]),
        (.ping, ["method": "ping"]),
    ]

    @Test func signalFrames() throws {
        try expectWire(
            AgentClientFrame.signal(sessionId: "s-42", .offer("v=0")),
            ["v": 1, "type": "signal", "sessionId": "s-42", "signal": ["kind": "offer", "sdp": "v=0"]])
        try expectWire(
            AgentClientFrame.signal(sessionId: "s-42", .candidate(IceCandidate(candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0))),
            ["v": 1, "type": "signal", "sessionId": "s-42",
             "signal": ["kind": "candidate", "candidate": ["candidate": "candidate:1", "sdpMid": "0", "sdpMLineIndex": 0]]])
        let held = decodingError(AgentClientFrame.self, #"{"v":1,"type":"signal","sessionId":"s-1","signal":{"kind":"hold"}}"#)
        #expect(held?.message.contains("Call.hold") == true)
        try expectWire(
            AgentClientFrame.signal(sessionId: "s-42", CallSignal(kind: .restart, attempt: "a-7_x")),
            ["v": 1, "type": "signal", "sessionId": "s-42", "signal": ["kind": "restart", "attempt": "a-7_x"]])
        try expectWire(
            AgentClientFrame.signal(sessionId: "s-42", CallSignal(kind: .answer, sdp: "v=0", attempt: "a-7_x")),
            ["v": 1, "type": "signal", "sessionId": "s-42", "signal": ["kind": "answer", "sdp": "v=0", "attempt": "a-7_x"]])
        let emptyAttempt = decodingError(AgentClientFrame.self, #"{"v":1,"type":"signal","sessionId":"s-1","signal":{"kind":"restart","attempt":""}}"#)
        #expect(emptyAttempt?.code == .invalidValue)
        let oddAttempt = decodingError(AgentClientFrame.self, #"{"v":1,"type":"signal","sessionId":"s-1","signal":{"kind":"offer","sdp":"v=0","attempt":"a b"}}"#)
        #expect(oddAttempt?.message.contains("letters, digits") == true)
        let longAttempt = decodingError(AgentClientFrame.self, #"{"v":1,"type":"signal","sessionId":"s-1","signal":{"kind":"restart","attempt":"\#(String(repeating: "a", count: 65))"}}"#)
        #expect(longAttempt?.message.contains("at most 64") == true)
        let candidateAttempt = decodingError(AgentClientFrame.self, #"{"v":1,"type":"signal","sessionId":"s-1","signal":{"kind":"candidate","candidate":{"candidate":""},"attempt":"a"}}"#)
        #expect(candidateAttempt?.message.contains("only to offer, answer and restart") == true)
        let noSdp = decodingError(AgentClientFrame.self, #"{"v":1,"type":"signal","sessionId":"s-1","signal":{"kind":"answer","sdp":""}}"#)
        #expect(noSdp?.code == .invalidValue)
        let digits = decodingError(AgentClientFrame.self, #"{"v":1,"type":"request","id":"r","method":"Call.sendDigits","params":{"sessionId":"s","dtmfText":"1x"}}"#)
        #expect(digits?.message.contains("'x'") == true)
        let target = decodingError(AgentClientFrame.self, #"{"v":1,"type":"request","id":"r","method":"Call.startInternalCall","params":{"calleeUserId":""}}"#)
        #expect(target?.code == .missingField)
    }

    @Test(arguments: requests)
    func request(call: AgentCall, fields: JSONValue) throws {
        guard case .object(var expected) = fields else { Issue.record("fields must be an object"); return }
        expected["v"] = 1
        expected["type"] = "request"
        expected["id"] = "r-1"
        try expectWire(AgentClientFrame.request(AgentRequest(id: "r-1", call: call)), .object(expected))
    }

    @Test func everyMethodIsCovered() {
        let covered = Set(Self.requests.map { $0.0.method })
        #expect(covered == Set(AgentCall.Method.allCases))
    }

    @Test func transferTreatsEmptyTargetAsAbsent() throws {
        let frame = try AgentClientFrame.decode(
            #"{"v":1,"type":"request","id":"1","method":"Chat.transfer","params":{"sessionId":"s-1","skillGroupId":"","userId":"9"}}"#
        )
        #expect(frame == .request(AgentRequest(id: "1", call: .chatTransfer(sessionId: "s-1", skillGroupId: nil, userId: "9"))))
    }

    @Test func nullOptionalsAndUnknownFieldsAreIgnored() throws {
        let frame = try AgentClientFrame.decode(
            #"{"v":1,"type":"request","id":"1","method":"Agent.setStatus","params":{"status":"free","restReason":null,"extra":[1]},"trace":"x"}"#
        )
        #expect(frame == .request(AgentRequest(id: "1", call: .agentSetStatus(status: "free", restReason: nil))))
    }

    @Test func transferTargetsTakeParamsOnlyForTheSession() throws {
        for params in [#""#, #","params":null"#, #","params":{}"#, #","params":{"sessionId":null,"extra":1}"#] {
            let frame = try AgentClientFrame.decode(#"{"v":1,"type":"request","id":"1","method":"Agent.getTransferTargets"\#(params)}"#)
            #expect(frame == .request(AgentRequest(id: "1", call: .agentGetTransferTargets(sessionId: nil))), "\(params)")
        }
    }

    @Test func paramsOfMethodsWithoutParametersAreIgnored() throws {
        let frame = try AgentClientFrame.decode(#"{"v":1,"type":"request","id":"1","method":"Agent.online","params":{}}"#)
        #expect(frame == .request(AgentRequest(id: "1", call: .agentOnline)))
    }
}
