import SwitchboardCore
import SwitchboardProtocol

/// Transcript pages for the admin API and the chat fallback, through the same `ChatMessaging`
/// paging the agent SDK's `Chat.getMessages` uses, so all three see the same ids and order.
extension AdminRoutes {
    /// `order` (oldest|newest, default oldest), `limit` (1–200, default 50, as in the SDK) and
    /// one of `before` / `after` (a message id such as `m-17`).
    static func transcriptPage(of session: SessionID, query: QueryParameters, server: ServerComponents) async throws(APIError) -> MessagePageRepresentation {
        let order = try query.choice("order", MessageOrder.allCases.map(\.rawValue)).flatMap(MessageOrder.init(rawValue:))
        let limit = try query.int("limit", in: 1...MessageQuery.maximumLimit, default: MessageQuery.defaultLimit)
        let before = try query.string("before"), after = try query.string("after")
        let cursor: MessageQuery.Cursor?
        switch (before, after) {
        case (let before?, nil): cursor = .before(try messageId(before, parameter: "before"))
        case (nil, let after?): cursor = .after(try messageId(after, parameter: "after"))
        case (nil, nil): cursor = nil
        case (_?, _?): throw APIError.invalid("give query parameter 'before' or 'after', not both")
        }
        do {
            return MessagePageRepresentation(try await server.messaging.page(
                MessageQuery(sessionId: session.rawValue, order: order, limit: limit, cursor: cursor), withAuthors: true))
        } catch {
            throw error.retryable
                ? APIError(.serviceUnavailable, code: "unavailable", error.description)
                : APIError.invalid(error.description)
        }
    }

    /// Checked here so the error names the parameter.
    private static func messageId(_ text: String, parameter: String) throws(APIError) -> String {
        guard text.hasPrefix("m-"), let number = Int64(text.dropFirst(2)), number > 0 else {
            throw APIError.invalid("query parameter '\(parameter)' must be a message id such as 'm-17', not '\(text)'")
        }
        return text
    }
}
