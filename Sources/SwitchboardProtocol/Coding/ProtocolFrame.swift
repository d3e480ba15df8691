import Foundation

/// One whole WebSocket text frame of the protocol: a JSON object with `"v"` and `"type"`.
///
/// ``AgentClientFrame``, ``AgentServerFrame``, ``CustomerClientFrame`` and ``CustomerServerFrame``
/// conform; each side decodes what its peer sends and encodes what it sends.
public protocol ProtocolFrame: Codable, Sendable, Equatable {}

extension ProtocolFrame {
    /// Reads a frame from the bytes of a text frame, refusing frames larger than `maximumSize` bytes.
    public static func decode(
        _ data: Data,
        maximumSize: Int = WireProtocol.defaultMaximumFrameSize
    ) throws(ProtocolError) -> Self {
        guard data.count <= maximumSize else {
            throw ProtocolError(.payloadTooLarge, "the frame is \(data.count) bytes; the limit is \(maximumSize) bytes")
        }
        guard data.contains(where: { !Self.isJSONWhitespace($0) }) else {
            throw ProtocolError(.malformedJSON, "the frame is empty; send a JSON object such as {\"v\":1,\"type\":\"...\"}")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw ProtocolError(.malformedJSON, "the frame is not valid JSON (UTF-8 text holding one JSON object)")
        }
        return try value.decode(as: Self.self)
    }

    /// Reads a frame from the text of a text frame, refusing frames larger than `maximumSize` bytes of UTF-8.
    public static func decode(
        _ text: String,
        maximumSize: Int = WireProtocol.defaultMaximumFrameSize
    ) throws(ProtocolError) -> Self {
        try decode(Data(text.utf8), maximumSize: maximumSize)
    }

    /// The frame as UTF-8 JSON, keys sorted, ready to send as a text frame.
    public func encodedData() -> Data {
        Data(encodedBytes())
    }

    /// The frame as JSON text, keys sorted, ready to send as a text frame.
    public func encodedText() -> String {
        String(decoding: encodedBytes(), as: UTF8.self)
    }

    /// The frame's UTF-8 JSON, exactly what `JSONEncoder.wire` writes (``WireEncoder``).
    private func encodedBytes() -> [UInt8] {
        do {
            return try WireEncoder.encode(self)
        } catch {
            // Frames hold only strings, integers, booleans and JSONValue (which writes a non-finite
            // number as null), so there is nothing the encoder can refuse.
            preconditionFailure("a protocol frame failed to encode: \(error)")
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
