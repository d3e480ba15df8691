import Foundation
import SwitchboardProtocol
import Testing

/// A frame that must be refused, and exactly how.
struct RefusedFrame: Sendable, CustomTestStringConvertible {
    var text: String
    var code: ProtocolError.Code
    var message: String
    var requestId: String?

    init(_ text: String, _ code: ProtocolError.Code, _ message: String, requestId: String? = nil) {
        self.text = text
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    var testDescription: String { text.isEmpty ? "(empty)" : text }

    var expected: ProtocolError { ProtocolError(code, message, requestId: requestId) }
}

@Suite("Decoding errors")
struct DecodingErrorTests {
    static func request(_ method: String, _ params: String? = nil) -> String {
        #"{"v":1,"type":"request","id":"r1","method":"\#(method)""# + (params.map { #","params":\#($0)"# } ?? "") + "}"
    }

    static let agentSocketFrames: [RefusedFrame] = [
        RefusedFrame("", .malformedJSON, #"the frame is empty; send a JSON object such as {"v":1,"type":"..."}"#),
        RefusedFrame("  \n", .malformedJSON, #"the frame is empty; send a JSON object such as {"v":1,"type":"..."}"#),
        RefusedFrame("{bad", .malformedJSON, "the frame is not valid JSON (UTF-8 text holding one JSON object)"),
        RefusedFrame("[1,2]", .malformedJSON, "expected a JSON object, not an array"),
        RefusedFrame(#""hello""#, .malformedJSON, "expected a JSON object, not a string"),
        RefusedFrame(#"{"type":"hello"}"#, .missingField, #"field 'v' is required: every frame carries the protocol version, "v": 1"#),
        RefusedFrame(#"{"v":"1","type":"hello"}"#, .wrongFieldType, "field 'v' must be an integer, not a string"),
        RefusedFrame(#"{"v":2,"type":"hello"}"#, .unsupportedVersion, "protocol version 2 is not supported; this side speaks version 1"),
        RefusedFrame(#"{"v":1}"#, .missingField, "field 'type' is required"),
        RefusedFrame(#"{"v":1,"type":null}"#, .wrongFieldType, "field 'type' must be a string, not null"),
        RefusedFrame(#"{"v":1,"type":"helo"}"#, .unknownType,
                     "unknown frame type 'helo' (did you mean 'hello'?); the agent socket accepts 'hello', 'request', 'signal', 'monitorSignal'"),
        RefusedFrame(#"{"v":1,"type":"subscribe"}"#, .unknownType,
                     "unknown frame type 'subscribe'; the agent socket accepts 'hello', 'request', 'signal', 'monitorSignal'"),
        RefusedFrame(#"{"v":1,"type":"hello","resumeFrom":"12"}"#, .wrongFieldType, "field 'resumeFrom' must be an integer, not a string"),
        RefusedFrame(#"{"v":1,"type":"hello","token":42}"#, .wrongFieldType, "field 'token' must be a string, not the number 42"),
        RefusedFrame(#"{"v":1,"type":"request","method":"ping"}"#, .missingField, "field 'id' is required"),
        RefusedFrame(#"{"v":1,"type":"request","id":7,"method":"ping"}"#, .wrongFieldType, "field 'id' must be a string, not the number 7"),
        RefusedFrame(#"{"v":1,"type":"request","id":"","method":"ping"}"#, .invalidValue, "field 'id' must not be empty"),
        RefusedFrame(#"{"v":1,"type":"request","id":"r1"}"#, .missingField, "field 'method' is required", requestId: "r1"),
        RefusedFrame(request("Chat.acept"), .unknownMethod,
                     "unknown method 'Chat.acept' (did you mean 'Chat.accept'?); the methods are Agent.online, Agent.offline, Agent.setStatus, Agent.getStatus, Agent.getTransferTargets, Chat.accept, Chat.end, Chat.transfer, Chat.sendMessage, Chat.getMessages, Chat.typing, Call.accept, Call.hungUp, Call.transfer, Call.hold, Call.unHold, Call.sendDigits, Call.startInternalCall, Call.startOutboundCall, Video.accept, Video.end, Video.transfer, Chat.getWrapUp, Chat.wrapUp, CannedReplies.list, CannedReplies.save, CannedReplies.delete, ping",
                     requestId: "r1"),
        RefusedFrame(request("agent.Online"), .unknownMethod,
                     "unknown method 'agent.Online' (did you mean 'Agent.online'?); the methods are Agent.online, Agent.offline, Agent.setStatus, Agent.getStatus, Agent.getTransferTargets, Chat.accept, Chat.end, Chat.transfer, Chat.sendMessage, Chat.getMessages, Chat.typing, Call.accept, Call.hungUp, Call.transfer, Call.hold, Call.unHold, Call.sendDigits, Call.startInternalCall, Call.startOutboundCall, Video.accept, Video.end, Video.transfer, Chat.getWrapUp, Chat.wrapUp, CannedReplies.list, CannedReplies.save, CannedReplies.delete, ping",
                     requestId: "r1"),
        RefusedFrame(request("Chat.accept"), .missingField, "field 'params' is required: 'Chat.accept' needs 'sessionId'", requestId: "r1"),
        RefusedFrame(request("Chat.accept", "null"), .missingField, "field 'params' is required: 'Chat.accept' needs 'sessionId'", requestId: "r1"),
        RefusedFrame(request("Chat.accept", #""s-1""#), .wrongFieldType, "field 'params' must be an object, not a string", requestId: "r1"),
        RefusedFrame(request("Chat.accept", #"{"sessionId":42}"#), .wrongFieldType,
                     "field 'params.sessionId' must be a string, not the number 42", requestId: "r1"),
        RefusedFrame(request("Chat.end", "{}"), .missingField, "field 'params.sessionId' is required", requestId: "r1"),
        RefusedFrame(request("Chat.end", #"{"sessionId":""}"#), .invalidValue, "field 'params.sessionId' must not be empty", requestId: "r1"),
        RefusedFrame(request("Chat.end", #"{"sessionId":null}"#), .wrongFieldType,
                     "field 'params.sessionId' must be a string, not null", requestId: "r1"),
        RefusedFrame(request("Agent.setStatus", "{}"), .missingField, "field 'params.status' is required", requestId: "r1"),
        RefusedFrame(request("Agent.getTransferTargets", #"["s-1"]"#), .wrongFieldType, "field 'params' must be an object, not an array", requestId: "r1"),
        RefusedFrame(request("Agent.getTransferTargets", #"{"sessionId":""}"#), .invalidValue,
                     "field 'params.sessionId' must not be empty; leave it out instead", requestId: "r1"),
        RefusedFrame(request("Agent.getTransferTargets", #"{"sessionId":7}"#), .wrongFieldType,
                     "field 'params.sessionId' must be a string, not the number 7", requestId: "r1"),
        RefusedFrame(request("Agent.setStatus", #"{"status":"rest","restReason":["lunch"]}"#), .wrongFieldType,
                     "field 'params.restReason' must be a string, not an array", requestId: "r1"),
        RefusedFrame(request("Chat.transfer", #"{"sessionId":"s-1"}"#), .missingField,
                     "field 'params.skillGroupId' or 'params.userId' is required: 'Chat.transfer' needs a skill group or an agent to transfer to",
                     requestId: "r1"),
        RefusedFrame(request("Chat.sendMessage", #"{"sessionId":"s-1","text":""}"#), .invalidValue,
                     "field 'params.text' must not be empty", requestId: "r1"),
        RefusedFrame(request("Chat.getMessages", #"{"sessionId":"s-1","limit":1.5}"#), .wrongFieldType,
                     "field 'params.limit' must be an integer, not the number 1.5", requestId: "r1"),
        RefusedFrame(request("Chat.getMessages", #"{"sessionId":"s-1","limit":0}"#), .invalidValue,
                     "field 'params.limit' must be between 1 and 200, not 0", requestId: "r1"),
        RefusedFrame(request("Chat.getMessages", #"{"sessionId":"s-1","order":"latest"}"#), .invalidValue,
                     "field 'params.order' must be one of 'oldest', 'newest', not 'latest'", requestId: "r1"),
        RefusedFrame(request("Chat.getMessages", #"{"sessionId":"s-1","order":"Newest"}"#), .invalidValue,
                     "field 'params.order' must be one of 'oldest', 'newest', not 'Newest' (did you mean 'newest'?)", requestId: "r1"),
        RefusedFrame(request("Chat.getMessages", #"{"sessionId":"s-1","before":"m-9","after":"m-2"}"#), .invalidValue,
                     "give 'params.before' or 'params.after', not both", requestId: "r1"),
        RefusedFrame(request("Chat.getMessages", #"{"sessionId":"s-1","before":""}"#), .invalidValue,
                     "field 'params.before' must not be empty; leave it out instead", requestId: "r1"),
    ]

    @Test(arguments: agentSocketFrames)
    func agentSocket(_ refused: RefusedFrame) {
        let error = decodingError(AgentClientFrame.self, refused.text)
        #expect(error == refused.expected)
    }

    static let customerSocketFrames: [RefusedFrame] = [
        RefusedFrame(#"{"v":1,"type":"mesage","text":"hi"}"#, .unknownType,
                     "unknown frame type 'mesage' (did you mean 'message'?); the customer socket accepts 'start', 'resume', 'message', 'typing', 'leave', 'signal', 'digit'"),
        RefusedFrame(#"{"v":1,"type":"start","skillGroupId":"support"}"#, .missingField, "field 'nickname' is required"),
        RefusedFrame(#"{"v":1,"type":"start","skillGroupId":"support","nickname":""}"#, .invalidValue, "field 'nickname' must not be empty"),
        RefusedFrame(#"{"v":1,"type":"start","skillGroupId":7,"nickname":"Ann"}"#, .wrongFieldType,
                     "field 'skillGroupId' must be a string, not the number 7"),
        RefusedFrame(#"{"v":1,"type":"resume","sessionId":"s-1"}"#, .missingField, "field 'secret' is required"),
        RefusedFrame(#"{"v":1,"type":"message","text":""}"#, .invalidValue, "field 'text' must not be empty"),
        RefusedFrame(#"{"v":1,"type":"message","text":"hi","clientMessageId":5}"#, .wrongFieldType,
                     "field 'clientMessageId' must be a string, not the number 5"),
    ]

    @Test(arguments: customerSocketFrames)
    func customerSocket(_ refused: RefusedFrame) {
        #expect(decodingError(CustomerClientFrame.self, refused.text) == refused.expected)
    }

    static let agentSDKFrames: [RefusedFrame] = [
        RefusedFrame(#"{"v":1,"type":"event","seq":1,"name":"sessionEnded","data":{"sessionId":"s-1","closeBy":"user"}}"#, .invalidValue,
                     "field 'data.closeBy' must be one of 'client', 'seat', 'admin', 'timer', not 'user'"),
        RefusedFrame(#"{"v":1,"type":"event","seq":1,"name":"callIn","data":{"sessionId":"s-1","type":"email","timeout":5}}"#, .invalidValue,
                     "field 'data.type' must be one of 'phone', 'im', 'voip', 'video', 'internal', not 'email'"),
        RefusedFrame(#"{"v":1,"type":"event","seq":1,"name":"callIn","data":{"sessionId":"s-1","type":"im"}}"#, .missingField,
                     "field 'data.timeout' is required"),
        RefusedFrame(#"{"v":1,"type":"event","name":"ready"}"#, .missingField, "field 'seq' is required"),
        RefusedFrame(#"{"v":1,"type":"welcome","userId":"7","name":"G","status":"free","sessions":[{"sessionId":"s","type":"im","timeout":0,"state":1}],"lastSeq":0,"resumed":false}"#,
                     .wrongFieldType, "field 'sessions[0].state' must be a string, not the number 1"),
        RefusedFrame(#"{"v":1,"type":"response","id":"r1","status":"ok"}"#, .invalidValue,
                     "field 'status' must be one of 'success', 'error', not 'ok'"),
    ]

    @Test(arguments: agentSDKFrames)
    func agentSDK(_ refused: RefusedFrame) {
        #expect(decodingError(AgentServerFrame.self, refused.text) == refused.expected)
    }

    @Test func frameLargerThanTheLimit() {
        let text = #"{"v":1,"type":"hello","token":"0123456789"}"#
        #expect(decodingError(AgentClientFrame.self, text, maximumSize: 10)
            == ProtocolError(.payloadTooLarge, "the frame is \(text.utf8.count) bytes; the limit is 10 bytes"))
        #expect(decodingError(AgentClientFrame.self, text, maximumSize: text.utf8.count) == nil)
    }

    @Test func limitCountsUTF8Bytes() {
        let text = #"{"v":1,"type":"message","text":"你好"}"#
        #expect(decodingError(CustomerClientFrame.self, text, maximumSize: text.count)?.code == .payloadTooLarge)
    }

    @Test func invalidUTF8IsMalformed() {
        let bytes: [UInt8] = Array(#"{"v":1,"type":"message","text":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(throws: ProtocolError(.malformedJSON, "the frame is not valid JSON (UTF-8 text holding one JSON object)")) {
            try CustomerClientFrame.decode(Data(bytes))
        }
    }

    @Test func messagesNeverLeakSwiftErrorText() {
        let all = Self.agentSocketFrames + Self.customerSocketFrames + Self.agentSDKFrames
        for refused in all {
            for word in ["Swift", "Decoding", "Optional", "CodingKeys", "Index "] {
                #expect(!refused.message.contains(word), "\(refused.message)")
            }
        }
    }
}
