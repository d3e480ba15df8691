import Foundation
import SwitchboardProtocol

// Encodes the frames a routed im session sends, the way the server sends them, with Foundation's
// JSONEncoder (the wire options) and with WireEncoder, and prints the time per frame of each
// (docs/benchmarks.md, "Issue 19, third round"). Both must write the same text; it checks that first.
//
//   swift build -c release --product frame-benchmark && .build/release/frame-benchmark [ROUNDS] [wire|json]
//
// With `wire` or `json`, only that encoder runs: to profile it alone, or to count its instructions
// (`perf stat -e instructions:u`), which a shared machine does not disturb as it does the clock.

let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let only = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : nil

var callIn = CallIn(sessionId: "s-8f3a2c", type: .im, timeout: 20)
callIn.nickname = "Ann Example"
callIn.peerSource = "website"
callIn.channelName = "Support chat"
callIn.clientData = #"{"order":"A-1042","plan":"pro"}"#
callIn.userId = "visitor-77"
let message = ChatMessage(messageId: "m-1234", from: .customer, text: "Hello, my order A-1042 has not arrived yet / can you help?", sentAt: 1_764_590_000_123)
let agentFrames: [AgentServerFrame] = [
    .event(seq: 41, .callIn(callIn)),
    .response(.success(id: "r-17")),
    .event(seq: 42, .message(SessionMessage(sessionId: "s-8f3a2c", message: message))),
    .event(seq: 43, .statusChanged(StatusChanged(status: .busy, cause: .sessionAccepted))),
    .event(seq: 44, .sessionEnded(SessionEnded(sessionId: "s-8f3a2c", closeBy: .seat))),
]
let customerFrames: [CustomerServerFrame] = [
    .started(sessionId: "s-8f3a2c", secret: "3q2+7w9aZb0cXy1"),
    .agentJoined(nickname: "Grace"),
    .message(message),
    .ended(closeBy: .seat),
]

let foundation = JSONEncoder()
foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

func check<F: ProtocolFrame>(_ frames: [F]) throws {
    for frame in frames where try foundation.encode(frame) != Data(frame.encodedText().utf8) {
        fatalError("WireEncoder and JSONEncoder disagree on \(frame)")
    }
}
try check(agentFrames)
try check(customerFrames)

func measure(_ name: String, _ body: () throws -> Int) rethrows {
    let clock = ContinuousClock()
    var bytes = 0
    let elapsed = try clock.measure { bytes = try body() }
    let frames = rounds * (agentFrames.count + customerFrames.count)
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    print("\(name): \(String(format: "%.0f", nanoseconds / Double(frames))) ns per frame (\(frames) frames, \(bytes / frames) bytes each)")
}

for _ in 0..<2 {
    if only != "wire" { try measure("JSONEncoder") {
        var bytes = 0
        for _ in 0..<rounds {
            for frame in agentFrames { bytes += String(decoding: try foundation.encode(frame), as: UTF8.self).utf8.count }
            for frame in customerFrames { bytes += String(decoding: try foundation.encode(frame), as: UTF8.self).utf8.count }
        }
        return bytes
    } }
    if only != "json" { measure("WireEncoder") {
        var bytes = 0
        for _ in 0..<rounds {
            for frame in agentFrames { bytes += frame.encodedText().utf8.count }
            for frame in customerFrames { bytes += frame.encodedText().utf8.count }
        }
        return bytes
    } }
}
