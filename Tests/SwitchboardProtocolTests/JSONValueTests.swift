import Foundation
import SwitchboardProtocol
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test func parsesEveryKindExactly() throws {
        let value = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(#"{"a":null,"b":true,"c":1712345678901,"d":1.5,"e":"x","f":[1,"y"],"g":{}}"#.utf8)
        )
        #expect(value == ["a": nil, "b": true, "c": 1_712_345_678_901, "d": 1.5, "e": "x", "f": [1, "y"], "g": [:]])
        #expect(value["c"] == .integer(1_712_345_678_901))
        #expect(value["f"]?[1] == "y")
        #expect(value["missing"] == nil)
    }

    @Test func nonFiniteNumbersEncodeAsNull() throws {
        let data = try JSONEncoder().encode(JSONValue.array([.number(.nan), .number(.infinity), 2.5]))
        #expect(String(decoding: data, as: UTF8.self) == "[null,null,2.5]")
    }

    @Test func encodingATypedValue() throws {
        #expect(try JSONValue(encoding: SentMessage(messageId: "m-1", sentAt: 5)) == ["messageId": "m-1", "sentAt": 5])
    }

    @Test func decodingATypedValueAcceptsWholeNumbersWrittenWithAFraction() throws {
        let value: JSONValue = ["messageId": "m-1", "sentAt": 5.0]
        #expect(try value.decode(as: SentMessage.self) == SentMessage(messageId: "m-1", sentAt: 5))
    }

    @Test func encodedKeysAreSortedSoFramesAreStable() {
        let frame = CustomerServerFrame.ack(clientMessageId: "c-1", messageId: "m-1")
        #expect(frame.encodedText() == #"{"clientMessageId":"c-1","messageId":"m-1","type":"ack","v":1}"#)
    }

    @Test func slashesAreNotEscaped() {
        let frame = CustomerClientFrame.start(ChatStart(skillGroupId: "g", nickname: "A", avatar: "https://x/a.png"))
        #expect(frame.encodedText().contains("https://x/a.png"))
    }
}
