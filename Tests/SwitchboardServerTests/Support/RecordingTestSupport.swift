import Foundation
import HTTPTypes
import NIOCore
import SwitchboardTestSupport

/// Test helpers for call recordings: a tone as a pcap sipp can play as the caller's audio, the
/// energy of a WAV's channels over time, and raw downloads with a `Range` header.
enum RecordingProbe {
    /// A pcap (Ethernet, IPv4, UDP, RTP) of `seconds` of a 440 Hz tone in PCMU, 20 ms a packet,
    /// for sipp's `play_pcap_audio` (sipp rewrites the addresses and keeps the timing).
    static func tonePcap(seconds: Int) -> [UInt8] {
        var out: [UInt8] = []
        func put32(_ v: UInt32) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        func put16(_ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        put32(0xa1b2_c3d4); put16(2); put16(4); put32(0); put32(0); put32(65535); put32(1)
        for index in 0..<(seconds * 50) {
            var rtp: [UInt8] = [0x80, 0, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)]
            let timestamp = UInt32(index * 160)
            rtp += [UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF)]
            rtp += [0x12, 0x34, 0x56, 0x78]
            for sample in 0..<160 {
                let t = Double(index * 160 + sample) / 8000
                rtp.append(ulaw(Int(sin(2 * .pi * 440 * t) * 8000)))
            }
            let udpLength = 8 + rtp.count
            let ipLength = 20 + udpLength
            var frame: [UInt8] = Array(repeating: 0, count: 12) + [0x08, 0x00]
            frame += [0x45, 0, UInt8(ipLength >> 8), UInt8(ipLength & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]
            frame += [0x1F, 0x40, 0x1F, 0x42, UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0] + rtp
            let microseconds = index * 20_000
            put32(UInt32(1_700_000_000 + microseconds / 1_000_000)); put32(UInt32(microseconds % 1_000_000))
            put32(UInt32(frame.count)); put32(UInt32(frame.count))
            out += frame
        }
        return out
    }

    /// G.711 μ-law encoding of a 16-bit sample.
    static func ulaw(_ sample: Int) -> UInt8 {
        let bias = 0x84
        var value = min(abs(sample), 32635) + bias
        let sign: UInt8 = sample < 0 ? 0x80 : 0
        var exponent = 7
        var mask = 0x4000
        while exponent > 0 && value & mask == 0 { exponent -= 1; mask >>= 1 }
        let mantissa = (value >> (exponent + 3)) & 0x0F
        value = 0
        return ~(sign | UInt8(exponent << 4) | UInt8(mantissa))
    }

    /// A 16-bit PCM WAV's channels' RMS energy per window of `milliseconds`.
    static func energy(ofWAV bytes: [UInt8], windowMilliseconds: Int = 250) throws -> (rate: Int, channels: [[Double]]) {
        guard bytes.count >= 44, String(decoding: bytes[0..<4], as: UTF8.self) == "RIFF", String(decoding: bytes[8..<12], as: UTF8.self) == "WAVE" else {
            throw TestFailure("not a WAV file")
        }
        let channels = Int(bytes[22]) | Int(bytes[23]) << 8
        let rate = Int(bytes[24]) | Int(bytes[25]) << 8 | Int(bytes[26]) << 16
        let bits = Int(bytes[34]) | Int(bytes[35]) << 8
        guard bits == 16, String(decoding: bytes[36..<40], as: UTF8.self) == "data" else { throw TestFailure("not 16-bit PCM with a plain header") }
        let frames = (bytes.count - 44) / (2 * channels)
        let window = rate * windowMilliseconds / 1000
        var result = Array(repeating: [Double](), count: channels)
        var start = 0
        while start + window <= frames {
            for channel in 0..<channels {
                var sum = 0.0
                for frame in start..<(start + window) {
                    let offset = 44 + (frame * channels + channel) * 2
                    let sample = Double(Int16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8))
                    sum += sample * sample
                }
                result[channel].append((sum / Double(window)).squareRoot())
            }
            start += window
        }
        return (rate, result)
    }
}

extension TestServer {
    /// A raw admin GET (bytes, not JSON), with an optional `Range` header.
    func download(_ path: String, range: String? = nil, bearer: String? = TestServer.adminKey) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, bytes: [UInt8]) {
        var headers: HTTPFields = [:]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if let range { headers[.range] = range }
        return try await client.execute(uri: path, method: .get, headers: headers, body: nil) { response in
            (response.status, response.headers, Array(response.body.readableBytesView))
        }
    }
}

/// Reads CSV with Python's `csv` module (what a reporting script would use), one dictionary a row.
func parseCSVWithPython(_ text: String) throws -> [[String: String]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import csv, io, json, sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))))"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let rows = try JSONSerialization.jsonObject(with: data) as? [[String: String]] else {
        throw TestFailure("python3's csv module could not read the export (exit \(process.terminationStatus))")
    }
    return rows
}
