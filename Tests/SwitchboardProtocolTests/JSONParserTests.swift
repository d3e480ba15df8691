import Foundation
import SwitchboardProtocol
import Testing

/// ``JSONParser`` against Foundation's `JSONDecoder`, which frames were parsed with before: the
/// same values for the same text, the same texts refused, and nesting limited the same way.
@Suite("JSON parser")
struct JSONParserTests {
    /// What Foundation's decoder makes of `text` (nil: it refuses it).
    private static func foundation(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    private static func parsed(_ text: String) -> JSONValue? {
        try? JSONParser.parse(Data(text.utf8))
    }

    static let valid = [
        #"{"v":1,"type":"hello","token":"tk-1","resumeFrom":41}"#,
        #"  {"a" : [1, -2, 3.5, -0.25, 1e3, 2E-2, 0, -0, 9223372036854775807, -9223372036854775808] , "b":true,"c":false,"d":null}  "#,
        #"{"big":18446744073709551616,"tiny":1e-300,"exp":1.5e300}"#,
        #"{"s":"plain","e":"quote \" backslash \\ slash \/ \b\f\n\r\t","u":"\u00e9\u4e2d\ud83d\ude00","raw":"中文 and emoji 😀"}"#,
        #"[]"#, #"{}"#, #"[[[[]]]]"#, #"[{"a":{"b":[{"c":null}]}}]"#, #""just a string""#, "42", "-7.5", "true", "null",
        #"{"dup":1,"dup":2}"#, "[1,]", #"{"a":1,}"#, "[1 , ]",
        "{\"ws\":\t[\r\n1 ,\n2\n]\r}",
    ]

    @Test(arguments: valid)
    func readsWhatFoundationReads(_ text: String) throws {
        let expected = try #require(Self.foundation(text), "Foundation refused \(text)")
        #expect(Self.parsed(text) == expected, "\(text)")
    }

    static let malformed = [
        "", "   ", "{", "}", "[,1]", "[1,,]", "[,]", #"{,}"#, #"{"a":1,,}"#, #"{"a" 1}"#, #"{a:1}"#, "{'a':1}", "[1 2]", "01", "1.", ".5", "-", "+1",
        "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "True", #""unterminated"#, #""bad \x escape""#,
        #""\u12""#, #""\uZZZZ""#, #""lone \ud800 high""#, #""lone \udc00 low""#, "\"control \u{01} char\"", "\"tab\tinside\"",
        "[1] extra", "{} {}", "1e400", "-1e400",
    ]

    @Test(arguments: malformed)
    func refusesWhatFoundationRefuses(_ text: String) {
        #expect(Self.foundation(text) == nil, "Foundation read \(text.debugDescription)")
        #expect(Self.parsed(text) == nil, "read \(text.debugDescription)")
    }

    @Test func refusesInvalidUTF8() {
        let bytes = Data([UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")])
        #expect((try? JSONDecoder().decode(JSONValue.self, from: bytes)) == nil)
        #expect((try? JSONParser.parse(bytes)) == nil)
    }

    /// Nesting is limited, so a frame of brackets cannot exhaust the stack; what stays within the
    /// limit is read.
    @Test func nestingIsLimited() throws {
        let deep = JSONParser.maximumDepth
        let within = String(repeating: "[", count: deep) + String(repeating: "]", count: deep)
        #expect(Self.parsed(within) != nil)
        let beyond = String(repeating: "[", count: deep + 1) + String(repeating: "]", count: deep + 1)
        #expect(Self.parsed(beyond) == nil)
        let hostile = String(repeating: "[", count: 60_000)
        #expect(Self.parsed(hostile) == nil)
    }

    /// Random documents, written by Foundation's encoder, read back the same by both.
    @Test func randomDocumentsReadAlike() throws {
        var generator = FuzzTests.Generator(state: 19)
        for _ in 0..<500 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
            let expected = try #require(Self.foundation(text))
            #expect(Self.parsed(text) == expected, "\(text)")
        }
    }

    static func randomValue(depth: Int, using generator: inout FuzzTests.Generator) -> JSONValue {
        let kind = Int.random(in: depth > 3 ? 0...5 : 0...7, using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &generator))
        case 3: return .number(Double.random(in: -1e9...1e9, using: &generator))
        case 4, 5:
            let scalars: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "é", "中", "😀", "\u{7F}"]
            return .string(String((0..<Int.random(in: 0...12, using: &generator)).map { _ in scalars.randomElement(using: &generator)! }))
        case 6:
            return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0...4, using: &generator) { members["k\(index)"] = randomValue(depth: depth + 1, using: &generator) }
            return .object(members)
        }
    }
}
