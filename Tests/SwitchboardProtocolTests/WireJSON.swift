import Foundation
import SwitchboardProtocol
import Testing

/// Parses what a frame encodes to with Foundation's own decoder, so tests compare the JSON a peer
/// would see rather than trusting the module's decoder.
func wireJSON(_ frame: some ProtocolFrame) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: frame.encodedData())
}

extension JSONEncoder {
    /// Foundation's encoder set as the wire format is defined: keys sorted, slashes unescaped. The
    /// module writes frames with its own `WireEncoder`, which must write exactly this.
    static var foundationWire: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Encodes `frame`, checks the JSON is exactly `expected`, byte for byte what Foundation's
/// `JSONEncoder` writes, and that decoding it gives the frame back.
func expectWire<Frame: ProtocolFrame>(
    _ frame: Frame, _ expected: JSONValue, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(try wireJSON(frame) == expected, sourceLocation: sourceLocation)
    #expect(frame.encodedText() == String(decoding: try JSONEncoder.foundationWire.encode(frame), as: UTF8.self), sourceLocation: sourceLocation)
    #expect(try Frame.decode(frame.encodedData()) == frame, sourceLocation: sourceLocation)
    #expect(try Frame.decode(frame.encodedText()) == frame, sourceLocation: sourceLocation)
}

/// The error decoding `text` as `Frame` throws.
func decodingError<Frame: ProtocolFrame>(
    _ type: Frame.Type, _ text: String, maximumSize: Int = WireProtocol.defaultMaximumFrameSize
) -> ProtocolError? {
    do {
        _ = try Frame.decode(text, maximumSize: maximumSize)
        return nil
    } catch {
        return error
    }
}
