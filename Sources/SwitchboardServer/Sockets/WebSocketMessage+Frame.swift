import HummingbirdWebSocket
import SwitchboardProtocol

extension WebSocketMessage {
    /// The message read as a protocol frame. A binary message is read as UTF-8 text; if it is not
    /// JSON, the decoder says so.
    func frame<F: ProtocolFrame>(as type: F.Type, maximumSize: Int) -> Result<F, ProtocolError> {
        let text: String
        switch self {
        case .text(let value): text = value
        case .binary(let buffer): text = String(buffer: buffer)
        }
        do throws(ProtocolError) {
            return .success(try F.decode(text, maximumSize: maximumSize))
        } catch {
            return .failure(error)
        }
    }
}
