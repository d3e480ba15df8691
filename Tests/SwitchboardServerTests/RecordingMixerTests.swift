import Foundation
import Logging
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// The parts of recording that need no processes: rtpengine's captures to WAV, the library's
/// failure records, byte ranges and CSV cells.
@Suite("Recording conversion")
struct RecordingMixerTests {
    /// A raw-IP pcap (rtpengine's `--recording-format=raw`) of `packets` 20 ms PCMU packets sent
    /// to `port`, starting `start` seconds in, each filled with a square wave of `amplitude`.
    static func capture(to port: Int, start: Double, packets: Int, amplitude: Int, ssrc: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        func put32(_ v: UInt32) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        func put16(_ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        put32(0xa1b2_c3d4); put16(2); put16(4); put32(0); put32(0); put32(65535); put32(101)
        for index in 0..<packets {
            let timestamp = UInt32(index * 160)
            var rtp: [UInt8] = [0x80, 0, 0, UInt8(index & 0xFF)]
            rtp += [UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF), 0, 0, 0, ssrc]
            rtp += (0..<160).map { RecordingProbe.ulaw($0 % 20 < 10 ? amplitude : -amplitude) }
            let udpLength = 8 + rtp.count
            var packet: [UInt8] = [0x45, 0, UInt8((20 + udpLength) >> 8), UInt8((20 + udpLength) & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]
            packet += [0x9C, 0x40, UInt8(port >> 8), UInt8(port & 0xFF), UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0] + rtp
            let microseconds = Int(start * 1_000_000) + index * 20_000
            put32(UInt32(1_800_000_000 + microseconds / 1_000_000)); put32(UInt32(microseconds % 1_000_000))
            put32(UInt32(packet.count)); put32(UInt32(packet.count))
            out += packet
        }
        return out
    }

    /// Captures written as files in a temporary folder (removed after `body`), as rtpengine leaves them.
    static func withCaptures<T>(_ captures: [[UInt8]], _ body: ([String], String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("captures-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var paths: [String] = []
        for (index, capture) in captures.enumerated() {
            let path = folder + "/segment-\(index + 1).pcap"
            try Data(capture).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return try body(paths, folder + "/recording.wav")
    }

    @Test func capturesBecomeTwoChannelsWithTheHoldAsSilence() throws {
        // First stretch: caller and agent both talk for 1 s; a hold of 1 s; then 1 s more of both.
        // Each file holds the caller's packets, then the agent's: not in arrival order.
        let before = Self.capture(to: 30000, start: 0, packets: 50, amplitude: 4000, ssrc: 1)
            + Array(Self.capture(to: 30002, start: 0, packets: 50, amplitude: 2000, ssrc: 2).dropFirst(24))
        let after = Self.capture(to: 30000, start: 2, packets: 50, amplitude: 4000, ssrc: 1)
            + Array(Self.capture(to: 30002, start: 2, packets: 50, amplitude: 2000, ssrc: 2).dropFirst(24))
        let (result, wav) = try Self.withCaptures([before, after]) { paths, output in
            let result = try RecordingMixer.mix(captures: paths, callerPort: 30000, into: output)
            #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
            return (result, [UInt8](try Data(contentsOf: URL(fileURLWithPath: output))))
        }
        #expect(result.callerPackets == 100 && result.agentPackets == 100)
        #expect(abs(result.seconds - 3) < 0.05, "\(result.seconds)")
        #expect(result.bytes == wav.count)
        let (rate, channels) = try RecordingProbe.energy(ofWAV: wav, windowMilliseconds: 500)
        #expect(rate == 8000)
        let caller = channels[0].map { Int($0) }
        let agent = channels[1].map { Int($0) }
        // 500 ms windows: talk, talk, hold, hold, talk, talk; each side at its own level.
        #expect(caller.count == 6 && caller[2] == 0 && caller[3] == 0 && [0, 1, 4, 5].allSatisfy { abs(caller[$0] - 4000) < 400 }, "\(caller)")
        #expect([0, 1, 4, 5].allSatisfy { abs(agent[$0] - 2000) < 200 } && agent[2] == 0, "\(agent)")
    }

    @Test func whatIsNotACaptureOrHasNoAudioIsRefusedSayingWhy() throws {
        try Self.withCaptures([Array("not a pcap file at all, no".utf8)]) { paths, output in
            #expect(throws: RecordingError.self) { try RecordingMixer.mix(captures: paths, callerPort: 1, into: output) }
            #expect(!FileManager.default.fileExists(atPath: output) && !FileManager.default.fileExists(atPath: output + ".partial"))
        }
        try Self.withCaptures([Self.capture(to: 1, start: 0, packets: 0, amplitude: 0, ssrc: 0)]) { paths, output in
            do {
                _ = try RecordingMixer.mix(captures: paths, callerPort: 1, into: output)
                Issue.record("a capture without packets made a recording")
            } catch {
                #expect("\(error)".contains("no audio packets"), "\(error)")
            }
        }
    }

    @Test func aRecordingWithNothingCapturedIsMarkedFailedNotLost() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recordings-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let library = try RecordingLibrary(dataDirectory: directory, logger: Logger(label: "test"))
        try library.begin(SessionID("s-1"), callId: "abc@host", callerPort: 30000, at: 1000)
        library.finish(SessionID("s-1"), at: 5000)
        let entry = try #require(library.entry(of: SessionID("s-1")))
        #expect(entry.status == .failed && entry.reason?.contains("no capture") == true && entry.endedAt == 5000, "\(entry)")
        #expect(library.removeEnded(before: 4000).isEmpty)
        #expect(library.removeEnded(before: 6000) == ["s-1"] && library.entry(of: SessionID("s-1")) == nil)
        #expect(library.folder(of: SessionID("../etc")) == nil && library.folder(of: SessionID("a/b")) == nil)
        #expect(RecordingLibrary.escaped("ab@c d") == "ab%40c%20d")
        #expect(RecordingLibrary.isCapture("ab%40c%20d-acb7abb7cbf75eac.pcap", prefix: "ab%40c%20d-"))
        #expect(!RecordingLibrary.isCapture("ab%40c%20d-x-acb7abb7cbf75eac.pcap", prefix: "ab%40c%20d-"))
    }

    @Test func rangesAsBrowsersSendThem() {
        #expect(ByteRange(header: nil, size: 100) == .whole)
        #expect(ByteRange(header: "bytes=0-9", size: 100) == .partial(0...9))
        #expect(ByteRange(header: "bytes=90-200", size: 100) == .partial(90...99))
        #expect(ByteRange(header: "bytes=50-", size: 100) == .partial(50...99))
        #expect(ByteRange(header: "bytes=-10", size: 100) == .partial(90...99))
        #expect(ByteRange(header: "bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=0-1,5-6", size: 100) == .whole)
        #expect(ByteRange(header: "items=0-1", size: 100) == .whole)
        #expect(ByteRange(header: "bytes=9-2", size: 100) == .whole)
    }

    @Test func csvCellsAreQuotedAndFormulasDefused() {
        #expect(SessionCSV.cell("plain") == "plain")
        #expect(SessionCSV.cell("+4930100") == "'+4930100")
        #expect(SessionCSV.cell("=1+1") == "'=1+1" && SessionCSV.cell("-2") == "'-2" && SessionCSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(SessionCSV.cell("a,b") == "\"a,b\"" && SessionCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(SessionCSV.cell("=a,\"b\"") == "\"'=a,\"\"b\"\"\"")
        #expect(SessionCSV.time("2026-11-30") == Timestamp(milliseconds: 1_795_996_800_000))
        #expect(SessionCSV.time("1700000000000")?.milliseconds == 1_700_000_000_000 && SessionCSV.time("soon") == nil)
    }
}
