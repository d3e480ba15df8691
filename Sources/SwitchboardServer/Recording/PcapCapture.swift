import Foundation

/// The UDP datagrams of a pcap file as rtpengine's `pcap` recording method writes them (link
/// type raw IP or Ethernet; IPv4 or IPv6): when each arrived, where it went, and its payload.
struct PcapCapture: Sendable {
    /// One captured UDP datagram.
    struct Datagram: Sendable {
        /// Arrival time, microseconds since 1970.
        var microseconds: Int64
        var sourcePort: Int
        var destinationPort: Int
        var payload: ArraySlice<UInt8>
    }

    var datagrams: [Datagram] = []

    /// Reads a capture; throws on a file that is not a pcap at all. A file cut short (the
    /// process stopped mid-write) keeps the datagrams before the cut.
    init(bytes: [UInt8]) throws(RecordingError) {
        guard bytes.count >= 24 else { throw RecordingError("the capture file is too short to be a pcap file (\(bytes.count) bytes)") }
        let magic = Self.uint32(bytes, 0, bigEndian: false)
        let bigEndian: Bool
        let nanoseconds: Bool
        switch magic {
        case 0xa1b2_c3d4: (bigEndian, nanoseconds) = (false, false)
        case 0xd4c3_b2a1: (bigEndian, nanoseconds) = (true, false)
        case 0xa1b2_3c4d: (bigEndian, nanoseconds) = (false, true)
        case 0x4d3c_b2a1: (bigEndian, nanoseconds) = (true, true)
        default: throw RecordingError("the capture file is not a pcap file (magic \(String(magic, radix: 16)))")
        }
        let linkType = Self.uint32(bytes, 20, bigEndian: bigEndian)
        var offset = 24
        while offset + 16 <= bytes.count {
            let seconds = Int64(Self.uint32(bytes, offset, bigEndian: bigEndian))
            let fraction = Int64(Self.uint32(bytes, offset + 4, bigEndian: bigEndian))
            let length = Int(Self.uint32(bytes, offset + 8, bigEndian: bigEndian))
            let start = offset + 16
            guard start + length <= bytes.count else { break }
            offset = start + length
            let microseconds = seconds * 1_000_000 + (nanoseconds ? fraction / 1000 : fraction)
            if let datagram = Self.udp(bytes[start..<start + length], linkType: linkType, at: microseconds) {
                datagrams.append(datagram)
            }
        }
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
