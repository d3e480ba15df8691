/// G.711 (ITU-T) decoding: the telephone network's two 8 kHz codecs, 8 bits a sample.
enum G711 {
    /// μ-law (PCMU, RTP payload type 0) to 16-bit linear.
    static func ulaw(_ byte: UInt8) -> Int16 {
        let u = ~byte
        var t = (Int(u & 0x0F) << 3) + 0x84
        t <<= Int((u & 0x70) >> 4)
        return Int16(u & 0x80 != 0 ? 0x84 - t : t - 0x84)
    }

    /// A-law (PCMA, RTP payload type 8) to 16-bit linear.
    static func alaw(_ byte: UInt8) -> Int16 {
        let a = byte ^ 0x55
        var t = Int(a & 0x0F) << 4
        let segment = Int((a & 0x70) >> 4)
        switch segment {
        case 0: t += 8
        case 1: t += 0x108
        default: t = (t + 0x108) << (segment - 1)
        }
        return Int16(a & 0x80 != 0 ? t : -t)
    }

    static let ulawTable: [Int16] = (0...255).map { ulaw(UInt8($0)) }
    static let alawTable: [Int16] = (0...255).map { alaw(UInt8($0)) }
}
