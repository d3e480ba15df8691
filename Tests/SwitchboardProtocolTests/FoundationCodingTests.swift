import Foundation
import SwitchboardProtocol
import Testing

/// The frame types are ordinary Codable types: Foundation's coders read and write them too, for
/// code that embeds frames in its own JSON (logs, the REST fallback, fixtures).
@Suite("Foundation coders")
struct FoundationCodingTests {
    @Test func agentServerFramesRoundTripThroughJSONDecoder() throws {
        let frames: [AgentServerFrame] =
            AgentServerFrameTests.events.map { .event(seq: 7, $0.0) }
            + [
                .welcome(AgentWelcome(userId: "7", name: "G", status: .free, sessions: [
                    SessionSummary(callIn: .internal(sessionId: "s", timeout: 3, peerUserId: "8"), state: .ringing),
                ], lastSeq: 7, resumed: false)),
                .response(.success(id: "1", data: ["x": [1, 2.5, nil, true]])),
                .error(ProtocolError(.internalError, "try again")),
            ]
        for frame in frames {
            #expect(try JSONDecoder().decode(AgentServerFrame.self, from: JSONEncoder().encode(frame)) == frame)
        }
    }

    @Test func clientFramesRoundTripThroughJSONDecoder() throws {
        for (call, _) in AgentClientFrameTests.requests {
            let frame = AgentClientFrame.request(AgentRequest(id: "1", call: call))
            #expect(try JSONDecoder().decode(AgentClientFrame.self, from: JSONEncoder().encode(frame)) == frame)
        }
        for (frame, _) in CustomerFrameTests.clientFrames {
            #expect(try JSONDecoder().decode(CustomerClientFrame.self, from: JSONEncoder().encode(frame)) == frame)
        }
    }

    @Test func semanticErrorsAreProtocolErrorsUnderJSONDecoderToo() {
        let text = #"{"v":1,"type":"request","id":"r1","method":"Chat.acept"}"#
        #expect(throws: ProtocolError.self) {
            try JSONDecoder().decode(AgentClientFrame.self, from: Data(text.utf8))
        }
    }
}
