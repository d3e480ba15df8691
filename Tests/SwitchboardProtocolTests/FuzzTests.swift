import Foundation
import SwitchboardProtocol
import Testing

/// Random and mutated frames thrown at every decoder: each must come back as a frame or a
/// `ProtocolError`, never a crash or another error type. Seeded, so a failure replays.
@Suite("Decoder fuzzing")
struct FuzzTests {
    /// Valid frames to mutate, one per shape the decoders know.
    static let seeds = [
        #"{"v":1,"type":"hello","token":"t","userId":"7","resumeFrom":41}"#,
        #"{"v":1,"type":"request","id":"1","method":"Chat.transfer","params":{"sessionId":"s-1","skillGroupId":"g"}}"#,
        #"{"v":1,"type":"request","id":"2","method":"Chat.getMessages","params":{"sessionId":"s-1","order":"newest","limit":5,"before":"m-9"}}"#,
        #"{"v":1,"type":"request","id":"3","method":"Agent.setStatus","params":{"status":"rest","restReason":"lunch"}}"#,
        #"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Ann","clientData":"x"}"#,
        #"{"v":1,"type":"resume","sessionId":"s-1","secret":"abc","resumeFrom":"m-3"}"#,
        #"{"v":1,"type":"message","text":"hi","clientMessageId":"c-1"}"#,
        #"{"v":1,"type":"event","seq":3,"name":"callIn","data":{"sessionId":"s-1","type":"im","timeout":20,"nickname":"Ann"}}"#,
        #"{"v":1,"type":"welcome","userId":"7","name":"G","status":"free","sessions":[],"lastSeq":0,"resumed":false}"#,
    ]

    /// Alphabet for insertions: JSON's structural characters, quotes, digits, escapes, UTF-8.
    static let alphabet = Array(#"{}[]:,"\ 0123456789.-+eEtrufalsn/\u00é😀"#)

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ text: String, using generator: inout Generator) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !characters.isEmpty: characters.remove(at: Int.random(in: 0..<characters.count, using: &generator))
            case 1: characters.insert(alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...characters.count, using: &generator))
            case 2 where !characters.isEmpty: characters[Int.random(in: 0..<characters.count, using: &generator)] = alphabet.randomElement(using: &generator)!
            default:
                // Swap in a value of another JSON type somewhere after a colon.
                if let colon = characters.indices.filter({ characters[$0] == ":" }).randomElement(using: &generator) {
                    let values = ["null", "true", "[]", "{}", "-1", "1e309", "\"\"", "[1,{}]", "9007199254740993"]
                    characters.insert(contentsOf: Array(values.randomElement(using: &generator)! + ","), at: colon + 1)
                }
            }
        }
        return String(characters)
    }

    func decodeAll(_ text: String) {
        func check<F: ProtocolFrame>(_ type: F.Type) {
            do throws(ProtocolError) {
                let frame = try F.decode(text, maximumSize: 64 * 1024)
                // What decodes must encode and decode to the same frame.
                #expect(try F.decode(frame.encodedText(), maximumSize: 1 << 20) == frame, "\(text)")
                // And encode to exactly what Foundation's encoder writes.
                let foundation = (try? JSONEncoder.foundationWire.encode(frame)).map { String(decoding: $0, as: UTF8.self) }
                #expect(frame.encodedText() == foundation, "\(text)")
            } catch {
                #expect(!error.message.isEmpty, "\(text)")
            }
        }
        check(AgentClientFrame.self)
        check(AgentServerFrame.self)
        check(CustomerClientFrame.self)
        check(CustomerServerFrame.self)
    }

    @Test(arguments: 0..<8)
    func mutatedFramesDecodeOrFailWithAProtocolError(seed: Int) {
        var generator = Generator(state: UInt64(seed) &* 7919)
        for _ in 0..<500 {
            let seed = Self.seeds.randomElement(using: &generator)!
            decodeAll(Self.mutate(seed, using: &generator))
        }
    }

    @Test func randomBytesAndDeepNestingAreRefused() {
        var generator = Generator(state: 42)
        for length in [0, 1, 2, 7, 64, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            decodeAll(String(decoding: bytes, as: UTF8.self))
        }
        decodeAll(String(repeating: "[", count: 10_000))
        decodeAll(#"{"v":1,"type":"request","id":"x","method":"ping","params":"# + String(repeating: #"{"a":"#, count: 5_000) + "1" + String(repeating: "}", count: 5_000) + "}")
    }
}
