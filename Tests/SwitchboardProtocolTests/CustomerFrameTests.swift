import SwitchboardProtocol
import Testing

@Suite("Customer socket")
struct CustomerFrameTests {
    static let clientFrames: [(CustomerClientFrame, JSONValue)] = [
        (.start(ChatStart(skillGroupId: "support", nickname: "Ann")),
         ["v": 1, "type": "start", "skillGroupId": "support", "nickname": "Ann"]),
        (.start(ChatStart(skillGroupId: "support", nickname: "Ann", avatar: "https://x/a.png", remark: "VIP",
                          peerSource: "web", channelName: "shop", clientData: "order=12")),
         ["v": 1, "type": "start", "skillGroupId": "support", "nickname": "Ann", "avatar": "https://x/a.png",
          "remark": "VIP", "peerSource": "web", "channelName": "shop", "clientData": "order=12"]),
        (.resume(sessionId: "s-1", secret: "k9", resumeFrom: "m-3"),
         ["v": 1, "type": "resume", "sessionId": "s-1", "secret": "k9", "resumeFrom": "m-3"]),
        (.resume(sessionId: "s-1", secret: "k9", resumeFrom: nil), ["v": 1, "type": "resume", "sessionId": "s-1", "secret": "k9"]),
        (.message(text: "Where is my order?", clientMessageId: "c-1"),
         ["v": 1, "type": "message", "text": "Where is my order?", "clientMessageId": "c-1"]),
        (.message(text: "Hello", clientMessageId: nil), ["v": 1, "type": "message", "text": "Hello"]),
        (.typing, ["v": 1, "type": "typing"]),
        (.leave, ["v": 1, "type": "leave"]),
        (.start(ChatStart(type: .video, skillGroupId: "support", nickname: "Ann", userId: "u-1", callee: "Help line")),
         ["v": 1, "type": "start", "sessionType": "video", "skillGroupId": "support", "nickname": "Ann", "userId": "u-1", "callee": "Help line"]),
        (.signal(.answer("v=0")), ["v": 1, "type": "signal", "signal": ["kind": "answer", "sdp": "v=0"]]),
        (.start(ChatStart(type: .voip, skillGroupId: nil, nickname: "Ann", ivrFlowId: "main")),
         ["v": 1, "type": "start", "sessionType": "voip", "ivrFlowId": "main", "nickname": "Ann"]),
        (.digit("#"), ["v": 1, "type": "digit", "digit": "#"]),
    ]

    @Test(arguments: clientFrames)
    func clientFrame(frame: CustomerClientFrame, json: JSONValue) throws {
        try expectWire(frame, json)
    }

    static let serverFrames: [(CustomerServerFrame, JSONValue)] = [
        (.started(sessionId: "s-1", secret: "k9"), ["v": 1, "type": "started", "sessionId": "s-1", "secret": "k9"]),
        (.queued(position: 3), ["v": 1, "type": "queued", "position": 3]),
        (.agentJoined(nickname: "Grace"), ["v": 1, "type": "agentJoined", "nickname": "Grace"]),
        (.agentTyping, ["v": 1, "type": "agentTyping"]),
        (.message(ChatMessage(messageId: "m-4", from: .agent, text: "On its way", sentAt: 1_712_345_678_901)),
         ["v": 1, "type": "message", "messageId": "m-4", "from": "agent", "text": "On its way", "sentAt": 1_712_345_678_901]),
        (.message(ChatMessage(messageId: "m-5", from: .system, text: "Transferred", sentAt: 1)),
         ["v": 1, "type": "message", "messageId": "m-5", "from": "system", "text": "Transferred", "sentAt": 1]),
        (.transferred, ["v": 1, "type": "transferred"]),
        (.ringing, ["v": 1, "type": "ringing"]),
        (.agentJoined(nickname: "Grace", iceServers: [IceServer(urls: ["turn:t.example:3478"], username: "u", credential: "p")]),
         ["v": 1, "type": "agentJoined", "nickname": "Grace",
          "iceServers": [["urls": ["turn:t.example:3478"], "username": "u", "credential": "p"]]]),
        (.signal(.dtmf("12#")), ["v": 1, "type": "signal", "signal": ["kind": "dtmf", "digits": "12#"]]),
        (.signal(.hold), ["v": 1, "type": "signal", "signal": ["kind": "hold"]]),
        (.ended(closeBy: .seat), ["v": 1, "type": "ended", "closeBy": "seat"]),
        (.ack(clientMessageId: "c-1", messageId: "m-6"), ["v": 1, "type": "ack", "clientMessageId": "c-1", "messageId": "m-6"]),
        (.ack(clientMessageId: nil, messageId: "m-7"), ["v": 1, "type": "ack", "messageId": "m-7"]),
        (.error(ProtocolError(.sessionNotFound, "no session matches that id and secret")),
         ["v": 1, "type": "error", "code": "sessionNotFound", "message": "no session matches that id and secret"]),
        (.ivrPrompt(url: "/api/v1/chat/ivr-prompts/generated/tts-0123.wav", text: "Press 1", milliseconds: 1850),
         ["v": 1, "type": "ivrPrompt", "url": "/api/v1/chat/ivr-prompts/generated/tts-0123.wav", "text": "Press 1", "milliseconds": 1850]),
        (.ivrStop, ["v": 1, "type": "ivrStop"]),
    ]

    @Test(arguments: serverFrames)
    func serverFrame(frame: CustomerServerFrame, json: JSONValue) throws {
        try expectWire(frame, json)
    }

    @Test func everyFrameTypeIsCovered() throws {
        let clientTypes = try Set(Self.clientFrames.map { try wireJSON($0.0)["type"] })
        #expect(clientTypes == Set(CustomerClientFrame.types.map { JSONValue.string($0) }))
        let serverTypes = try Set(Self.serverFrames.map { try wireJSON($0.0)["type"] })
        #expect(serverTypes == Set(CustomerServerFrame.types.map { JSONValue.string($0) }))
    }
}
