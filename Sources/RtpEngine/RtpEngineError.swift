/// Something rtpengine (or the way to it) did not do, with what a person can do about it.
public struct RtpEngineError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, for code that reacts differently to each.
    public enum Code: Sendable, Hashable {
        /// rtpengine answered `result: error`; `reason` holds its `error-reason`.
        case rejected
        /// rtpengine refused for load (`result: load limit`); try later or another instance.
        case loadLimit
        /// No answer came within the timeout, retries included.
        case timeout
        /// The answer could not be read or lacked what the command returns.
        case malformedAnswer
        /// The rtpengine program could not be started, or died, or would not stop.
        case process
        /// A socket could not be opened or used.
        case transport
    }

    /// The kind of failure.
    public var code: Code
    /// What happened and what to do, for the person reading the log.
    public var message: String
    /// rtpengine's own words (`error-reason`), when it gave any.
    public var reason: String?
    /// The error underneath, if another layer failed first.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, reason: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.reason = reason
        self.underlying = underlying
    }

    /// The message, and the underlying error if any.
    public var description: String {
        guard let underlying else { return message }
        return "\(message) (\(underlying))"
    }
}
