import Foundation
import SwitchboardProtocol
import Testing

/// `WireEncoder` writes what Foundation's `JSONEncoder` (keys sorted, slashes unescaped) writes,
/// byte for byte; every frame test checks it on its frame too (`expectWire`).
@Suite("Wire encoder")
struct WireEncoderTests {
    static func foundation(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.foundationWire.encode(value), as: UTF8.self)
    }

    static func wire(_ value: some Encodable) throws -> String {
        String(decoding: try WireEncoder.encode(value), as: UTF8.self)
    }

    @Test func randomDocumentsAreWrittenAsFoundationWritesThem() throws {
        var generator = FuzzTests.Generator(state: 23)
        for _ in 0..<500 {
            let value = JSONParserTests.randomValue(depth: 0, using: &generator)
            #expect(try Self.wire(value) == Self.foundation(value))
            // The value form is what reading Foundation's text gives.
            #expect(try WireEncoder.value(value) == JSONParser.parse(Self.foundation(value)))
        }
    }

    @Test func keysSortByTheirBytes() throws {
        let members: [String: Int] = ["b": 1, "B": 2, "a": 3, "_x": 4, "Z": 5, "a1": 6, "a10": 7, "a2": 8, "callee": 9, "callId": 10, "é": 11, "f": 12, "a_b": 13, "ab": 14]
        #expect(try Self.wire(members) == Self.foundation(members))
        #expect(try Self.wire(members).hasPrefix(#"{"B":2,"Z":5,"_x":4,"a":3,"a1":6,"a10":7,"a2":8,"a_b":13,"ab":14"#))
    }

    @Test func numbersAreWrittenAsFoundationWritesThem() throws {
        let doubles: [Double] = [1, 1.5, 1e20, 1e-7, 0.1, -0.0, 123_456_789, 1e300, 5e-324, .greatestFiniteMagnitude, 1e16, 0.000123, -2.5e-10]
        #expect(try Self.wire(doubles) == Self.foundation(doubles))
        let floats: [Float] = [1.5, 0.1, 3, -0.25, 1e30]
        #expect(try Self.wire(floats) == Self.foundation(floats))
        let integers: [Int64] = [0, 7, 10, -1, -9, 42, .max, .min, 1_712_345_678_901]
        #expect(try Self.wire(integers) == Self.foundation(integers))
        let unsigned: [UInt64] = [0, 9, .max, UInt64(Int64.max) + 1]
        #expect(try Self.wire(unsigned) == Self.foundation(unsigned))
        let small: [Int8] = [.min, .max]
        #expect(try Self.wire(small) == Self.foundation(small))
        // A double that is not finite cannot be written, as with Foundation; a JSONValue writes null.
        #expect(throws: EncodingError.self) { try WireEncoder.encode([Double.infinity]) }
        #expect(try Self.wire([JSONValue.number(.nan)]) == "[null]")
    }

    @Test func stringsEscapeAsFoundationEscapes() throws {
        var everyControl = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        everyControl += "\"\\/\u{7F}é中😀\u{2028}"
        let strings = ["", "plain", everyControl, "a\"b", "tab\there", "https://x/a.png"]
        #expect(try Self.wire(strings) == Self.foundation(strings))
        #expect(try Self.wire(["\u{1}\u{1F}"]) == #"["\u0001\u001f"]"#)
    }

    /// Containers asked for in every way `Codable` allows, and optionals left out or null.
    struct Nested: Encodable {
        var name = "n"
        var skipped: String? = nil
        var present: Int? = 3

        enum Keys: String, CodingKey { case name, skipped, present, inner, list, parent, explicitNull, floats }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(skipped, forKey: .skipped)
            try container.encodeIfPresent(present, forKey: .present)
            try container.encodeNil(forKey: .explicitNull)
            var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
            try inner.encode(true, forKey: .name)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            try list.encodeNil()
            var deeper = list.nestedContainer(keyedBy: Keys.self)
            try deeper.encode("d", forKey: .name)
            var deepest = list.nestedUnkeyedContainer()
            try deepest.encode(Float(0.5))
            try ["x": 1].encode(to: container.superEncoder(forKey: .parent))
            try Optional<String>.none.encode(to: container.superEncoder())
            // The same encoder asked for its container again adds to the same object; a key
            // encoded again keeps its last value.
            var again = encoder.container(keyedBy: Keys.self)
            try again.encode([1.5, 2], forKey: .floats)
            try again.encode("renamed", forKey: .name)
        }
    }

    @Test func everyKindOfContainer() throws {
        #expect(try Self.wire(Nested()) == Self.foundation(Nested()))
        #expect(try WireEncoder.value(Nested()) == JSONParser.parse(Self.foundation(Nested())))
    }

    /// The types JSONEncoder writes its own way.
    struct Special: Encodable {
        var data = Data([0, 1, 2, 250, 255])
        var url = URL(string: "https://example.com/a/b?c=d")!
        var decimal = Decimal(string: "12.50")!
        var date = Date(timeIntervalSinceReferenceDate: 123.25)
    }

    @Test func dataURLDecimalAndDateAreWrittenAsFoundationWritesThem() throws {
        #expect(try Self.wire(Special()) == Self.foundation(Special()))
    }

    /// A value that encodes nothing is an empty object, as with Foundation.
    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func aValueThatEncodesNothingIsAnEmptyObject() throws {
        #expect(try Self.wire(["a": Silent()]) == Self.foundation(["a": Silent()]))
    }
}
