import Foundation

/// The UDP datagrams of a pcap file as rtpengine's `pcap` recording method writes them (link
/// type raw IP or Ethernet; IPv4 or IPv6): when each arrived, where it went, and its payload.
/// Read from the file a chunk at a time, so an hour-long call's capture never sits in memory.
enum PcapCapture {
    /// One captured UDP datagram.
    struct Datagram {
        /// Arrival time, microseconds since 1970.
        var microseconds: Int64
        var sourcePort: Int
        var destinationPort: Int
        var payload: ArraySlice<UInt8>
    }

    /// A record longer than this is not a captured datagram (rtpengine writes one per packet).
    static let maximumRecord = 262_144

    /// Calls `body` with each UDP datagram of the capture at `path`, in file order. Throws on a
    /// file that is not a pcap at all; a file cut short (the process stopped mid-write) yields
    /// the datagrams before the cut.
    static func forEachDatagram(inFile path: String, _ body: (Datagram) throws(RecordingError) -> Void) throws(RecordingError) {
        guard let file = FileHandle(forReadingAtPath: path) else { throw RecordingError("the capture \(path) cannot be opened") }
        defer { try? file.close() }
        var buffer: [UInt8] = []
        var position = 0
        var atEnd = false
        /// Makes `count` bytes available from `position`; false at the end of the file.
        func need(_ count: Int) -> Bool {
            while buffer.count - position < count && !atEnd {
                let chunk = (try? file.read(upToCount: 1 << 16)) ?? nil
                guard let chunk, !chunk.isEmpty else { atEnd = true; break }
                if position > 0 { buffer.removeFirst(position); position = 0 }
                buffer += chunk
            }
            return buffer.count - position >= count
        }
        guard need(24) else { throw RecordingError("the capture file is too short to be a pcap file (\(buffer.count) bytes)") }
        let magic = uint32(buffer, 0, bigEndian: false)
        let bigEndian: Bool
        let nanoseconds: Bool
        switch magic {
        case 0xa1b2_c3d4: (bigEndian, nanoseconds) = (false, false)
        case 0xd4c3_b2a1: (bigEndian, nanoseconds) = (true, false)
        case 0xa1b2_3c4d: (bigEndian, nanoseconds) = (false, true)
        case 0x4d3c_b2a1: (bigEndian, nanoseconds) = (true, true)
        default: throw RecordingError("the capture file is not a pcap file (magic \(String(magic, radix: 16)))")
        }
        let linkType = uint32(buffer, 20, bigEndian: bigEndian)
        position = 24
        while need(16) {
            let seconds = Int64(uint32(buffer, position, bigEndian: bigEndian))
            let fraction = Int64(uint32(buffer, position + 4, bigEndian: bigEndian))
            let length = Int(uint32(buffer, position + 8, bigEndian: bigEndian))
            guard length <= maximumRecord, need(16 + length) else { break }
            let start = position + 16
            let microseconds = seconds * 1_000_000 + (nanoseconds ? fraction / 1000 : fraction)
            let frame = Array(buffer[start..<start + length])
            position = start + length
            if let datagram = udp(frame[...], linkType: linkType, at: microseconds) { try body(datagram) }
        }
    }

    /// The earliest arrival time among the captures' records, without decoding their payloads.
    static func earliestArrival(inFiles paths: [String]) throws(RecordingError) -> Int64? {
        var earliest: Int64?
        for path in paths {
            try forEachDatagram(inFile: path) { datagram in earliest = min(earliest ?? datagram.microseconds, datagram.microseconds) }
        }
        return earliest
    }

    private static func udp(_ frame: ArraySlice<UInt8>, linkType: UInt32, at microseconds: Int64) -> Datagram? {
        var ip = frame
        switch linkType {
        case 1: ip = frame.dropFirst(14)  // Ethernet
        case 101, 12, 228, 229: break  // raw IP (rtpengine's `raw` format), raw IPv4, raw IPv6
        default: return nil
        }
        guard let first = ip.first else { return nil }
        let base = ip.startIndex
        let udpStart: Int
        switch first >> 4 {
        case 4:
            let headerLength = Int(first & 0x0F) * 4
            guard ip.count >= headerLength + 8, ip[base + 9] == 17 else { return nil }
            udpStart = base + headerLength
        case 6:
            guard ip.count >= 48, ip[base + 6] == 17 else { return nil }
            udpStart = base + 40
        default:
            return nil
        }
        let source = Int(ip[udpStart]) << 8 | Int(ip[udpStart + 1])
        let destination = Int(ip[udpStart + 2]) << 8 | Int(ip[udpStart + 3])
        return Datagram(microseconds: microseconds, sourcePort: source, destinationPort: destination, payload: ip[(udpStart + 8)...])
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int, bigEndian: Bool) -> UInt32 {
        let value = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        return bigEndian ? value.byteSwapped : value
    }
}
