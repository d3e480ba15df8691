/// The parameters of `Chat.getMessages`: which session, which end to start from, how many.
public struct MessageQuery: Sendable, Equatable, Hashable {
    /// The session whose transcript to read.
    public var sessionId: String
    /// Oldest or newest first; the server's default is ``MessageOrder/oldest``.
    public var order: MessageOrder?
    /// At most this many messages, 1 to ``maximumLimit``; the server's default is ``defaultLimit``.
    public var limit: Int?
    /// Where to start: just before or just after a message, by id; nil starts at the `order` end.
    public var cursor: Cursor?

    /// The page size when `limit` is left out.
    public static let defaultLimit = 50
    /// The largest `limit` accepted.
    public static let maximumLimit = 200

    /// Creates a query.
    public init(sessionId: String, order: MessageOrder? = nil, limit: Int? = nil, cursor: Cursor? = nil) {
        self.sessionId = sessionId
        self.order = order
        self.limit = limit
        self.cursor = cursor
    }

    /// A position in a transcript, named by a message id; sent as `"before"` or `"after"`.
    public enum Cursor: Sendable, Equatable, Hashable {
        /// Messages sent before this one.
        case before(String)
        /// Messages sent after this one.
        case after(String)
    }
}

extension MessageQuery: Codable {
    /// Decodes the parameters, refusing a `limit` out of range and `before` together with `after`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        self.sessionId = try container.decodeNonEmpty("sessionId")
        self.order = try container.decodeIfPresent(MessageOrder.self, forKey: "order")
        self.limit = try container.decodeIfPresent(Int.self, forKey: "limit")
        if let limit, !(1...Self.maximumLimit).contains(limit) {
            throw ProtocolError.invalidValue(at: container.codingPath + [WireKey("limit")], "must be between 1 and \(Self.maximumLimit), not \(limit)")
        }
        let before = try container.decodeNonEmptyIfPresent("before")
        let after = try container.decodeNonEmptyIfPresent("after")
        switch (before, after) {
        case (let before?, nil): self.cursor = .before(before)
        case (nil, let after?): self.cursor = .after(after)
        case (nil, nil): self.cursor = nil
        case (_?, _?):
            let prefix = fieldPath(container.codingPath)
            let name = { (field: String) in prefix.isEmpty ? field : "\(prefix).\(field)" }
            throw ProtocolError(.invalidValue, "give '\(name("before"))' or '\(name("after"))', not both")
        }
    }

    /// Encodes the parameters, leaving out those not set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(sessionId, forKey: "sessionId")
        try container.encodeIfPresent(order, forKey: "order")
        try container.encodeIfPresent(limit, forKey: "limit")
        switch cursor {
        case .before(let id): try container.encode(id, forKey: "before")
        case .after(let id): try container.encode(id, forKey: "after")
        case nil: break
        }
    }
}
