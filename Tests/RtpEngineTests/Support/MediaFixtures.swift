import Foundation
import NIOCore
import NIOPosix

@testable import RtpEngine

/// Building blocks for tests that drive a real rtpengine: ports, SDP, RTP, a WAV file.
enum MediaFixtures {
    /// A UDP port nothing listens on right now (bound, read, released).
    static func freeUDPPort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    /// A block of 100 media ports, chosen at random so parallel test runs rarely share one.
    static func mediaPorts() -> ClosedRange<Int> {
        let base = Int.random(in: 200...590) * 100
        return base...(base + 99)
    }

    /// A fresh empty directory for a pid file and log.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "rtpengine-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The configuration for an rtpengine on the loopback for one test.
    static func configuration(stateDirectory: String, dtmfLogPort: Int? = nil) async throws -> RtpEngineProcess.Configuration {
        var configuration = RtpEngineProcess.Configuration(stateDirectory: stateDirectory)
        configuration.ngPort = try await freeUDPPort()
        configuration.mediaPorts = mediaPorts()
        configuration.dtmfLogPort = dtmfLogPort
        return configuration
    }

    /// A plain-RTP G.711 offer or answer for a peer at 127.0.0.1:`port`, with RFC 4733 events.
    static func plainSDP(port: Int, session: Int = 1) -> String {
        [
            "v=0", "o=- \(session) 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
            "m=audio \(port) RTP/AVP 0 8 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendrecv", "",
        ].joined(separator: "\r\n")
    }

    /// A WebRTC-style offer as a browser makes it: ICE credentials and a host candidate, a DTLS
    /// fingerprint, rtcp-mux, a mid, Opus and G.711.
    static func browserOfferSDP(port: Int) -> String {
        [
            "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
            "a=msid-semantic: WMS stream", "m=audio \(port) UDP/TLS/RTP/SAVPF 111 0 8 126", "c=IN IP4 127.0.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0", "a=candidate:1 1 udp 2122260223 127.0.0.1 \(port) typ host generation 0",
            "a=ice-ufrag:Wn4x", "a=ice-pwd:BvHaMXvdvSQ5N1y9k9cMYv4R", "a=ice-options:trickle",
            "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F",
            "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:126 telephone-event/8000", "a=ssrc:1001 cname:browser", "",
        ].joined(separator: "\r\n")
    }

    /// The port of the first `m=audio` line.
    static func audioPort(in sdp: String) -> Int? {
        for line in sdp.split(whereSeparator: \.isNewline) where line.hasPrefix("m=audio ") {
            return Int(line.split(separator: " ")[1])
        }
        return nil
    }

    /// A 172-byte RTP datagram: 12-byte header, 20 ms of PCMU silence.
    static func pcmuPacket(sequence: UInt16, timestamp: UInt32, ssrc: UInt32) -> [UInt8] {
        header(payloadType: 0, sequence: sequence, timestamp: timestamp, ssrc: ssrc) + Array(repeating: 0xFF, count: 160)
    }

    /// An RFC 4733 telephone-event packet (payload type 101).
    static func telephoneEventPacket(event: UInt8, end: Bool, marker: Bool, duration: UInt16, sequence: UInt16, timestamp: UInt32, ssrc: UInt32) -> [UInt8] {
        header(payloadType: 101, marker: marker, sequence: sequence, timestamp: timestamp, ssrc: ssrc)
            + [event, (end ? 0x80 : 0) | 10, UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }

    /// The payload type of an RTP datagram.
    static func payloadType(of packet: [UInt8]) -> UInt8? {
        packet.count >= 12 && packet[0] >> 6 == 2 ? packet[1] & 0x7F : nil
    }

    private static func header(payloadType: UInt8, marker: Bool = false, sequence: UInt16, timestamp: UInt32, ssrc: UInt32) -> [UInt8] {
        [0x80, (marker ? 0x80 : 0) | payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
            + withUnsafeBytes(of: timestamp.bigEndian, Array.init)
            + withUnsafeBytes(of: ssrc.bigEndian, Array.init)
    }

    /// Writes a mono 16-bit 8 kHz WAV of a 440 Hz tone (Debian ships no sample audio for rtpengine).
    static func writeToneWAV(to path: String, seconds: Double = 1) throws {
        let sampleRate = 8000
        let samples = (0..<Int(Double(sampleRate) * seconds)).map { index -> Int16 in
            Int16(8000 * sin(2 * Double.pi * 440 * Double(index) / Double(sampleRate)))
        }
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let payloadBytes = samples.count * 2
        data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + payloadBytes)); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(sampleRate)); append(UInt32(sampleRate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(UInt32(payloadBytes))
        for sample in samples { append(sample) }
        try data.write(to: URL(fileURLWithPath: path))
    }
}

/// Sends RTP from one peer to an rtpengine port, 20 ms apart, as a phone would.
struct RTPSender {
    let peer: UDPPeer
    let port: Int
    var sequence: UInt16 = 1
    var timestamp: UInt32 = 0
    let ssrc = UInt32.random(in: 1...UInt32.max)

    init(peer: UDPPeer, toPort port: Int) {
        self.peer = peer
        self.port = port
    }

    mutating func sendAudio(packets: Int) async throws {
        for _ in 0..<packets {
            try await peer.send(MediaFixtures.pcmuPacket(sequence: sequence, timestamp: timestamp, ssrc: ssrc), toPort: port)
            sequence &+= 1
            timestamp &+= 160
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One key press as RFC 4733 events: a start with the marker bit, updates, three end packets.
    mutating func sendDigit(_ event: UInt8) async throws {
        for index in 0..<6 {
            let packet = MediaFixtures.telephoneEventPacket(
                event: event, end: index >= 3, marker: index == 0, duration: UInt16(min(index + 1, 4) * 160),
                sequence: sequence, timestamp: timestamp, ssrc: ssrc
            )
            try await peer.send(packet, toPort: port)
            sequence &+= 1
            try await Task.sleep(for: .milliseconds(20))
        }
        timestamp &+= 4 * 160
    }
}
