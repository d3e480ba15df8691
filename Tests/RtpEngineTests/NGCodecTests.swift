import Testing

@testable import RtpEngine

@Suite("ng codec: bencode and JSON")
struct NGCodecTests {
    static let sample: NGValue = [
        "command": "offer",
        "call-id": "a84b4c76e66710",
        "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n",
        "flags": ["trust address", "generate mid"],
        "codec": ["strip": ["all"], "except": ["PCMU", "telephone-event/8000"]],
        "repeat-times": 3,
        "negative": -42,
        "empty-list": [],
        "empty-dictionary": .dictionary([:]),
        "unicode": "Zoë — 电话 📞",
    ]

    @Test("rtpengine's documented ping encodes and decodes byte for byte")
    func documentedPing() throws {
        let ping: NGValue = ["command": "ping"]
        #expect(ping.bencoded() == Array("d7:command4:pinge".utf8))
        #expect(try NGValue(bencoded: Array("d6:result4:ponge".utf8)) == ["result": "pong"])
        let message = try NGMessage(datagram: Array("5323_1 d6:result4:ponge".utf8))
        #expect(message.cookie == "5323_1")
        #expect(message.document["result"]?.string == "pong")
        #expect(NGMessage(cookie: "5323_1", document: ping).encoded() == Array("5323_1 d7:command4:pinge".utf8))
    }

    @Test("bencode sorts keys, so an encoding is deterministic")
    func bencodeKeyOrder() {
        let value: NGValue = ["b": 1, "a": ["x", 2], "c": "z"]
        #expect(String(decoding: value.bencoded(), as: UTF8.self) == "d1:al1:xi2ee1:bi1e1:c1:ze")
    }

    @Test("bencode round trips every kind of value, binary strings included")
    func bencodeRoundTrip() throws {
        #expect(try NGValue(bencoded: Self.sample.bencoded()) == Self.sample)
        let binary = NGValue.bytes([0, 255, 32, 58, 101, 0xC3])
        #expect(try NGValue(bencoded: binary.bencoded()) == binary)
        #expect(try NGValue(bencoded: NGValue.integer(.min).bencoded()) == .integer(.min))
        #expect(try NGValue(bencoded: NGValue.integer(.max).bencoded()) == .integer(.max))
    }

    @Test("JSON round trips, with escapes and non-ASCII text")
    func jsonRoundTrip() throws {
        #expect(try NGValue(json: Self.sample.jsonEncoded()) == Self.sample)
        let tricky: NGValue = ["quote": "say \"hi\"\\ \u{01}\t\n", "list": [1, "two", ["three": 3]]]
        #expect(try NGValue(json: tricky.jsonEncoded()) == tricky)
    }

    @Test("JSON as rtpengine writes it: whitespace, escapes, surrogate pairs, booleans, fractions")
    func jsonForeignForms() throws {
        let text = #" { "a" : [ true , false, null ], "b": "\u00e9\ud83d\udcde\/", "c": 0.5, "d": -3, "e": 1e3 } "#
        let value = try NGValue(json: Array(text.utf8))
        #expect(value["a"] == [1, 0, .bytes([])])
        #expect(value["b"]?.string == "é📞/")
        #expect(value["c"]?.string == "0.5")
        #expect(value["d"]?.integer == -3)
        #expect(value["e"]?.string == "1e3")
    }

    @Test("a document is read in whichever encoding it arrives in")
    func eitherEncoding() throws {
        #expect(try NGMessage(datagram: Array(#"abc2 {"result":"pong"}"#.utf8)).document == ["result": "pong"])
        #expect(try NGMessage(datagram: Array("abc1 d6:result4:ponge".utf8)).document == ["result": "pong"])
        #expect(NGMessage(cookie: "k", document: ["command": "ping"]).encoded(as: .json) == Array(#"k {"command":"ping"}"#.utf8))
    }

    @Test("numbers written as text are read as integers")
    func integerText() {
        #expect(NGValue.string("18").integer == 18)
        #expect(NGValue.string("x").integer == nil)
    }

    @Test(
        "hostile bencode is refused with an error, never a crash",
        arguments: [
            "", "d", "l", "i", "ie", "i-e", "i12", "i1x2e", "i99999999999999999999e", "5:abc", "99999999999:abc",
            "-1:a", "1a", "d1:ae", "di1e1:ae", "d3:key", "d7:command4:pinge trailing", "x", "e", ":", "l" + "l",
            "d7:command4:ping", "i-9223372036854775809e", "3:abcd",
        ]
    )
    func hostileBencode(_ text: String) {
        #expect(throws: NGDecodingError.self) { try NGValue(bencoded: Array(text.utf8)) }
    }

    @Test(
        "hostile JSON is refused with an error, never a crash",
        arguments: [
            "", "{", "[", "{\"a\"", "{\"a\":", "{\"a\":1,}", "[1,]", "\"abc", "\"\\u12\"", "\"\\x\"", "tru", "nul", "{1:2}",
            "{\"a\":1}x", "-", "1.2.3e", "99999999999999999999", "{\"a\" 1}", "[1 2]", "\"\\",
        ]
    )
    func hostileJSON(_ text: String) {
        #expect(throws: NGDecodingError.self) { try NGValue(json: Array(text.utf8)) }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func deepNesting() {
        let depth = 100_000
        #expect(throws: NGDecodingError.self) { try NGValue(bencoded: Array(repeating: UInt8(ascii: "l"), count: depth) + Array(repeating: UInt8(ascii: "e"), count: depth)) }
        #expect(throws: NGDecodingError.self) { try NGValue(json: Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)) }
    }

    @Test("a datagram without a cookie is refused")
    func noCookie() {
        #expect(throws: NGDecodingError.self) { try NGMessage(datagram: Array("d6:result4:ponge".utf8)) }
        #expect(throws: NGDecodingError.self) { try NGMessage(datagram: Array(" d6:result4:ponge".utf8)) }
        #expect(throws: NGDecodingError.self) { try NGMessage(datagram: Array("cookie garbage".utf8)) }
    }

    @Test("random and mutated input never crashes the decoders")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let seeds = [Self.sample.bencoded(), Self.sample.jsonEncoded()]
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = seeds[round % 4 / 2]
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: index)
                    default: bytes = Array(bytes[..<index])
                    }
                    if bytes.isEmpty { break }
                }
            } else {
                bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in
                    "dlie:0123456789{}[]\",-tfn\\u".utf8.randomElement(using: &generator)!
                }
            }
            _ = try? NGValue(bencoded: bytes)
            _ = try? NGValue(json: bytes)
            _ = try? NGMessage(datagram: Array("c ".utf8) + bytes)
        }
    }
}
