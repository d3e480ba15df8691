/// Who wrote an im message.
public enum MessageSender: String, Sendable, Codable, CaseIterable {
    /// The customer, through the customer channel.
    case customer
    /// The agent holding the session.
    case agent
    /// Switchboard itself: "You are number 3 in the queue", "The agent transferred you".
    case system

    /// Decodes a sender, naming the allowed values if the string is not one.
    public init(from decoder: any Decoder) throws {
        self = try decodeWireEnum(MessageSender.self, from: decoder)
    }
}
