/// The result of every promise-returning call of the TCCC Agent SDK: `status`, `errorMsg` and `data`.
///
/// Calls never throw; check ``status``, or call ``get()`` to turn an error into a thrown ``TCCCError``:
///
/// ```swift
/// let response = await tccc.Chat.accept(sessionId: callIn.sessionId)
/// if response.status == .error { print(response.errorMsg ?? "") }
///
/// let sent = try await tccc.Chat.sendMessage(sessionId: id, text: "Hello").get()
/// print(sent.messageId)
/// ```
public struct CommonSDKResponse<Value: Sendable>: Sendable {
    /// TCCC's `'success' | 'error'`.
    public typealias Status = AgentResponse.Status

    /// Whether the call succeeded.
    public var status: Status
    /// Why the call failed, for a person; nil on success.
    public var errorMsg: String?
    /// The call's result, when it has one and succeeded.
    public var data: Value?
    /// The failure with its ``TCCCError/code``, when ``status`` is `error`.
    public var error: TCCCError?

    /// A success carrying `data`.
    public static func success(_ data: Value?) -> CommonSDKResponse {
        CommonSDKResponse(status: .success, errorMsg: nil, data: data, error: nil)
    }

    /// A failure.
    public static func failure(_ error: TCCCError) -> CommonSDKResponse {
        CommonSDKResponse(status: .error, errorMsg: error.message, data: nil, error: error)
    }

    /// True when ``status`` is `success`.
    public var isSuccess: Bool { status == .success }

    /// The result, or the failure thrown as a ``TCCCError``: the async/await form of every call.
    ///
    /// For calls without a result (`Value` is `Void`) this returns `()` on success.
    @discardableResult
    public func get() throws(TCCCError) -> Value {
        if let error { throw error }
        if let data { return data }
        if let empty = () as? Value { return empty }
        throw TCCCError(.invalidResponse, "the server's answer carried no data")
    }
}

extension CommonSDKResponse: CustomStringConvertible {
    /// `success`, `success: <data>` or `error: <errorMsg>`.
    public var description: String {
        switch status {
        case .success:
            if let data, Value.self != Void.self { "success: \(data)" } else { "success" }
        case .error: "error: \(errorMsg ?? "")"
        }
    }
}
