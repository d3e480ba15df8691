/// A frame that could not be read or was refused, with a message a person can act on.
///
/// Sent to the peer as an `error` frame (`{"code", "message"}`), or, when the frame was an agent
/// request whose `id` could be read, as that request's error `response`.
public struct ProtocolError: Error, Sendable, Equatable, Hashable {
    /// What kind of failure this is, for programs.
    public var code: Code
    /// What went wrong and how to fix it, for people: "field 'params.sessionId' must be a string, not a number".
    public var message: String
    /// The `id` of the agent request the failure belongs to, when the frame was a request and its id was readable.
    public var requestId: String?
    /// Seconds after which the same thing may be tried again (`retryAfter`), when waiting helps:
    /// a login refused for too many attempts or too many logins in progress.
    public var retryAfter: Int?

    /// Creates an error with a code, a message and, for a request, its id.
    public init(_ code: Code, _ message: String, requestId: String? = nil, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.retryAfter = retryAfter
    }
}

extension ProtocolError {
    /// A kind of protocol failure; an open set, so that peers can add codes without breaking older clients.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The code as sent on the wire, e.g. `"missingField"`.
        public var rawValue: String

        /// Creates a code from its wire spelling.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The wire spelling.
        public var description: String { rawValue }

        /// Decodes a code from its wire string.
        public init(from decoder: any Decoder) throws {
            self.rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// Encodes the code as its wire string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        /// The frame is empty, is not JSON, or is not a JSON object.
        public static let malformedJSON = Code(rawValue: "malformedJSON")
        /// The frame's `"v"` is a protocol version this side does not speak.
        public static let unsupportedVersion = Code(rawValue: "unsupportedVersion")
        /// The frame is larger than the receiver accepts.
        public static let payloadTooLarge = Code(rawValue: "payloadTooLarge")
        /// The frame's `"type"` is not one this socket accepts.
        public static let unknownType = Code(rawValue: "unknownType")
        /// The request's `"method"` is not one of the SDK methods.
        public static let unknownMethod = Code(rawValue: "unknownMethod")
        /// The event's `"name"` is not one this side knows; a client may skip such events.
        public static let unknownEvent = Code(rawValue: "unknownEvent")
        /// A required field is absent.
        public static let missingField = Code(rawValue: "missingField")
        /// A field holds the wrong JSON type, e.g. a number where a string belongs.
        public static let wrongFieldType = Code(rawValue: "wrongFieldType")
        /// A field has the right type but a value that is not allowed, e.g. an empty `sessionId`.
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// The frame needs a successful `hello` first, or the credentials were refused.
        public static let notAuthenticated = Code(rawValue: "notAuthenticated")
        /// The frame is valid but not allowed now, e.g. a second `hello`, or `message` before `start`.
        public static let unexpectedFrame = Code(rawValue: "unexpectedFrame")
        /// No session matches the id (and secret) given.
        public static let sessionNotFound = Code(rawValue: "sessionNotFound")
        /// The server failed; the frame may be retried.
        public static let internalError = Code(rawValue: "internalError")
        /// The connection sends frames faster than the server's limit; the frame was not handled.
        public static let rateLimited = Code(rawValue: "rateLimited")
        /// The server is overloaded and turns new customers away for a moment, so the ones it
        /// serves keep their latency; nothing was started. Retry after `retryAfter` seconds.
        public static let serverBusy = Code(rawValue: "serverBusy")
        /// The skill group's queue is full: the session was recorded as turned away (end status
        /// `queueFull`) and not queued. Try again later.
        public static let queueFull = Code(rawValue: "queueFull")
        /// No agent of the skill group is online and the group ends such sessions at once: the
        /// session was recorded as turned away (end status `noSeatOnline`) and not queued.
        public static let noSeatOnline = Code(rawValue: "noSeatOnline")
        /// The skill group is outside its working hours: the session was recorded as turned away
        /// (end status `notWorkTime`) and not queued.
        public static let notWorkTime = Code(rawValue: "notWorkTime")
    }
}

extension ProtocolError: Codable {
    private enum CodingKeys: String, CodingKey {
        case code, message, retryAfter
        case requestId = "id"
    }
}

extension ProtocolError: CustomStringConvertible {
    /// The code and the message, e.g. `missingField: field 'type' is required`.
    public var description: String { "\(code): \(message)" }
}
