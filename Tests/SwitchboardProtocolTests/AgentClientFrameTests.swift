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
        (.ping, ["method": "ping"]),
    ]

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

    @Test func paramsOfMethodsWithoutParametersAreIgnored() throws {
        let frame = try AgentClientFrame.decode(#"{"v":1,"type":"request","id":"1","method":"Agent.online","params":{}}"#)
        #expect(frame == .request(AgentRequest(id: "1", call: .agentOnline)))
    }
}
