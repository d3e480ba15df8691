/// The order of a page of im messages.
public enum MessageOrder: String, Sendable, Codable, CaseIterable {
    /// Oldest first: reading a transcript from the start.
    case oldest
    /// Newest first: scrolling back from the latest message.
    case newest

    /// Decodes an order, naming the allowed values if the string is not one.
    public init(from decoder: any Decoder) throws {
        self = try decodeWireEnum(MessageOrder.self, from: decoder)
    }
}
