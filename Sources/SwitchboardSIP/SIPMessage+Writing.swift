extension SIPMessage {
    /// The message on the wire: CRLF line ends, Content-Length set to the body's size.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + body.count)
        switch startLine {
        case .request(let method, let uri):
            out += Array("\(method) \(uri) SIP/2.0\r\n".utf8)
        case .response(let status):
            out += Array("SIP/2.0 \(status.code) \(status.reason)\r\n".utf8)
        }
        var wroteLength = false
        for field in headers.fields {
            if field.name == .contentLength {
                // Only one Content-Length, and always the true one.
                if wroteLength { continue }
                wroteLength = true
                out += Array("Content-Length: \(body.count)\r\n".utf8)
                continue
            }
            out += Array("\(field.name): \(field.value)\r\n".utf8)
        }
        if !wroteLength { out += Array("Content-Length: \(body.count)\r\n".utf8) }
        out += [0x0D, 0x0A]
        out += body
        return out
    }
}
