import Foundation

/// Turns rtpengine's captures of a call (one per stretch between a start and a stop, so a hold
/// leaves a gap) into one WAV file: 8 kHz, 16 bits, two channels, the caller on the first (left)
/// and the agent on the second (right). A player mixes them; per-side analysis reads them apart.
///
/// rtpengine captures what it *receives*, so each side is the audio that side sent: packets to
/// rtpengine's carrier-facing port are the caller's, all others the agent's. Packets are placed
/// by their RTP timestamps (so network jitter does not smear the audio), anchored to their arrival
/// time whenever the two drift apart by more than half a second (a new SSRC, a sender's jump).
///
/// The WAV is written straight into its file: each packet's samples land at their place in it
/// (the file grows sparse over silences), so memory stays a few kilobytes however long the call.
struct RecordingMixer {
    static let sampleRate = 8000
    /// A recording longer than this is cut there: a hostile timestamp must not grow a file without end.
    static let maximumSeconds = 6 * 3600

    /// What came out of the captures.
    struct Result: Sendable {
        var bytes: Int
        var seconds: Double
        /// Audio packets decoded from the caller and from the agent.
        var callerPackets: Int
        var agentPackets: Int
        /// Packets whose payload type is not G.711 (telephone events, comfort noise, other codecs).
        var skippedPackets: Int
    }

    /// The captures' audio (in the files at `captures`, in call order) written as one WAV file at
    /// `output`; `callerPort` is rtpengine's carrier-facing port (the `m=` port of the SDP the
    /// carrier got). Nothing is left at `output` when it throws.
    static func mix(captures: [String], callerPort: Int, into output: String) throws(RecordingError) -> Result {
        guard let origin = try PcapCapture.earliestArrival(inFiles: captures) else {
            throw RecordingError("rtpengine captured no audio packets for this call")
        }
        let wav = try WAVWriter(path: output, sampleRate: sampleRate)
        var anchors: [StreamKey: Anchor] = [:]
        var counts = [0, 0]
        var skipped = 0
        var datagrams = 0
        let limit = maximumSeconds * sampleRate
        do throws(RecordingError) {
            for path in captures {
                try PcapCapture.forEachDatagram(inFile: path) { datagram throws(RecordingError) in
                    datagrams += 1
                    guard let packet = RTPPacket(datagram.payload) else { return }
                    guard packet.payloadType == 0 || packet.payloadType == 8 else {
                        skipped += 1
                        return
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
                    guard position >= 0, position + packet.payload.count <= limit else { return }
                    let table = packet.payloadType == 0 ? G711.ulawTable : G711.alawTable
                    try wav.write(channel: side, at: position, samples: packet.payload.map { table[Int($0)] })
                    counts[side] += 1
                }
            }
            guard counts[0] + counts[1] > 0 else {
                throw RecordingError("rtpengine captured \(datagrams) packets but none was G.711 audio")
            }
            let bytes = try wav.finish()
            return Result(
                bytes: bytes, seconds: Double(wav.frames) / Double(sampleRate),
                callerPackets: counts[0], agentPackets: counts[1], skippedPackets: skipped)
        } catch {
            wav.discard()
            throw error
        }
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

/// A two-channel 16-bit WAV file written in place: samples go to their frame's offset (read,
/// merged with the other channel's, written back), the file grows as frames are placed, and the
/// header's sizes are filled in by `finish`. Written under a temporary name and renamed into
/// place whole, so a reader never sees half a file.
final class WAVWriter {
    static let headerSize = 44
    let path: String
    private let partial: String
    private let descriptor: Int32
    /// Closed once: a descriptor number closed twice may by then be another thread's file.
    private var isOpen = true
    /// Frames up to the furthest sample placed.
    private(set) var frames = 0

    init(path: String, sampleRate: Int) throws(RecordingError) {
        self.path = path
        partial = path + ".partial"
        descriptor = open(partial, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw RecordingError("the WAV file could not be created at \(partial) (errno \(errno))") }
        var header: [UInt8] = []
        func put32(_ value: Int) { for shift in stride(from: 0, to: 32, by: 8) { header.append(UInt8((value >> shift) & 0xFF)) } }
        func put16(_ value: Int) { header.append(UInt8(value & 0xFF)); header.append(UInt8((value >> 8) & 0xFF)) }
        header += Array("RIFF".utf8); put32(36); header += Array("WAVE".utf8)
        header += Array("fmt ".utf8); put32(16); put16(1); put16(2); put32(sampleRate); put32(sampleRate * 4); put16(4); put16(16)
        header += Array("data".utf8); put32(0)
        do {
            try writeAll(header, at: 0)
        } catch {
            discard()
            throw error
        }
    }

    /// Places 16-bit samples of one channel (0 left, 1 right) from frame `position` on.
    func write(channel: Int, at position: Int, samples: [Int16]) throws(RecordingError) {
        guard !samples.isEmpty else { return }
        let offset = Self.headerSize + position * 4
        var region = [UInt8](repeating: 0, count: samples.count * 4)
        // What is there already (the other channel's samples); beyond the end, silence.
        let read = region.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard read >= 0 else { throw RecordingError("the WAV file could not be read back (errno \(errno))") }
        for (index, sample) in samples.enumerated() {
            let bits = UInt16(bitPattern: sample)
            region[index * 4 + channel * 2] = UInt8(bits & 0xFF)
            region[index * 4 + channel * 2 + 1] = UInt8(bits >> 8)
        }
        try writeAll(region, at: offset)
        frames = max(frames, position + samples.count)
    }

    /// Fills in the header's sizes, flushes, and renames the file into place; returns its size.
    func finish() throws(RecordingError) -> Int {
        let dataBytes = frames * 4
        // A sparse tail (the last frames placed for one channel only) is all in the file already.
        guard ftruncate(descriptor, off_t(Self.headerSize + dataBytes)) == 0 else {
            throw RecordingError("the WAV file could not be sized (errno \(errno))")
        }
        func little32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> ($0 * 8)) & 0xFF) } }
        try writeAll(little32(36 + dataBytes), at: 4)
        try writeAll(little32(dataBytes), at: 40)
        guard fsync(descriptor) == 0 else { throw RecordingError("the WAV file could not be flushed (errno \(errno))") }
        closeOnce()
        guard rename(partial, path) == 0 else { throw RecordingError("the WAV file could not be put at \(path) (errno \(errno))") }
        return Self.headerSize + dataBytes
    }

    /// Removes what was written (a conversion that failed leaves nothing behind).
    func discard() {
        closeOnce()
        unlink(partial)
    }

    private func closeOnce() {
        if isOpen { close(descriptor) }
        isOpen = false
    }

    private func writeAll(_ bytes: [UInt8], at offset: Int) throws(RecordingError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            guard written > 0 else { throw RecordingError("the WAV file could not be written (errno \(errno))") }
            done += written
        }
    }
}
