/// Turns rtpengine's captures of a call (one per stretch between a start and a stop, so a hold
/// leaves a gap) into one WAV file: 8 kHz, 16 bits, two channels, the caller on the first (left)
/// and the agent on the second (right). A player mixes them; per-side analysis reads them apart.
///
/// rtpengine captures what it *receives*, so each side is the audio that side sent: packets to
/// rtpengine's carrier-facing port are the caller's, all others the agent's. Packets are placed
/// by their RTP timestamps (so network jitter does not smear the audio), anchored to their arrival
/// time whenever the two drift apart by more than half a second (a new SSRC, a sender's jump).
struct RecordingMixer {
    static let sampleRate = 8000
    /// A recording longer than this is cut there: a hostile timestamp must not allocate without end.
    static let maximumSeconds = 6 * 3600

    /// What came out of the captures.
    struct Result: Sendable {
        var wav: [UInt8]
        var seconds: Double
        /// Audio packets decoded from the caller and from the agent.
        var callerPackets: Int
        var agentPackets: Int
        /// Packets whose payload type is not G.711 (telephone events, comfort noise, other codecs).
        var skippedPackets: Int
    }

    /// The captures' audio as one WAV; `callerPort` is rtpengine's carrier-facing port (the `m=`
    /// port of the SDP the carrier got).
    static func mix(captures: [PcapCapture], callerPort: Int) throws(RecordingError) -> Result {
        let datagrams = captures.flatMap(\.datagrams)
        guard let origin = datagrams.map(\.microseconds).min() else {
            throw RecordingError("rtpengine captured no audio packets for this call")
        }
        var channels: [[Int32]] = [[], []]
        var anchors: [StreamKey: Anchor] = [:]
        var counts = [0, 0]
        var skipped = 0
        let limit = maximumSeconds * sampleRate
        for datagram in datagrams {
            guard let packet = RTPPacket(datagram.payload) else { continue }
            guard packet.payloadType == 0 || packet.payloadType == 8 else {
                skipped += 1
                continue
            }
            let side = datagram.destinationPort == callerPort ? 0 : 1
            let arrival = Int((datagram.microseconds - origin) * Int64(sampleRate) / 1_000_000)
            let key = StreamKey(side: side, ssrc: packet.ssrc)
            var position = arrival
            if let anchor = anchors[key] {
                let advanced = anchor.position + Int(Int32(bitPattern: packet.timestamp &- anchor.timestamp))
                if abs(advanced - arrival) <= sampleRate / 2 { position = advanced } else { anchors[key] = Anchor(position: arrival, timestamp: packet.timestamp) }
            } else {
                anchors[key] = Anchor(position: arrival, timestamp: packet.timestamp)
            }
            guard position >= 0, position + packet.payload.count <= limit else { continue }
            let table = packet.payloadType == 0 ? G711.ulawTable : G711.alawTable
            if channels[side].count < position + packet.payload.count {
                channels[side].append(contentsOf: repeatElement(0, count: position + packet.payload.count - channels[side].count))
            }
            var index = position
            for byte in packet.payload {
                channels[side][index] = Int32(table[Int(byte)])
                index += 1
            }
            counts[side] += 1
        }
        guard counts[0] + counts[1] > 0 else {
            throw RecordingError("rtpengine captured \(datagrams.count) packets but none was G.711 audio")
        }
        let frames = max(channels[0].count, channels[1].count)
        return Result(
            wav: WAVFile.stereo16(left: channels[0], right: channels[1], frames: frames, sampleRate: sampleRate),
            seconds: Double(frames) / Double(sampleRate), callerPackets: counts[0], agentPackets: counts[1], skippedPackets: skipped)
    }

    private struct StreamKey: Hashable {
        var side: Int
        var ssrc: UInt32
    }

    private struct Anchor {
        var position: Int
        var timestamp: UInt32
    }
}

/// The parts of an RTP packet (RFC 3550) the mixer needs; nil for RTCP and anything else.
struct RTPPacket {
    var payloadType: UInt8
    var timestamp: UInt32
    var ssrc: UInt32
    var payload: ArraySlice<UInt8>

    init?(_ bytes: ArraySlice<UInt8>) {
        let b = Array(bytes.prefix(12))
        guard b.count == 12, b[0] >> 6 == 2 else { return nil }
        payloadType = b[1] & 0x7F
        // RTCP multiplexed on the RTP port (RFC 5761): packet types 200-204 read as 72-76 here.
        if (72...76).contains(payloadType) { return nil }
        timestamp = UInt32(b[4]) << 24 | UInt32(b[5]) << 16 | UInt32(b[6]) << 8 | UInt32(b[7])
        ssrc = UInt32(b[8]) << 24 | UInt32(b[9]) << 16 | UInt32(b[10]) << 8 | UInt32(b[11])
        var start = bytes.startIndex + 12 + Int(b[0] & 0x0F) * 4
        if b[0] & 0x10 != 0 {
            guard start + 4 <= bytes.endIndex else { return nil }
            start += 4 + (Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])) * 4
        }
        var end = bytes.endIndex
        if b[0] & 0x20 != 0, let padding = bytes.last { end -= Int(padding) }
        guard start <= end else { return nil }
        payload = bytes[start..<end]
    }
}

/// Writing WAV (RIFF, PCM) files.
enum WAVFile {
    /// Two channels of 16-bit samples, interleaved; the shorter channel is padded with silence.
    static func stereo16(left: [Int32], right: [Int32], frames: Int, sampleRate: Int) -> [UInt8] {
        let dataBytes = frames * 4
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataBytes)
        func put32(_ value: Int) { for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((value >> shift) & 0xFF)) } }
        func put16(_ value: Int) { out.append(UInt8(value & 0xFF)); out.append(UInt8((value >> 8) & 0xFF)) }
        out += Array("RIFF".utf8); put32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); put32(16); put16(1); put16(2); put32(sampleRate); put32(sampleRate * 4); put16(4); put16(16)
        out += Array("data".utf8); put32(dataBytes)
        for frame in 0..<frames {
            put16(Int(frame < left.count ? left[frame] : 0))
            put16(Int(frame < right.count ? right[frame] : 0))
        }
        return out
    }
}
