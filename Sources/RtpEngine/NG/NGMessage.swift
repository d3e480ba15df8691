/// How the dictionary of an ng message is written. rtpengine answers in the encoding it was asked
/// in (measured on 10.5: `cookie d...e` gets bencode back, `cookie {...}` gets JSON back).
public enum NGEncoding: Sendable, Hashable {
    /// Bencode: rtpengine's native form, binary-safe, no conversion inside the daemon.
    case bencode
    /// JSON: readable in packet captures; rtpengine converts it to bencode internally.
    case json
}

/// One ng datagram: a cookie that matches an answer to its request, a space, and a dictionary.
public struct NGMessage: Sendable, Hashable {
    /// The request's cookie; rtpengine echoes it and caches its answer under it.
    public var cookie: String
    /// The dictionary: a request's `command` and arguments, or an answer's `result` and data.
    public var document: NGValue

    /// Creates a message.
    public init(cookie: String, document: NGValue) {
        self.cookie = cookie
        self.document = document
    }

    /// The datagram's bytes.
    public func encoded(as encoding: NGEncoding = .bencode) -> [UInt8] {
        var out = Array(cookie.utf8)
        out.append(UInt8(ascii: " "))
        switch encoding {
        case .bencode: out.append(contentsOf: document.bencoded())
        case .json: out.append(contentsOf: document.jsonEncoded())
        }
        return out
    }

    /// Reads a datagram in either encoding.
    public init(datagram: some Collection<UInt8>) throws(NGDecodingError) {
        let bytes = Array(datagram)
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")), space > 0 else {
            throw NGDecodingError("an ng message starts with a cookie and a space", at: 0)
        }
        cookie = String(decoding: bytes[..<space], as: UTF8.self)
        do {
            document = try NGValue(ngDocument: bytes[(space + 1)...])
        } catch {
            throw NGDecodingError(error.message, at: error.offset + space + 1)
        }
    }
}
